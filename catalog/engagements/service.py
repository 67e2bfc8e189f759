"""Writes to 对接成果 (engagements): creating one and correcting its figures, and the workflow 意向 → 签约 → 实施中 → 已验收 (proposed by a party, confirmed by
the bureau, subsidy computed under the city's policy) or 终止. Each step is audited.

Each step is written twice: as an actor takes it (the order of steps and the figures; an event's
meeting outcome and the demo data call these) and, below, as a user takes it (`sign_as` …
`rate_as`, `update_engagement_as`: who may, catalog/engagements/permissions.py, then the step,
audited as that user), which the API and the pages call. Services flush, never commit.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, select

from catalog import writes
from catalog.access import CREATE_ENGAGEMENT, EDIT, VIEW, load_visible
from catalog.engagements import permissions as engagement_rules
from catalog.engagements.models import Engagement, EngagementStatus
from catalog.engagements.queries import open_engagement
from catalog.engagements.schemas import EngagementCreate, EngagementUpdate
from catalog.enterprises import permissions as enterprise_permissions
from catalog.enterprises.models import Enterprise
from catalog.enterprises.service import get_enterprise
from catalog.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from catalog.limits import CONTRACT_WAN
from catalog.limits import REMARK_CHARS as REVIEW_CHARS
from catalog.progress import policy
from catalog.progress.models import AcceptanceRecord
from catalog.records import utcnow
from catalog.solutions import permissions as solution_permissions
from catalog.solutions import queries as solution_queries
from catalog.solutions.models import Solution
from catalog.solutions.service import get_solution
from catalog.subsidies.amounts import Subsidy, policy_level, subsidy
from catalog.subsidies.policies import Policy, policy_for_region
from catalog.taxonomy import JIANGXI_SCALE, level_number
from catalog.users.models import User
from catalog.users.service import actor_of

S = EngagementStatus
NEXT: dict[str, frozenset[str]] = {
    S.INTENT: frozenset({S.SIGNED, S.TERMINATED}),
    S.SIGNED: frozenset({S.IN_PROGRESS, S.TERMINATED}),
    S.IN_PROGRESS: frozenset({S.ACCEPTED, S.TERMINATED}),
    S.ACCEPTED: frozenset(),
    S.TERMINATED: frozenset(),
}
COST_PARTS = ("企业", "服务商", "政府")


def valid_level(label: str | None) -> str:
    """A level label on 一级…四级 or the 江西 L1–L9 scale, normalised; else ValidationFailed."""
    text = (label or "").strip().upper()
    if JIANGXI_SCALE.match(text):
        return text
    text = (label or "").strip()
    if level_number(text) > 0 or text == "未评测":
        return text
    raise ValidationFailed(message=f"等级“{label or ''}”无效：请填写一级至四级，或江西 L1–L9")


def _check(engagement: Engagement, target: str, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != engagement.version:
        raise Conflict(message="该对接记录已被他人修改，请刷新后重试")
    if target not in NEXT.get(engagement.status, frozenset()):
        raise InvalidTransition(message=f"对接状态不能从“{engagement.status}”变更为“{target}”")


def _snapshot(engagement: Engagement) -> dict[str, Any]:
    return engagement.model_dump(exclude={"created_at", "updated_at"})


def _bump(record: Any) -> None:
    """Next version, unless the mapper counts versions itself (version_id_col)."""
    if sa_inspect(type(record)).version_id_col is None:
        record.version += 1
    record.updated_at = utcnow()


def _move(session: Session, engagement: Engagement, target: str, actor: str, **changes: Any) -> Engagement:
    before = _snapshot(engagement)
    for name, value in changes.items():
        setattr(engagement, name, value)
    engagement.status = target
    _bump(engagement)
    session.add(engagement)
    session.flush()  # a mapper counting versions sets the new one here
    writes.audited_change(session=session, record=engagement, actor=actor, action="status", before=before,
                          after=_snapshot(engagement))
    session.flush()
    return engagement


def sign(*, session: Session, engagement: Engagement, amount_wan: float | None, contract_date: date, actor: str,
         expected_version: int | None = None) -> Engagement:
    """意向 → 签约, with the contract amount (万元, more than 0 and at most limits.CONTRACT_WAN, the
    bound a correction has too) and date."""
    _check(engagement, S.SIGNED, expected_version)
    amount = round(float(amount_wan), 4) if amount_wan is not None else math.nan  # as stored
    if not math.isfinite(amount) or amount <= 0 or amount > CONTRACT_WAN:
        raise ValidationFailed(message=f"合同金额须大于 0 万元（且不超过 {CONTRACT_WAN:.0f} 万元）")
    return _move(session, engagement, S.SIGNED, actor, contract_amount_wan=amount, contract_date=contract_date)


def record_signing(*, session: Session, engagement: Engagement, actor: str) -> Engagement:
    """意向 → 签约 as both sides reported it at a matchmaking meeting; the contract's figures follow
    through a correction of the engagement (amount, date) before acceptance is proposed."""
    _check(engagement, S.SIGNED, None)
    return _move(session, engagement, S.SIGNED, actor)


def start(*, session: Session, engagement: Engagement, actor: str, expected_version: int | None = None) -> Engagement:
    """签约 → 实施中."""
    _check(engagement, S.IN_PROGRESS, expected_version)
    return _move(session, engagement, S.IN_PROGRESS, actor)


def terminate(*, session: Session, engagement: Engagement, reason: str, actor: str,
              expected_version: int | None = None) -> Engagement:
    """Any open step → 终止, with the reason."""
    _check(engagement, S.TERMINATED, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(message="请填写终止原因")
    if len(reason) > REVIEW_CHARS:
        raise ValidationFailed("reason_too_long", f"终止原因不能超过 {REVIEW_CHARS} 字（现为 {len(reason)} 字）",
                               details=[{"field": "reason", "message": f"不能超过 {REVIEW_CHARS} 字"}])
    return _move(session, engagement, S.TERMINATED, actor, termination_reason=reason)


def acceptance_of(*, session: Session, engagement_id: int) -> AcceptanceRecord | None:
    """The acceptance record (proposal, and confirmation when made) of an engagement."""
    return session.exec(select(AcceptanceRecord).where(AcceptanceRecord.engagement_id == engagement_id)).first()


def propose_acceptance(*, session: Session, engagement: Engagement, acceptance_date: date, level_before: str,
                       level_after: str, actor: str, provider_share_wan: float = 0.0) -> AcceptanceRecord:
    """A party (enterprise or provider) asks the bureau to accept: date and levels rated on site."""
    if engagement.status != S.IN_PROGRESS:
        raise InvalidTransition(message=f"只有“实施中”的对接可以申请验收（当前：{engagement.status}）")
    before, after = valid_level(level_before), valid_level(level_after)
    if engagement.contract_date and acceptance_date < engagement.contract_date:
        raise ValidationFailed(message="验收日期不能早于签约日期")
    share = float(provider_share_wan or 0.0)
    if not math.isfinite(share) or share < 0 or share > float(engagement.contract_amount_wan or 0):
        raise ValidationFailed(message="服务商让利金额须在 0 与合同金额之间")
    record = acceptance_of(session=session, engagement_id=engagement.id or 0) or AcceptanceRecord(
        engagement_id=engagement.id or 0, acceptance_date=acceptance_date, level_before=before,
        level_after=after, proposed_by=actor)
    record.acceptance_date, record.level_before, record.level_after = acceptance_date, before, after
    record.provider_share_wan, record.proposed_by, record.proposed_at = share, actor, utcnow()
    session.add(record)
    writes.audited_change(session=session, record=engagement, actor=actor, action="propose_acceptance",
                          before=None, after={"acceptance_date": acceptance_date, "level_before": before,
                                              "level_after": after, "provider_share_wan": share})
    session.flush()
    return record


def subsidy_at_acceptance(*, region: str | None, spend_wan: float, level_after: str,
                          policy: Policy | None = None) -> Subsidy:
    """The subsidy owed under the enterprise's city policy for a spend and the level reached."""
    chosen = policy or policy_for_region(region)
    return subsidy(policy=chosen, spend_wan=spend_wan, level=policy_level(chosen, level_after))


