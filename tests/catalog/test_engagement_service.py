"""The engagement workflow: steps in order, each audited; subsidy at acceptance under the
新乡 (rate with cap) and 兴国 (fixed award, never above the spend) policies, by hand."""

from __future__ import annotations

from datetime import date

import pytest
from catalog_builders import make_enterprise, make_provider, make_solution
from sqlmodel import Session, select

from catalog.audit import service as audit
from catalog.audit.models import AuditEntry
from catalog.engagements import service as engagement_service
from catalog.engagements import service as flow
from catalog.engagements.models import Engagement
from catalog.engagements.schemas import EngagementCreate
from catalog.enterprises.models import Enterprise
from catalog.errors import Conflict, InvalidTransition, ValidationFailed
from catalog.taxonomy import reaches_pilot_level

XINXIANG = "河南省新乡市长垣市"
XINGGUO = "江西省赣州市兴国县"


def _engagement(session: Session, region: str, level: str = "一级", deploy_days: int = 60) -> Engagement:
    provider = make_provider(session, "flowp")
    solution = make_solution(session, provider, "FLOW-1", deploy_days=deploy_days)
    firm = make_enterprise(session, "flowe", region=region, level=level)
    return engagement_service.create_engagement(session=session, data=EngagementCreate(
        enterprise_id=firm.id, solution_id=solution.id), actor="tester")


def _walk(session: Session, g: Engagement, amount: float, before: str, after: str,
          share: float = 0.0) -> Engagement:
    flow.sign(session=session, engagement=g, amount_wan=amount, contract_date=date(2025, 3, 1), actor="enterprise:e")
    flow.start(session=session, engagement=g, actor="provider:p")
    flow.propose_acceptance(session=session, engagement=g, acceptance_date=date(2025, 4, 20), level_before=before,
                            level_after=after, provider_share_wan=share, actor="provider:p")
    flow.confirm_acceptance(session=session, engagement=g, actor="bureau:b")
    return g


@pytest.mark.parametrize(("amount", "after", "owed"), [
    (60.0, "二级", 30.0),   # 二级: 50% of 60 = 30
    (120.0, "二级", 50.0),  # 50% of 120 = 60, capped at 50
    (80.0, "三级", 56.0),   # 三级: 70% of 80 = 56
    (150.0, "四级", 70.0),  # 70% of 150 = 105, capped at 70
    (40.0, "一级", 0.0),    # below 二级: nothing
])
def test_xinxiang_subsidy_at_acceptance(session: Session, amount: float, after: str, owed: float) -> None:
    g = _walk(session, _engagement(session, XINXIANG), amount, "一级", after)
    record = flow.acceptance_of(session=session, engagement_id=g.id or 0)
    assert record is not None and record.policy_key == "xinxiang"
    assert record.subsidy_wan == pytest.approx(owed)
    assert g.status == "已验收" and g.level_after == after and g.acceptance_date == date(2025, 4, 20)
    assert g.cost_split == pytest.approx({"企业": amount - owed, "服务商": 0.0, "政府": owed})


@pytest.mark.parametrize(("amount", "after", "owed"), [
    (30.0, "L5", 8.0),     # L5: 8万 fixed
    (30.0, "L6", 30.0),    # L6: 40万, but never above the 30万 spent
    (100.0, "L7", 80.0),   # L7: 80万
    (500.0, "L9", 200.0),  # L8 and above: 200万
    (50.0, "L4", 0.0),     # below L5: nothing
])
def test_xingguo_subsidy_at_acceptance(session: Session, amount: float, after: str, owed: float) -> None:
    g = _walk(session, _engagement(session, XINGGUO), amount, "L3", after)
    record = flow.acceptance_of(session=session, engagement_id=g.id or 0)
    assert record is not None and record.policy_key == "xingguo"
    assert record.subsidy_wan == pytest.approx(owed)
    assert g.cost_split["政府"] == pytest.approx(owed)


