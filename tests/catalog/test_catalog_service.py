from datetime import date

import pytest
from catalog_builders import make_enterprise, make_need, make_provider, make_solution, provider_data
from sqlmodel import Session, select

from catalog.audit.models import AuditEntry
from catalog.chains import service as chain_service
from catalog.chains.schemas import ChainLinkCreate
from catalog.engagements import service as engagement_service
from catalog.engagements.schemas import EngagementCreate, EngagementUpdate
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.schemas import NeedCreate
from catalog.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from catalog.outbox import OutboxEntry
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus
from catalog.providers.schemas import ProviderUpdate
from catalog.solutions import service as solution_service
from catalog.solutions.schemas import SolutionUpdate


def _outbox(session: Session) -> list[tuple[str, int, str]]:
    return [(e.record_type, e.record_id, e.op) for e in session.exec(select(OutboxEntry).order_by(OutboxEntry.id))]


def test_create_writes_record_audit_and_outbox(session: Session) -> None:
    provider = make_provider(session)
    assert provider.id and provider.status == "待审核" and provider.version == 1
    assert provider.name_key == company_key_of("九江p1数智科技有限公司")
    entry = session.exec(select(AuditEntry)).one()
    assert (entry.action, entry.record_type, entry.record_key) == ("create", "provider", str(provider.id))
    assert entry.after and entry.after["uscc"] == provider.uscc
    assert _outbox(session) == [("provider", provider.id, "upsert")]


def company_key_of(name: str) -> str:
    from catalog.language.text import company_key
    return company_key(name)


def test_update_bumps_version_and_audits_only_changes(session: Session) -> None:
    provider = make_provider(session)
    provider_service.update_provider(session=session, provider=provider, data=ProviderUpdate(description="新的简介"),
                            actor="u", expected_version=1)
    assert provider.version == 2 and provider.description == "新的简介"
    last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    assert last and last.before == {"description": "面向化工企业的质量管理系统"} and last.after == {"description": "新的简介"}
    provider_service.update_provider(session=session, provider=provider, data=ProviderUpdate(description="新的简介"), actor="u")
    assert provider.version == 2  # nothing changed, nothing recorded


def test_stale_version_is_a_conflict(session: Session) -> None:
    provider = make_provider(session)
    solution = make_solution(session, provider)
    with pytest.raises(Conflict, match="该记录已被他人修改，请刷新后重试"):
        solution_service.update_solution(session=session, solution=solution, data=SolutionUpdate(price_wan=9),
                                actor="u", expected_version=7)
    assert solution.price_wan == 3.5


def test_status_transitions_follow_the_rules(session: Session) -> None:
    provider = make_provider(session)
    provider_service.change_provider_status(session=session, provider=provider, status=ListingStatus.PUBLISHED,
                                   actor="bureau", remark="材料齐全")
    assert (provider.status, provider.status_changed_by, provider.review_remark) == ("已入库", "bureau", "材料齐全")
    provider_service.change_provider_status(session=session, provider=provider, status="退出", actor="bureau")
    with pytest.raises(InvalidTransition, match="不能从“退出”变更为“已入库”") as caught:
        provider_service.change_provider_status(session=session, provider=provider, status="已入库", actor="bureau")
    assert caught.value.status == 409


def test_provider_status_or_name_change_reindexes_its_solutions(session: Session) -> None:
    provider = make_provider(session)
    first, second = make_solution(session, provider, "S-1"), make_solution(session, provider, "S-2")
    before = len(_outbox(session))
    provider_service.change_provider_status(session=session, provider=provider, status="已入库", actor="b")
    provider_service.update_provider(session=session, provider=provider, data=ProviderUpdate(name="九江新名字科技有限公司"),
                            actor="b")
    added = _outbox(session)[before:]
    assert added.count(("solution", first.id, "upsert")) == 2 and added.count(("solution", second.id, "upsert")) == 2


def test_same_name_other_uscc_is_flagged_not_merged(session: Session) -> None:
    first = make_provider(session, "a", name="江西省九江市浔联数智科技有限公司")
    second = provider_service.create_provider(session=session, actor="t", data=provider_data("b", name="九江浔联数智科技股份有限公司"))
    assert second.id != first.id and second.probable_duplicate_of == first.id
    with pytest.raises(Conflict, match="已存在"):
        provider_service.create_provider(session=session, actor="t", data=provider_data("a"))


def test_solution_code_is_unique_and_provider_must_exist(session: Session) -> None:
    provider = make_provider(session)
    make_solution(session, provider, "S-1")
    with pytest.raises(Conflict, match="产品编号“S-1”已存在"):
        make_solution(session, provider, "S-1")
    with pytest.raises(NotFound, match="未找到编号为 999 的服务商"):
        provider_service.get_provider(session=session, provider_id=999)


def test_excellent_flag_is_audited(session: Session) -> None:
    solution = make_solution(session, make_provider(session))
    solution_service.set_solution_excellent(session=session, solution=solution, excellent=True, actor="bureau")
    assert solution.excellent and solution.version == 2