def subsidy_preview(*, session: Session, engagement: Engagement) -> Subsidy | None:
    """While a proposed acceptance waits for the bureau: the subsidy its confirmation would
    grant (the same reckoning `confirm_acceptance` makes); None before a proposal or once
    confirmed."""
    record = acceptance_of(session=session, engagement_id=engagement.id or 0)
    if record is None or record.confirmed_at is not None:
        return None
    enterprise = session.get(Enterprise, engagement.enterprise_id)
    return subsidy_at_acceptance(region=enterprise.region if enterprise else None,
                                 spend_wan=engagement.contract_amount_wan or 0, level_after=record.level_after)


def cost_split(amount_wan: float, subsidy_wan: float, provider_share_wan: float) -> dict[str, float]:
    """企业 / 服务商 / 政府 parts of a contract: the government pays the subsidy, the provider its
    concession, the enterprise the rest."""
    government = round(min(subsidy_wan, amount_wan), 4)
    provider = round(min(provider_share_wan, amount_wan - government), 4)
    return {"企业": round(amount_wan - government - provider, 4), "服务商": provider, "政府": government}


def _on_time(session: Session, engagement: Engagement, accepted: date) -> bool | None:
    solution = session.get(Solution, engagement.solution_id)
    if solution is None:
        return None
    return policy.on_time(policy.delivery_days(engagement.contract_date, accepted), solution.deploy_days)