def test_cost_split_records_the_provider_concession(session: Session) -> None:
    g = _walk(session, _engagement(session, XINXIANG), 60.0, "一级", "二级", share=5.0)
    assert g.cost_split == pytest.approx({"企业": 25.0, "服务商": 5.0, "政府": 30.0})


def test_each_step_is_audited_and_chain_stays_valid(session: Session) -> None:
    g = _walk(session, _engagement(session, XINXIANG), 60.0, "一级", "二级")
    entries = session.exec(select(AuditEntry).where(AuditEntry.record_type == "engagement",
                                                    AuditEntry.record_key == str(g.id))).all()
    actions = [(e.action, (e.after or {}).get("status")) for e in entries]
    assert ("status", "签约") in actions and ("status", "实施中") in actions and ("status", "已验收") in actions
    assert any(a == "propose_acceptance" for a, _ in actions)
    assert {e.actor for e in entries} >= {"enterprise:e", "provider:p", "bureau:b"}
    session.flush()
    assert audit.verify(session=session).ok


def test_acceptance_raises_the_enterprise_level_and_records_on_time(session: Session) -> None:
    g = _walk(session, _engagement(session, XINXIANG, level="一级", deploy_days=30), 60.0, "一级", "三级")
    firm = session.get(Enterprise, g.enterprise_id)
    assert firm is not None and firm.level == "三级"
    record = flow.acceptance_of(session=session, engagement_id=g.id or 0)
    assert record is not None and record.on_time is False  # 50 days against 30 promised


def test_steps_must_come_in_order(session: Session) -> None:
    g = _engagement(session, XINXIANG)
    with pytest.raises(InvalidTransition):
        flow.start(session=session, engagement=g, actor="x")
    with pytest.raises(InvalidTransition):
        flow.propose_acceptance(session=session, engagement=g, acceptance_date=date(2025, 5, 1),
                                level_before="一级", level_after="二级", actor="x")
    flow.sign(session=session, engagement=g, amount_wan=10, contract_date=date(2025, 3, 1), actor="x")
    flow.start(session=session, engagement=g, actor="x")
    with pytest.raises(InvalidTransition):  # no proposal yet
        flow.confirm_acceptance(session=session, engagement=g, actor="bureau")
    flow.terminate(session=session, engagement=g, reason="企业停产", actor="x")
    assert g.status == "终止" and g.termination_reason == "企业停产"
    with pytest.raises(InvalidTransition):
        flow.sign(session=session, engagement=g, amount_wan=10, contract_date=date(2025, 3, 1), actor="x")


def test_bad_figures_are_refused(session: Session) -> None:
    g = _engagement(session, XINXIANG)
    with pytest.raises(ValidationFailed):
        flow.sign(session=session, engagement=g, amount_wan=0, contract_date=date(2025, 3, 1), actor="x")
    with pytest.raises(Conflict):
        flow.sign(session=session, engagement=g, amount_wan=5, contract_date=date(2025, 3, 1), actor="x",
                  expected_version=g.version + 1)
    flow.sign(session=session, engagement=g, amount_wan=5, contract_date=date(2025, 3, 1), actor="x")
    flow.start(session=session, engagement=g, actor="x")
    with pytest.raises(ValidationFailed):
        flow.propose_acceptance(session=session, engagement=g, acceptance_date=date(2025, 5, 1),
                                level_before="一级", level_after="五级", actor="x")
    with pytest.raises(ValidationFailed):
        flow.propose_acceptance(session=session, engagement=g, acceptance_date=date(2025, 2, 1),
                                level_before="一级", level_after="二级", actor="x")
    with pytest.raises(ValidationFailed):
        flow.terminate(session=session, engagement=g, reason="  ", actor="x")


def test_level_two_reading() -> None:
    assert reaches_pilot_level("二级") and reaches_pilot_level("四级") and reaches_pilot_level("L4")
    assert not reaches_pilot_level("一级") and not reaches_pilot_level("L3")
    assert not reaches_pilot_level(None) and not reaches_pilot_level("五级")
