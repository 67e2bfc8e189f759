"""Who may see and decide 服务商入驻 applications:

- an application is seen by its applicant (the account it created) and by every bureau of a
  region the provider sits in or serves (`serves_bureau`); that bureau approves or rejects it
  while it is 待审核;
- submitting an application is open to everyone (rate-limited per address).
"""

from __future__ import annotations

from catalog.access import active
from catalog.errors import Forbidden, NotFound
from catalog.provider_applications.models import ProviderApplication
from catalog.providers.models import ListingStatus, Provider
from catalog.regions import covers
from catalog.users.models import Role, User


def serves_bureau(provider: Provider, regions: list[str]) -> bool:
    """Does the bureau with `regions` review this provider's application? Yes when the provider
    sits in one of them, or names as served a place within or around one (全国 alone: home only)."""
    if any(provider.region.startswith(r) for r in regions if r):
        return True
    named = [s for s in provider.service_regions or [] if s and s.strip() and s.strip() != "全国"]
    return any(covers(s, r) or covers(r, s) for s in named for r in regions if r)


def is_reviewer(user: User | None, provider: Provider) -> bool:
    """Is `user` a bureau of a region the applicant sits in or serves?"""
    return active(user) and user is not None and user.role == Role.BUREAU and serves_bureau(
        provider, list(user.regions or []))


def can_view_application(user: User | None, application: ProviderApplication, provider: Provider) -> bool:
    """The applicant's own account, or a reviewing bureau."""
    if not active(user) or user is None:
        return False
    own = user.role == Role.PROVIDER and user.provider_id == application.provider_id
    return own or is_reviewer(user, provider)


def can_decide_application(user: User | None, provider: Provider) -> bool:
    """A reviewing bureau, while the application waits (待审核)."""
    return is_reviewer(user, provider) and provider.status == ListingStatus.PENDING


def require_view_application(user: User | None, application: ProviderApplication, provider: Provider) -> None:
    """NotFound (its existence is not revealed) unless the user may see the application."""
    if not can_view_application(user, application, provider):
        raise NotFound("application_not_found", "入驻申请不存在或无权查看")


def require_decide_application(user: User | None, application: ProviderApplication, provider: Provider) -> None:
    """NotFound for those who may not see it; Forbidden for a viewer who may not decide."""
    require_view_application(user, application, provider)
    if not is_reviewer(user, provider):
        raise Forbidden("forbidden", "只有服务商所在或所服务地区的主管部门可以审核入驻申请")