def confirm_acceptance(*, session: Session, engagement: Engagement, actor: str,
                       expected_version: int | None = None) -> AcceptanceRecord:
    """The bureau confirms a proposed acceptance: 实施中 → 已验收, subsidy and cost split recorded."""
    _check(engagement, S.ACCEPTED, expected_version)
    record = acceptance_of(session=session, engagement_id=engagement.id or 0)
    if record is None:
        raise InvalidTransition(message="企业或服务商尚未提交验收申请")
    enterprise = session.get(Enterprise, engagement.enterprise_id)
    amount = float(engagement.contract_amount_wan or 0.0)
    owed = subsidy_at_acceptance(region=enterprise.region if enterprise else None, spend_wan=amount,
                                 level_after=record.level_after)
    record.confirmed_by, record.confirmed_at = actor, utcnow()
    record.policy_key, record.policy_tier = owed.policy_key, owed.tier_zh
    record.subsidy_wan, record.subsidy_reason = owed.amount_wan, owed.reason_zh
    record.on_time = _on_time(session, engagement, record.acceptance_date)
    session.add(record)
    _move(session, engagement, S.ACCEPTED, actor, acceptance_date=record.acceptance_date,
          level_before=record.level_before, level_after=record.level_after,
          cost_split=cost_split(amount, owed.amount_wan, record.provider_share_wan))
    if enterprise is not None:
        _raise_enterprise_level(session, enterprise, record.level_after, actor)
    session.flush()
    return record


def _raise_enterprise_level(session: Session, enterprise: Enterprise, level: str, actor: str) -> None:
    """An accepted rating on 一级…四级 above the enterprise's recorded level becomes its level."""
    if level_number(level) <= level_number(enterprise.level):
        return
    before = {"level": enterprise.level}
    enterprise.level = level
    _bump(enterprise)
    session.add(enterprise)
    writes.audited_change(session=session, record=enterprise, actor=actor, action="update", before=before,
                          after={"level": level})


