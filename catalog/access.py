"""What every feature's access rules share: the action names, the role predicates (a bureau,
of which regions; the user's own enterprise or provider) and how a refusal is raised.

The rules themselves live next to each feature's service, in `catalog/<feature>/permissions.py`
(providers, solutions, enterprises and their needs, chains, engagements, events, leads,
showcase, progress, revisions, provider_applications, notifications, exchange, users). A
route's door — which roles may pass it at all — is declared on the route
(market/permissions/declared.py) and checked before its handler runs; the rules here and in
the feature modules decide which record a role may see or change behind that door.

- a bureau (工信局) acts within its regions (User.regions, matched as a prefix of a record's
  region);
- a provider acts for its own provider record, an enterprise (or a chain leader, an
  enterprise too) for its own enterprise;
- an inactive user may do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, false, or_
from sqlalchemy.orm import object_session
from sqlmodel import Session, col

from catalog.errors import Forbidden, NotFound
from catalog.providers.models import ListingStatus
from catalog.users.models import Role, User

# Actions.
VIEW = "view"
EDIT = "edit"
CREATE = "create"
DELETE = "delete"
CHANGE_STATUS = "change_status"
SET_EXCELLENT = "set_excellent"
WITHDRAW = "withdraw"
CREATE_SOLUTION = "create_solution"  # record: the Provider
MANAGE_NEEDS = "manage_needs"  # record: the Enterprise (add, reorder)
VIEW_NEEDS = "view_needs"  # record: the Enterprise
MANAGE_CHAIN = "manage_chain"  # record: the leader Enterprise (add links)
CREATE_ENGAGEMENT = "create_engagement"  # record: the Enterprise
IMPORT = "import"  # record: None
EXPORT = "export"  # record: None
MANAGE_USERS = "manage_users"  # record: None or a User

PUBLISHED = ListingStatus.PUBLISHED.value
ENTERPRISE_ROLES = (Role.ENTERPRISE, Role.CHAIN_LEADER)
S = TypeVar("S")

DENIED = {
    VIEW: "无权查看该记录", EDIT: "无权修改该记录", CREATE: "无权新建该记录", DELETE: "无权删除该记录",
    CHANGE_STATUS: "只有所在地区的主管部门可以变更状态", SET_EXCELLENT: "只有所在地区的主管部门可以设置“优秀”",
    WITHDRAW: "只能撤回本机构的产品", CREATE_SOLUTION: "只能为本机构添加产品",
    MANAGE_NEEDS: "只能维护本企业的需求清单", VIEW_NEEDS: "无权查看该企业的需求",
    MANAGE_CHAIN: "只有链主所在地区的主管部门可以维护产业链关系", CREATE_ENGAGEMENT: "只能为本企业或辖区企业登记对接成果",
    IMPORT: "只有主管部门可以导入数据", EXPORT: "只有主管部门可以导出数据", MANAGE_USERS: "只有主管部门可以管理用户",
}


# --- who the user is ---------------------------------------------------------------------


def active(user: User | None) -> bool:
    """A logged-in user whose account is active."""
    return user is not None and user.active


def is_bureau(user: User | None) -> bool:
    return user is not None and user.role == Role.BUREAU


def in_regions(user: User | None, region: str | None) -> bool:
    """True when `user` is a bureau whose regions include `region` (prefix match)."""
    if user is None or user.role != Role.BUREAU or not region:
        return False
    return any(region.startswith(r) for r in user.regions if r)


def covers_regions(user: User | None, regions: list[str]) -> bool:
    """A bureau whose regions hold every one of `regions` (none: False)."""
    return bool(regions) and all(in_regions(user, r) for r in regions)


def bureau_regions(user: User | None) -> list[str]:
    """The regions a bureau user administers (empty for everyone else)."""
    if user is None or user.role != Role.BUREAU or not user.active:
        return []
    return [r for r in user.regions if r]


def own_enterprise(user: User | None, enterprise_id: int | None) -> bool:
    """An enterprise (or chain leader) user bound to this enterprise."""
    return (user is not None and user.role in ENTERPRISE_ROLES
            and enterprise_id is not None and user.enterprise_id == enterprise_id)


def own_provider(user: User | None, provider_id: int | None) -> bool:
    """A provider user bound to this provider."""
    return (user is not None and user.role == Role.PROVIDER and provider_id is not None
            and user.provider_id == provider_id)


def require_region(user: User | None, region: str) -> None:
    """Raise Forbidden unless `user` is a bureau of `region` (to create records there)."""
    if user is None or not user.active or not in_regions(user, region):
        raise Forbidden(message="只能在本辖区内新建记录（需所在地区的主管部门账号）")


def can_read_job(user: User | None, *, created_by_user: bool, regions: list[str]) -> bool:
    """A background job: its creator, or a bureau whose regions cover every region of its scope."""
    if not active(user):
        return False
    return created_by_user or covers_regions(user, regions)


# --- records and queries -------------------------------------------------------------------


def lookup(record: Any, model: type[S], key: int | None) -> S | None:
    """The `model` row `key`, read through the session `record` belongs to (None without one)."""
    session: Session | None = object_session(record)  # type: ignore[assignment]
    return session.get(model, key) if session is not None and key is not None else None


def load_visible(session: Session, user: User | None, model: type[S], record_id: int, label: str,
                 rule: Callable[[User | None, str, S], bool]) -> S:
    """The record if `user` may see it by its feature's `rule` (`catalog/<feature>/permissions.py`'s
    `can`); NotFound otherwise, so the API and the pages alike never reveal that a record
    exists to someone who may not see it."""
    record = session.get(model, record_id)
    if record is None or not rule(user, VIEW, record):
        raise NotFound(message=f"未找到编号为 {record_id} 的{label}")
    return record


def region_filter(user: User | None, column: Any) -> ColumnElement[bool]:
    """`column` starts with one of the bureau's regions (false for everyone else)."""
    if not is_bureau(user) or user is None:
        return false()
    prefixes = [r for r in user.regions if r]
    if not prefixes:
        return false()
    return or_(*[col(column).startswith(r, autoescape=True) for r in prefixes])


# --- refusing -----------------------------------------------------------------------------


def refuse(action: str, *, hide: bool = False) -> None:
    """Raise Forbidden for `action` (NotFound when `hide`, so existence is not revealed)."""
    if hide:
        raise NotFound(message="记录不存在或无权查看")
    raise Forbidden(message=DENIED.get(action, "无权执行此操作"))


def require_bureau_fields(user: User | None, record: Any, changes: dict[str, Any], fields: dict[str, str]) -> list[str]:
    """Raise Forbidden when `changes` sets one of `fields` (name → label; only the bureau of the
    record's region changes them) without being a bureau, or moves the record's region outside the
    bureau's own regions. Returns the fields the changes touch."""
    touched = [name for name in fields if name in changes and changes[name] != getattr(record, name)]
    if not touched:
        return touched
    if not is_bureau(user):
        names = "、".join(fields[name] for name in touched)
        raise Forbidden("field_forbidden", f"只有所在地区的主管部门可以修改：{names}")
    region = changes.get("region")
    if "region" in touched and not in_regions(user, region):
        raise Forbidden("region_forbidden", f"只能把记录划入本辖区内的地区（“{region}”不在本辖区内）")
    return touched
