"""Who may ask for contact (申请对接) and write an engagement's messages:

- 申请对接 is for an enterprise (or chain leader) account bound to its enterprise;
- an engagement's messages are written by its parties and the bureau of the enterprise.
"""

from __future__ import annotations

from catalog.access import ENTERPRISE_ROLES
from catalog.engagements.models import Engagement
from catalog.engagements.permissions import is_bureau_of, is_party
from catalog.enterprises.models import Enterprise
from catalog.errors import Forbidden
from catalog.users.models import Role, User


def can_request_contact(user: User | None) -> bool:
    """申请对接 is for an enterprise (or chain leader) account bound to its enterprise."""
    return (user is not None and user.active and user.role in ENTERPRISE_ROLES
            and user.enterprise_id is not None)


def require_request_contact(user: User | None) -> None:
    if not can_request_contact(user):
        raise Forbidden("wrong_role", "仅限试点企业账号申请对接")


def can_message(user: User | None, engagement: Engagement, enterprise: Enterprise | None) -> bool:
    """An engagement's messages are written by its parties and the bureau of the enterprise."""
    return is_party(user, engagement) or is_bureau_of(user, enterprise)


def require_message(user: User | None, engagement: Engagement, enterprise: Enterprise | None) -> None:
    if not can_message(user, engagement, enterprise):
        raise Forbidden("not_a_party", "只有对接双方和企业所在地区的主管部门可以留言")


def message_side(user: User) -> str:
    """How a message's author is shown: 企业, 服务商 or 主管部门."""
    return {Role.PROVIDER: "服务商", Role.BUREAU: "主管部门"}.get(Role(user.role), "企业")