def rate(*, session: Session, engagement: Engagement, rating: int | None, actor: str, review: str = "") -> Engagement:
    """The enterprise's rating (1–5; None, no whole number given, is refused as out of range), with
    its words, of an accepted or terminated engagement: once (a product's ratings are its record,
    not a draft)."""
    if engagement.status not in (S.ACCEPTED, S.TERMINATED):
        raise InvalidTransition(message="只能对已验收或已终止的对接进行评价")
    if engagement.rating is not None:
        raise Conflict("该对接已经评价过，每项对接只能评价一次", code="already_rated")
    if rating is None or not policy.RATING_MIN <= int(rating) <= policy.RATING_MAX:
        raise ValidationFailed(message=f"评价须为 {policy.RATING_MIN} 至 {policy.RATING_MAX} 分")
    if len(review) > REVIEW_CHARS:
        raise ValidationFailed(message=f"评价内容不能超过 {REVIEW_CHARS} 字")
    before = {"rating": engagement.rating, "review": engagement.review}
    engagement.rating, engagement.review = int(rating), (review or "").strip() or None
    _bump(engagement)
    session.add(engagement)
    writes.audited_change(session=session, record=engagement, actor=actor, action="update", before=before,
                          after={"rating": engagement.rating, "review": engagement.review})
    session.flush()
    return engagement


# --- 对接记录 (create, correct the figures; the workflow above moves it on) ----------------


_ENGAGEMENT_FINAL = {EngagementStatus.ACCEPTED.value, EngagementStatus.TERMINATED.value}


def get_engagement(*, session: Session, engagement_id: int, user: User | None) -> Engagement:
    """The engagement with this id as `user` may see it (catalog/engagements/permissions.py):
    NotFound, with one text naming the id, both when there is none and when the user may not see
    it (its existence is not revealed). The API, the pages and the showcase all look one up here."""
    found = session.get(Engagement, engagement_id)
    if found is None or not engagement_rules.can(user, VIEW, found):
        raise NotFound(f"未找到编号为 {engagement_id} 的{Engagement.label}")
    return found


def create_engagement(*, session: Session, data: EngagementCreate, actor: str) -> Engagement:
    """Record an enterprise's intention (意向) to use a solution; its provider follows the solution.

    Every engagement starts as 意向: later states are reached only through the workflow's
    actions in catalog/engagements/service.py (sign, start, propose/confirm acceptance, terminate).
    `open_intention` is the one an enterprise or a bureau calls; an event's meeting outcome
    (catalog/events/meetings.py) comes here directly, since unlisted local providers take part.
    """
    solution = get_solution(session=session, solution_id=data.solution_id)
    enterprise = get_enterprise(session=session, enterprise_id=data.enterprise_id)
    now = utcnow()
    engagement = Engagement(enterprise_id=data.enterprise_id, solution_id=data.solution_id,
                            provider_id=solution.provider_id, status=EngagementStatus.INTENT.value,
                            level_before=enterprise.level, created_at=now, updated_at=now)
    writes.create(session=session, records=[engagement], actor=actor)
    return engagement


def open_intention(*, session: Session, user: User, enterprise_id: int, solution_id: int) -> Engagement:
    """`user`'s intention (意向) for an enterprise on an offering, as every front door registers
    it: an enterprise it may see (404 otherwise) and register for (itself, or its bureau's), an
    offering it may see and that is publicly listed, and no engagement of the two still under
    way (申请对接 refuses the same)."""
    enterprise = load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_permissions.can)
    engagement_rules.require(user, CREATE_ENGAGEMENT, enterprise)
    load_visible(session, user, Solution, solution_id, "产品", solution_permissions.can)
    if not solution_queries.listed(session=session, ids=[solution_id]):
        raise ValidationFailed("solution_not_listed", "请选择已入库的产品和解决方案")
    if open_engagement(session=session, enterprise_id=enterprise_id, solution_id=solution_id):
        raise Conflict("该企业已就这一产品登记过对接，请在对接进展中继续", code="already_engaged")
    return create_engagement(session=session, data=EngagementCreate(enterprise_id=enterprise_id, solution_id=solution_id),
                             actor=actor_of(user))


def update_engagement(*, session: Session, engagement: Engagement, data: EngagementUpdate, actor: str,
                      expected_version: int | None = None) -> Engagement:
    """Correct the figures of an open engagement; an accepted or terminated one stays as it is,
    and one signed keeps a contract (its amount and date can be corrected, not cleared)."""
    if engagement.status in _ENGAGEMENT_FINAL:
        raise InvalidTransition(f"对接已是“{engagement.status}”，不能再修改", code="engagement_closed")
    changes = data.model_dump(exclude_unset=True)
    if engagement.status != EngagementStatus.INTENT:
        cleared = [label for name, label in (("contract_amount_wan", "合同金额"), ("contract_date", "签约日期"))
                   if name in changes and changes[name] is None]
        if cleared:
            raise ValidationFailed("contract_required", f"对接已签约，{'、'.join(cleared)}只能更正，不能清空")
    writes.update(session=session, record=engagement, changes=changes, actor=actor,
                  expected_version=expected_version)
    return engagement


