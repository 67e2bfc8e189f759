"""Small builders for API tests: a demo-like pilot in two cities, with one user per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlmodel import Session

from catalog.chains import service as chain_service
from catalog.chains.schemas import ChainLinkCreate
from catalog.engagements import service as engagement_service
from catalog.engagements.schemas import EngagementCreate
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.schemas import EnterpriseCreate, NeedCreate
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus
from catalog.providers.schemas import ProviderCreate
from catalog.solutions import service as solution_service
from catalog.solutions.schemas import SolutionCreate
from catalog.users.models import Role, User
from catalog.validation import make_uscc

PASSWORD = "demo-pass-123"
JIUJIANG = "江西省九江市"
XINXIANG = "河南省新乡市"


def provider(session: Session, name: str, region: str, status: str = ListingStatus.PUBLISHED, **extra: Any):
    data = ProviderCreate(
        name=name, uscc=make_uscc(name), kind="专业服务商", region=region, industries=["C26"],
        scenarios=["设备管理运维"], description=f"{name}专注设备联网与运维", **extra)
    return provider_service.create_provider(session=session, data=data, actor="test", status=ListingStatus(status))


def solution(session: Session, provider_id: int, code: str, name: str, status: str = ListingStatus.PUBLISHED,
             **extra: Any):
    fields: dict[str, Any] = {
        "code": code, "name": name, "provider_id": provider_id, "industries": ["C26"],
        "scenarios": ["设备管理运维"], "description": f"{name}：设备联网、点检、预测性维护",
        "deployment": "SaaS", "price_wan": 8.0, "billing": "年订阅", "deploy_days": 30, **extra}
    return solution_service.create_solution(session=session, data=SolutionCreate(**fields), actor="test",
                                   status=ListingStatus(status))


def enterprise(session: Session, name: str, region: str, **extra: Any):
    data = EnterpriseCreate(name=name, uscc=make_uscc(name), region=region, industry="C261", size="规上", **extra)
    record = enterprise_service.create_enterprise(session=session, data=data, actor="test")
    return record


def need(session: Session, enterprise_record: Any, text: str, **extra: Any):
    return enterprise_service.create_need(session=session, enterprise=enterprise_record,
                               data=NeedCreate(text=text, **extra), actor="test")


def link(session: Session, leader_id: int, member_id: int, relation: str = "供应商"):
    return chain_service.create_chain_link(
        session=session, data=ChainLinkCreate(leader_id=leader_id, member_id=member_id, relation=relation),
        actor="test")


@cache
def password_hash() -> str:
    """PASSWORD hashed once per test run (argon2 is slow on purpose)."""
    from catalog.users import service as users

    return users.hash_password(PASSWORD)


def user(session: Session, username: str, role: Role, **binding: Any) -> User:
    record = User(username=username, password_hash=password_hash(), role=role.value, display_name=username,
                  regions=binding.pop("regions", []), **binding)
    session.add(record)
    session.flush()
    return record


def token(session: Session, username: str) -> str:
    """A bearer token for a user, issued directly (the login endpoint has its own tests)."""
    from sqlmodel import select

    from market.auth.sessions import issue_api_token

    record = session.exec(select(User).where(User.username == username)).one()
    _, value = issue_api_token(session=session, user=record)
    session.commit()
    return value


@dataclass
class World:
    """Named records of the test pilot (ids), and the usernames per role."""

    ids: dict[str, int] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)


def build_world(session: Session) -> World:
    """Two cities; in 九江 a published provider with published/pending/suspended solutions, a
    pending provider, a chain (leader + sharing member + private member); in 新乡 one of each."""
    w = World()
    pa = provider(session, "九江云联设备科技有限公司", f"{JIUJIANG}濂溪区")
    pp = provider(session, "九江新创数字科技有限公司", f"{JIUJIANG}浔阳区", status=ListingStatus.PENDING)
    pb = provider(session, "新乡智造软件有限公司", f"{XINXIANG}红旗区")
    w.ids.update(provider_a=pa.id, provider_pending=pp.id, provider_b=pb.id)
    w.ids["sol_a"] = solution(session, pa.id, "JJ-001", "设备点检云").id
    w.ids["sol_a_pending"] = solution(session, pa.id, "JJ-002", "能耗监测平台", status=ListingStatus.PENDING).id
    w.ids["sol_a_suspended"] = solution(session, pa.id, "JJ-003", "仓储条码系统", status=ListingStatus.SUSPENDED).id
    w.ids["sol_pp"] = solution(session, pp.id, "JJ-101", "质量追溯小程序", status=ListingStatus.PENDING).id
    w.ids["sol_b"] = solution(session, pb.id, "XX-001", "起重机远程运维").id
    leader = enterprise(session, "九江石化链主集团有限公司", f"{JIUJIANG}濂溪区")
    sharing = enterprise(session, "九江化工配套有限公司", f"{JIUJIANG}湖口县")
    sharing.share_needs_with_chain = True  # the member chose to share its needs with its chain leader
    private = enterprise(session, "九江助剂材料有限公司", f"{JIUJIANG}彭泽县")
    other = enterprise(session, "新乡起重部件有限公司", f"{XINXIANG}长垣市")
    w.ids.update(leader=leader.id, member_sharing=sharing.id, member_private=private.id, ent_xx=other.id)
    w.ids["need_leader"] = need(session, leader, "原料罐区液位靠人工抄表").id
    w.ids["need_sharing"] = need(session, sharing, "车间设备老是突然停机，维修全靠老师傅经验").id
    w.ids["need_private"] = need(session, private, "想上 MES，但预算有限").id
    w.ids["need_xx"] = need(session, other, "质量问题追不到批次").id
    w.ids["link_sharing"] = link(session, leader.id, sharing.id).id
    w.ids["link_private"] = link(session, leader.id, private.id, "客户").id
    engagement = engagement_service.create_engagement(
        session=session, data=EngagementCreate(enterprise_id=sharing.id, solution_id=w.ids["sol_a"]), actor="test")
    w.ids["engagement"] = engagement.id
    _users(session, w)
    session.commit()
    return w


def _users(session: Session, w: World) -> None:
    made = [
        user(session, "jj_bureau", Role.BUREAU, regions=[JIUJIANG]),
        user(session, "xx_bureau", Role.BUREAU, regions=[XINXIANG]),
        user(session, "provider_a", Role.PROVIDER, provider_id=w.ids["provider_a"]),
        user(session, "provider_b", Role.PROVIDER, provider_id=w.ids["provider_b"]),
        user(session, "ent_sharing", Role.ENTERPRISE, enterprise_id=w.ids["member_sharing"]),
        user(session, "ent_private", Role.ENTERPRISE, enterprise_id=w.ids["member_private"]),
        user(session, "chain_leader", Role.CHAIN_LEADER, enterprise_id=w.ids["leader"]),
    ]
    w.users = {u.username: u.username for u in made}
    for u in made:
        w.ids[f"user_{u.username}"] = u.id or 0


def serve_only(database_url: str, provider_id: int, regions: list[str]) -> None:
    """Narrow a provider's service regions (committed): it can no longer serve firms elsewhere."""
    from catalog.db import get_engine
    from catalog.providers.models import Provider

    with Session(get_engine(database_url)) as session:
        record = session.get(Provider, provider_id)
        assert record is not None
        record.service_regions = regions
        session.add(record)
        session.commit()