def test_needs_are_numbered_reordered_and_deleted(session: Session) -> None:
    enterprise = make_enterprise(session)
    needs = [make_need(session, enterprise, f"需求{i}") for i in range(3)]
    assert [n.code for n in needs] == ["N1", "N2", "N3"] and [n.position for n in needs] == [0, 1, 2]
    with pytest.raises(Conflict):
        enterprise_service.create_need(session=session, enterprise=enterprise, actor="t",
                            data=NeedCreate(code="N2", text="重复编号"))
    order = [needs[2].id, needs[0].id, needs[1].id]
    enterprise_service.reorder_needs(session=session, enterprise=enterprise, need_ids=order, actor="t")  # type: ignore[arg-type]
    assert [n.position for n in needs] == [1, 2, 0]
    with pytest.raises(ValidationFailed):
        enterprise_service.reorder_needs(session=session, enterprise=enterprise, need_ids=order[:2], actor="t")  # type: ignore[arg-type]
    enterprise_service.delete_need(session=session, need=needs[0], actor="t")
    assert ("need", needs[0].id, "delete") in _outbox(session)
    with pytest.raises(NotFound):
        enterprise_service.get_need(session=session, need_id=int(needs[0].id or 0))


def test_chain_links_reject_self_and_duplicates(session: Session) -> None:
    leader, member = make_enterprise(session, "L"), make_enterprise(session, "M")
    data = ChainLinkCreate(leader_id=leader.id, member_id=member.id, relation="供应商", share="35%")  # type: ignore[arg-type]
    link = chain_service.create_chain_link(session=session, data=data, actor="t")
    assert link.share == pytest.approx(0.35)
    with pytest.raises(Conflict):
        chain_service.create_chain_link(session=session, data=data, actor="t")
    with pytest.raises(ValidationFailed):
        chain_service.create_chain_link(session=session, actor="t", data=ChainLinkCreate(
            leader_id=leader.id, member_id=leader.id, relation="客户"))  # type: ignore[arg-type]


def test_engagement_takes_provider_and_level_and_final_states_stay(session: Session) -> None:
    enterprise = make_enterprise(session)
    solution = make_solution(session, make_provider(session))
    engagement = engagement_service.create_engagement(session=session, actor="t", data=EngagementCreate(
        enterprise_id=enterprise.id, solution_id=solution.id))  # type: ignore[arg-type]
    assert engagement.provider_id == solution.provider_id and engagement.level_before == "二级"
    assert engagement.status == "意向"
    engagement_service.terminate(session=session, engagement=engagement, reason="预算取消", actor="t")
    with pytest.raises(InvalidTransition):
        engagement_service.update_engagement(session=session, engagement=engagement,
                                  data=EngagementUpdate(contract_amount_wan=10), actor="t")
    with pytest.raises(InvalidTransition):
        engagement_service.sign(session=session, engagement=engagement, amount_wan=10,
                                contract_date=date(2025, 3, 1), actor="t")


def test_flush_only_rollback_leaves_nothing(database_url: str) -> None:
    from catalog.db import get_engine
    with Session(get_engine(database_url)) as first:
        make_provider(first)
        first.rollback()
    with Session(get_engine(database_url)) as second:
        assert second.exec(select(AuditEntry)).all() == []


def _two_sessions_load(database_url: str) -> tuple[Session, Session, int]:
    from catalog.db import get_engine
    engine = get_engine(database_url)
    with Session(engine) as setup:
        provider = make_provider(setup)
        solution = make_solution(setup, provider)
        setup.commit()
        solution_id = int(solution.id or 0)
    # expire_on_commit=False: the second session keeps what it read, as a page or API client does
    first, second = Session(engine), Session(engine, expire_on_commit=False)
    return first, second, solution_id


def test_simultaneous_updates_one_wins_the_other_conflicts(database_url: str) -> None:
    first, second, solution_id = _two_sessions_load(database_url)
    with first, second:
        mine = solution_service.get_solution(session=first, solution_id=solution_id)
        theirs = solution_service.get_solution(session=second, solution_id=solution_id)
        assert mine.version == theirs.version == 1  # both read version 1
        second.commit()  # end the read transaction (SQLite would refuse a write from an old snapshot)
        solution_service.update_solution(session=first, solution=mine, data=SolutionUpdate(price_wan=9), actor="a",
                                expected_version=1)
        first.commit()
        assert theirs.version == 1  # stale in memory: only the database can tell
        with pytest.raises(Conflict, match="该记录已被他人修改，请刷新后重试") as caught:
            solution_service.update_solution(session=second, solution=theirs, data=SolutionUpdate(price_wan=7), actor="b")
        assert caught.value.status == 409
        second.rollback()
        stored = solution_service.get_solution(session=second, solution_id=solution_id)
        assert (stored.price_wan, stored.version) == (9, 2)
        assert [e.actor for e in second.exec(select(AuditEntry).where(AuditEntry.action == "update"))] == ["a"]


def test_stale_status_change_conflicts_too(database_url: str) -> None:
    first, second, solution_id = _two_sessions_load(database_url)
    with first, second:
        mine = solution_service.get_solution(session=first, solution_id=solution_id)
        theirs = solution_service.get_solution(session=second, solution_id=solution_id)
        second.commit()
        solution_service.change_solution_status(session=first, solution=mine, status=ListingStatus.SUSPENDED, actor="a")
        first.commit()
        with pytest.raises(Conflict):
            solution_service.change_solution_status(session=second, solution=theirs, status=ListingStatus.RETIRED, actor="b")
        second.rollback()
        assert solution_service.get_solution(session=second, solution_id=solution_id).status == ListingStatus.SUSPENDED