# --- as a user acts: who may, then the step or the correction, audited as that user -----------
# The one entry of the API and the pages (as `open_intention` is for a new intention): the
# engagement is the one `get_engagement` found for the user; each checks catalog/engagements/
# permissions.py before the step's own rules.


def _actor_for(session: Session, user: User, step: str, engagement: Engagement) -> str:
    """The audit actor of `user` once it may take `step` on `engagement` (Forbidden otherwise)."""
    engagement_rules.require_step(user, step, engagement, session.get(Enterprise, engagement.enterprise_id))
    return actor_of(user)


def sign_as(*, session: Session, user: User, engagement: Engagement, amount_wan: float | None, contract_date: date,
            expected_version: int | None = None) -> Engagement:
    """`user` signs (`sign`): a party, or the bureau of the enterprise's region."""
    actor = _actor_for(session, user, engagement_rules.SIGN, engagement)
    return sign(session=session, engagement=engagement, amount_wan=amount_wan, contract_date=contract_date,
                actor=actor, expected_version=expected_version)


def start_as(*, session: Session, user: User, engagement: Engagement,
             expected_version: int | None = None) -> Engagement:
    """`user` starts the work (`start`): a party, or the bureau of the enterprise's region."""
    actor = _actor_for(session, user, engagement_rules.START, engagement)
    return start(session=session, engagement=engagement, actor=actor, expected_version=expected_version)


def propose_acceptance_as(*, session: Session, user: User, engagement: Engagement, acceptance_date: date,
                          level_before: str, level_after: str, provider_share_wan: float = 0.0) -> AcceptanceRecord:
    """`user` asks for acceptance (`propose_acceptance`): a party, or the bureau of the enterprise's region."""
    actor = _actor_for(session, user, engagement_rules.PROPOSE, engagement)
    return propose_acceptance(session=session, engagement=engagement, acceptance_date=acceptance_date,
                              level_before=level_before, level_after=level_after, actor=actor,
                              provider_share_wan=provider_share_wan)


def confirm_acceptance_as(*, session: Session, user: User, engagement: Engagement,
                          expected_version: int | None = None) -> AcceptanceRecord:
    """`user` confirms the acceptance (`confirm_acceptance`): the bureau of the enterprise's region only."""
    actor = _actor_for(session, user, engagement_rules.CONFIRM, engagement)
    return confirm_acceptance(session=session, engagement=engagement, actor=actor, expected_version=expected_version)


def terminate_as(*, session: Session, user: User, engagement: Engagement, reason: str,
                 expected_version: int | None = None) -> Engagement:
    """`user` ends the engagement (`terminate`): a party, or the bureau of the enterprise's region."""
    actor = _actor_for(session, user, engagement_rules.TERMINATE, engagement)
    return terminate(session=session, engagement=engagement, reason=reason, actor=actor,
                     expected_version=expected_version)


def rate_as(*, session: Session, user: User, engagement: Engagement, rating: int | None,
            review: str = "") -> Engagement:
    """`user` rates the engagement (`rate`): its enterprise only."""
    actor = _actor_for(session, user, engagement_rules.RATE, engagement)
    return rate(session=session, engagement=engagement, rating=rating, actor=actor, review=review)


def update_engagement_as(*, session: Session, user: User, engagement: Engagement, data: EngagementUpdate,
                         expected_version: int | None = None) -> Engagement:
    """`user` corrects the figures (`update_engagement`): whoever may see the engagement."""
    engagement_rules.require(user, EDIT, engagement)
    return update_engagement(session=session, engagement=engagement, data=data, actor=actor_of(user),
                             expected_version=expected_version)
