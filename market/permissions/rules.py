"""The one module deciding who may see or change what.

`can(user, action, record)` answers for one record, `require(...)` raises Forbidden (or
NotFound, to hide that a record exists), and the `visible_*` helpers add the same rules to
a query. Rules:

- the public sees published (已入库) providers, and published solutions of published providers;
- a bureau (工信局) sees and manages everything in its regions (User.regions, matched as a
  prefix of the record's region): reviews, publishes, suspends, retires, 优秀, enterprises,
  needs, chain links, imports, exports, users;
- a provider edits its own profile and listings (edits go back to 待审核), withdraws its own
  listings, and never changes a status or the 优秀 flag; it never sees enterprises' needs;
- an enterprise sees and edits only itself and its needs (a chain leader is an enterprise too);
- a chain leader also sees its chain members' profiles and levels, and the needs of members
  who chose to share them (Enterprise.share_needs_with_chain);
- events: the bureau of an event's region manages it (the bureau that made it, for an event
  stored without a region); participants act only for their own enterprise / provider;
- leads: a provider (or its region's bureau) sees the needs of enterprises that opted in
  (Enterprise.findable_by_providers) or share an event with it that they registered for
  themselves (or consented to); budgets only if share_budget;
- 服务商入驻 applications: the applicant's account and the bureaus of the regions the provider
  sits in or serves (market/permissions/applications.py); 站内消息: only their recipient.

The rules of events, chains, leads, the engagement workflow, the pilot's progress and
background jobs live in market/permissions/pilot.py; market/permissions/__init__.py gathers
them all, so callers always write `from market import permissions as perm; perm.can(...)`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from catalog.chains.models import ChainLink
from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import Forbidden, NotFound
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions.models import Solution
from catalog.users.models import Role, User
from catalog.users.service import clean_regions

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
S = TypeVar("S")

_DENIED = {
    VIEW: "无权查看该记录", EDIT: "无权修改该记录", CREATE: "无权新建该记录", DELETE: "无权删除该记录",
    CHANGE_STATUS: "只有所在地区的主管部门可以变更状态", SET_EXCELLENT: "只有所在地区的主管部门可以设置“优秀”",
    WITHDRAW: "只能撤回本机构的产品", CREATE_SOLUTION: "只能为本机构添加产品",
    MANAGE_NEEDS: "只能维护本企业的需求清单", VIEW_NEEDS: "无权查看该企业的需求",
    MANAGE_CHAIN: "只有链主所在地区的主管部门可以维护产业链关系", CREATE_ENGAGEMENT: "只能为本企业或辖区企业登记对接成果",
    IMPORT: "只有主管部门可以导入数据", EXPORT: "只有主管部门可以导出数据", MANAGE_USERS: "只有主管部门可以管理用户",
}


# --- one record ----------------------------------------------------------------------


def in_regions(user: User | None, region: str | None) -> bool:
    """True when `user` is a bureau whose regions include `region` (prefix match)."""
    if user is None or user.role != Role.BUREAU or not region:
        return False
    return any(region.startswith(r) for r in user.regions if r)


def _is_bureau(user: User | None) -> bool:
    return user is not None and user.role == Role.BUREAU


def _own_enterprise(user: User | None, enterprise_id: int | None) -> bool:
    return (user is not None and user.role in (Role.ENTERPRISE, Role.CHAIN_LEADER)
            and enterprise_id is not None and user.enterprise_id == enterprise_id)


def _own_provider(user: User | None, provider_id: int | None) -> bool:
    return (user is not None and user.role == Role.PROVIDER and provider_id is not None
            and user.provider_id == provider_id)


def _session_of(record: Any) -> Session | None:
    return object_session(record)  # type: ignore[return-value]


def _lookup(record: Any, model: type[S], key: int | None) -> S | None:
    session = _session_of(record)
    return session.get(model, key) if session is not None and key is not None else None


def _is_chain_member(user: User | None, record: Any, enterprise_id: int | None) -> bool:
    if user is None or user.role != Role.CHAIN_LEADER or user.enterprise_id is None:
        return False
    session = _session_of(record)
    if session is None or enterprise_id is None:
        return False
    stmt = select(ChainLink.id).where(ChainLink.leader_id == user.enterprise_id, ChainLink.member_id == enterprise_id)
    return session.exec(stmt).first() is not None


def _can_provider(user: User | None, action: str, p: Provider) -> bool:
    bureau = in_regions(user, p.region)
    if action == VIEW:
        return p.status == PUBLISHED or bureau or _own_provider(user, p.id)
    if action in (EDIT, CREATE_SOLUTION):
        return bureau or (_own_provider(user, p.id) and p.status != ListingStatus.RETIRED)
    if action in (CHANGE_STATUS, CREATE):
        return bureau
    return False


def _can_solution(user: User | None, action: str, s: Solution) -> bool:
    provider = _lookup(s, Provider, s.provider_id)
    bureau = provider is not None and in_regions(user, provider.region)
    own = _own_provider(user, s.provider_id)
    if action == VIEW:
        public = s.status == PUBLISHED and provider is not None and provider.status == PUBLISHED
        return public or bureau or own
    if action == EDIT:
        return bureau or (own and s.status != ListingStatus.RETIRED)
    if action == WITHDRAW:
        return own and s.status != ListingStatus.RETIRED
    if action in (CHANGE_STATUS, SET_EXCELLENT):
        return bureau
    return False


def _can_enterprise(user: User | None, action: str, e: Enterprise) -> bool:
    bureau = in_regions(user, e.region)
    own = _own_enterprise(user, e.id)
    if action == VIEW:
        return bureau or own or _is_chain_member(user, e, e.id)
    if action in (EDIT, MANAGE_NEEDS):
        return bureau or own
    if action == VIEW_NEEDS:
        return bureau or own or (e.share_needs_with_chain and _is_chain_member(user, e, e.id))
    if action in (CREATE, MANAGE_CHAIN):
        return bureau
    if action == CREATE_ENGAGEMENT:
        return bureau or own
    return False


def _can_need(user: User | None, action: str, n: Need) -> bool:
    enterprise = _lookup(n, Enterprise, n.enterprise_id)
    if enterprise is None:
        return False
    if action == VIEW:
        return _can_enterprise(user, VIEW_NEEDS, enterprise)
    if action in (EDIT, DELETE):
        return _can_enterprise(user, MANAGE_NEEDS, enterprise)
    return False


def _can_chain_link(user: User | None, action: str, link: ChainLink) -> bool:
    leader = _lookup(link, Enterprise, link.leader_id)
    bureau = leader is not None and in_regions(user, leader.region)
    if action == VIEW:
        return bureau or (user is not None and user.role == Role.CHAIN_LEADER and user.enterprise_id == link.leader_id)
    return action in (EDIT, DELETE) and bureau


def _can_engagement(user: User | None, action: str, g: Engagement) -> bool:
    enterprise = _lookup(g, Enterprise, g.enterprise_id)
    bureau = enterprise is not None and in_regions(user, enterprise.region)
    if action in (VIEW, EDIT):
        return bureau or _own_enterprise(user, g.enterprise_id) or _own_provider(user, g.provider_id)
    return False


def _user_in_regions(user: User | None, target: User) -> bool:
    """Is `target`'s binding (provider, enterprise, or every bureau region) within `user`'s regions?"""
    if not _is_bureau(user):
        return False
    if target.provider_id is not None:
        provider = _lookup(target, Provider, target.provider_id)
        return provider is not None and in_regions(user, provider.region)
    if target.enterprise_id is not None:
        enterprise = _lookup(target, Enterprise, target.enterprise_id)
        return enterprise is not None and in_regions(user, enterprise.region)
    return bool(target.regions) and all(in_regions(user, r) for r in target.regions)


def _can_user(user: User | None, action: str, target: User) -> bool:
    if action == VIEW:
        return (user is not None and user.id == target.id) or _user_in_regions(user, target)
    return action in (EDIT, MANAGE_USERS) and _user_in_regions(user, target)


def require_grant(session: Session, user: User | None, *, role: str, regions: list[str],
                  provider_id: int | None = None, enterprise_id: int | None = None) -> None:
    """A bureau hands out access only within its own regions: a bureau account's regions (as
    they will be stored), a provider's or an enterprise's account of a record in them; Forbidden otherwise."""
    if role == Role.BUREAU and not all(in_regions(user, r) for r in clean_regions(regions)):
        raise Forbidden("out_of_region", "只能为本辖区内的地区创建主管部门账号")
    if provider_id is not None:
        provider = session.get(Provider, provider_id)
        if provider is None or not in_regions(user, provider.region):
            raise Forbidden("out_of_region", "只能为本辖区内的服务商创建账号")
    if enterprise_id is not None:
        enterprise = session.get(Enterprise, enterprise_id)
        if enterprise is None or not in_regions(user, enterprise.region):
            raise Forbidden("out_of_region", "只能为本辖区内的企业创建账号")


_BY_TYPE: dict[type, Any] = {
    Provider: _can_provider, Solution: _can_solution, Enterprise: _can_enterprise, Need: _can_need,
    ChainLink: _can_chain_link, Engagement: _can_engagement, User: _can_user,
}


def can(user: User | None, action: str, record: Any = None) -> bool:
    """May `user` (None: the public) do `action` on `record`?

    Records not yet stored (CREATE) are judged by their region / parent ids; for solutions
    and needs pass the parent (CREATE_SOLUTION on the Provider, MANAGE_NEEDS on the Enterprise).
    """
    if user is not None and not user.active:
        return False
    if record is None:
        return action in (IMPORT, EXPORT, MANAGE_USERS) and _is_bureau(user)
    rule = _BY_TYPE.get(type(record))
    return bool(rule and rule(user, action, record))


def require(user: User | None, action: str, record: Any = None, *, hide: bool = False) -> None:
    """Raise Forbidden (or NotFound when `hide`, so existence is not revealed) unless allowed."""
    if can(user, action, record):
        return
    if hide:
        raise NotFound(message="记录不存在或无权查看")
    raise Forbidden(message=_DENIED.get(action, "无权执行此操作"))


# Fields of a record that only the bureau of its region changes: who administers a record
# (region), its identity (uscc), its standing in the pilot (level, batch) and who owns it.
BUREAU_FIELDS: dict[type, dict[str, str]] = {
    Provider: {"uscc": "统一社会信用代码", "region": "所在地区", "lead_provider_id": "主导服务商"},
    Enterprise: {"uscc": "统一社会信用代码", "region": "所在地区", "batch": "试点批次", "level": "数字化水平"},
    Solution: {"provider_id": "所属服务商"},
}
# An enterprise's consent to be seen: only the enterprise itself gives or withdraws it.
OWN_CHOICES: dict[str, str] = {"findable_by_providers": "允许服务商查找", "share_budget": "向服务商公开预算",
                               "share_needs_with_chain": "向链主共享需求"}


def require_fields(user: User | None, record: Any, changes: dict[str, Any]) -> None:
    """Raise Forbidden when `changes` sets a bureau-only field without being that bureau, moves the
    record (its region, a solution's provider) outside the bureau's own regions, or changes an
    enterprise's privacy choices (OWN_CHOICES) without being that enterprise."""
    if isinstance(record, Enterprise):
        choices = [name for name in OWN_CHOICES if name in changes and changes[name] != getattr(record, name)]
        if choices and not _own_enterprise(user, record.id):
            names = "、".join(OWN_CHOICES[name] for name in choices)
            raise Forbidden("consent_forbidden", f"只有企业本身可以修改隐私选择：{names}")
    fields = BUREAU_FIELDS.get(type(record), {})
    touched = [name for name in fields if name in changes and changes[name] != getattr(record, name)]
    if not touched:
        return
    if not _is_bureau(user):
        names = "、".join(fields[name] for name in touched)
        raise Forbidden("field_forbidden", f"只有所在地区的主管部门可以修改：{names}")
    region = changes.get("region")
    if "region" in touched and not in_regions(user, region):
        raise Forbidden("region_forbidden", f"只能把记录划入本辖区内的地区（“{region}”不在本辖区内）")
    if "provider_id" in touched:
        target = _lookup(record, Provider, changes["provider_id"])
        if target is None or not in_regions(user, target.region):
            raise Forbidden("region_forbidden", "只能把产品转给本辖区内的服务商")


def require_region(user: User | None, region: str, action: str = CREATE) -> None:
    """Raise Forbidden unless `user` is a bureau of `region` (to create records there)."""
    if user is None or not user.active or not in_regions(user, region):
        raise Forbidden(message="只能在本辖区内新建记录（需所在地区的主管部门账号）")


# --- queries ---------------------------------------------------------------------------


def region_filter(user: User | None, column: Any) -> ColumnElement[bool]:
    """`column` starts with one of the bureau's regions (false for everyone else)."""
    if not _is_bureau(user) or user is None:
        return false()
    prefixes = [r for r in user.regions if r]
    if not prefixes:
        return false()
    return or_(*[col(column).startswith(r, autoescape=True) for r in prefixes])


def _published_providers() -> Any:
    return select(Provider.id).where(Provider.status == PUBLISHED)


def visible_providers(user: User | None, statement: Any) -> Any:
    """Add to a `select(Provider…)` the filter of what `user` may see."""
    condition: ColumnElement[bool] = col(Provider.status) == PUBLISHED
    if _is_bureau(user):
        condition = or_(condition, region_filter(user, Provider.region))
    elif user is not None and user.role == Role.PROVIDER and user.provider_id is not None:
        condition = or_(condition, col(Provider.id) == user.provider_id)
    return statement.where(condition)


def visible_solutions(user: User | None, statement: Any) -> Any:
    """Add to a `select(Solution…)` the filter of what `user` may see."""
    condition: ColumnElement[bool] = (col(Solution.status) == PUBLISHED) & col(Solution.provider_id).in_(
        _published_providers()
    )
    if _is_bureau(user):
        in_region = select(Provider.id).where(region_filter(user, Provider.region))
        condition = or_(condition, col(Solution.provider_id).in_(in_region))
    elif user is not None and user.role == Role.PROVIDER and user.provider_id is not None:
        condition = or_(condition, col(Solution.provider_id) == user.provider_id)
    return statement.where(condition)


def managed_providers(user: User | None, statement: Any) -> Any:
    """Add to a `select(Provider…)` the filter of what `user` manages (CHANGE_STATUS): a
    bureau the providers located in its regions, everyone else none."""
    if not _is_bureau(user) or not user.active:  # type: ignore[union-attr]
        return statement.where(false())
    return statement.where(region_filter(user, Provider.region))


def managed_solutions(user: User | None, statement: Any) -> Any:
    """Add to a `select(Solution…)` the filter of what `user` manages (CHANGE_STATUS, SET_EXCELLENT):
    a bureau the solutions of the providers located in its regions, everyone else none."""
    return statement.where(col(Solution.provider_id).in_(managed_providers(user, select(Provider.id))))


def _member_ids(user: User) -> Any:
    return select(ChainLink.member_id).where(ChainLink.leader_id == user.enterprise_id)


def visible_enterprises(user: User | None, statement: Any) -> Any:
    """Add to a `select(Enterprise…)` the filter of what `user` may see."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role == Role.BUREAU:
        return statement.where(region_filter(user, Enterprise.region))
    if user.role == Role.ENTERPRISE:
        return statement.where(col(Enterprise.id) == user.enterprise_id)
    if user.role == Role.CHAIN_LEADER:
        return statement.where(or_(col(Enterprise.id) == user.enterprise_id, col(Enterprise.id).in_(_member_ids(user))))
    return statement.where(false())


def visible_needs(user: User | None, statement: Any) -> Any:
    """Add to a `select(Need…)` the filter of what `user` may see (never providers, never the public)."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role == Role.BUREAU:
        in_region = select(Enterprise.id).where(region_filter(user, Enterprise.region))
        return statement.where(col(Need.enterprise_id).in_(in_region))
    if user.role == Role.ENTERPRISE:
        return statement.where(col(Need.enterprise_id) == user.enterprise_id)
    if user.role == Role.CHAIN_LEADER:
        sharing = select(Enterprise.id).where(
            col(Enterprise.id).in_(_member_ids(user)), col(Enterprise.share_needs_with_chain) == true()
        )
        return statement.where(or_(col(Need.enterprise_id) == user.enterprise_id, col(Need.enterprise_id).in_(sharing)))
    return statement.where(false())


def visible_chain_links(user: User | None, statement: Any) -> Any:
    """Add to a `select(ChainLink…)` the filter of what `user` may see."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role == Role.BUREAU:
        in_region = select(Enterprise.id).where(region_filter(user, Enterprise.region))
        return statement.where(col(ChainLink.leader_id).in_(in_region))
    if user.role == Role.CHAIN_LEADER:
        return statement.where(col(ChainLink.leader_id) == user.enterprise_id)
    return statement.where(false())


def visible_engagements(user: User | None, statement: Any) -> Any:
    """Add to a `select(Engagement…)` the filter of what `user` may see."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role == Role.BUREAU:
        in_region = select(Enterprise.id).where(region_filter(user, Enterprise.region))
        return statement.where(col(Engagement.enterprise_id).in_(in_region))
    if user.role in (Role.ENTERPRISE, Role.CHAIN_LEADER):
        return statement.where(col(Engagement.enterprise_id) == user.enterprise_id)
    if user.role == Role.PROVIDER:
        return statement.where(col(Engagement.provider_id) == user.provider_id)
    return statement.where(false())


def visible_users(user: User | None, statement: Any) -> Any:
    """Add to a `select(User…)` the filter of what `user` may see: a bureau the users bound to
    records in its regions (and itself), everyone else only themselves."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role != Role.BUREAU:
        return statement.where(col(User.id) == user.id)
    providers = select(Provider.id).where(region_filter(user, Provider.region))
    enterprises = select(Enterprise.id).where(region_filter(user, Enterprise.region))
    return statement.where(or_(col(User.id) == user.id, col(User.provider_id).in_(providers),
                               col(User.enterprise_id).in_(enterprises)))
