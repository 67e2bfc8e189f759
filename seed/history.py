"""The pilot so far: a deterministic record of each demo city's last 18 months.

For each demo city: two past 供需对接 events (schedules, no-shows, outcomes) and one open
for registration (seed/history_events.py), and engagements at every stage — 意向, 签约,
实施中 (some awaiting the bureau's acceptance), 已验收 (level after, subsidy, rating) and 终止
(with the reason) — generated from the catalogue with a fixed random seed. Dates are
relative to `today`, so the demo never goes stale.

Every record is made by the services the app itself uses (catalog.enterprises.service,
catalog.engagements.service, catalog.events.service, catalog.events.meetings), step by step in
the order the workflow allows, so the audit log and the invariants hold. Only the creation
time of an engagement is set back to the day it began (it is not a state field).

Loaded once: a database that already holds engagements or events is left as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from catalog.engagements import service as flow
from catalog.engagements.models import Engagement, EngagementStatus
from catalog.enterprises.models import Enterprise
from catalog.events.models import Event
from catalog.notifications.models import Notification
from catalog.solutions.models import Solution
from catalog.taxonomy import level_number
from seed import history_events, history_listings, history_showcase, history_targets
from seed.history_base import (
    CITIES,
    City,
    city_enterprises,
    fitting,
    needs_of,
    offerings,
    open_engagement,
    party_actors,
    settle,
    showcase_firms,
)

SEED = 20240601
WINDOW_DAYS = 540  # about 18 months
S = EngagementStatus
LEVELS = ("一级", "二级", "三级", "四级")
TERMINATION_REASONS = (
    "企业资金未到位，项目暂缓，双方协商终止",
    "企业需求调整，改由集团统一建设",
    "服务商交付延期两个月，企业要求终止",
    "企业投诉：实施人员频繁更换，进度无法保障",
    "合同条款（数据归属、运维费用）未谈拢",
    "企业生产线搬迁，改造计划取消",
)


@dataclass
class Plan:
    """Where one engagement is to end up, and when each step happened."""

    engagement: Engagement
    began: date
    fate: str
    propose_only: bool = False  # 实施中 with an acceptance waiting for the bureau


@dataclass
class HistoryReport:
    """What the history load made."""

    events: int = 0
    meetings: int = 0
    targets: int = 0
    waiting_review: int = 0
    engagements: dict[str, int] = field(default_factory=dict)

    def summary_zh(self) -> str:
        stages = "，".join(f"{k} {v}" for k, v in self.engagements.items())
        return (f"试点历程：对接活动 {self.events} 场（约见 {self.meetings} 场），对接成果 {stages}，"
                f"新增年度目标 {self.targets} 项，待审核的服务商修改与新产品 {self.waiting_review} 项")


def has_history(*, session: Session) -> bool:
    """True when the database already holds engagements or events."""
    return (session.exec(select(Engagement.id).limit(1)).first() is not None
            or session.exec(select(Event.id).limit(1)).first() is not None)


def choose_fate(rng: random.Random, age_days: int) -> str:
    """An engagement's end state, by how long ago it began."""
    options: dict[str, int]
    if age_days < 60:
        options = {S.INTENT: 70, S.SIGNED: 20, S.TERMINATED: 10}
    elif age_days < 160:
        options = {S.INTENT: 12, S.SIGNED: 28, S.IN_PROGRESS: 45, S.TERMINATED: 15}
    else:
        options = {S.SIGNED: 4, S.IN_PROGRESS: 14, S.ACCEPTED: 64, S.TERMINATED: 18}
    return rng.choices(list(options), weights=list(options.values()))[0]


def level_after(rng: random.Random, before: str | None) -> str:
    """The level rated at acceptance: usually one step up, never down."""
    now = level_number(before)
    if now <= 0:
        return rng.choice(("一级", "二级", "二级"))
    step = 1 if now < 3 else (1 if rng.random() < 0.35 else 0)
    if now == 2 and rng.random() < 0.25:
        step = 0
    return LEVELS[min(now + step, 4) - 1]


def rating(rng: random.Random, fate: str) -> int | None:
    """The enterprise's rating of the service (mostly good; a few complaints)."""
    if fate == S.TERMINATED:
        return rng.choice((1, 2, 3)) if rng.random() < 0.4 else None
    if rng.random() < 0.12:
        return None
    return int(rng.choices((5, 4, 3, 2, 1), weights=(42, 36, 14, 6, 2))[0])


def contract_amount(rng: random.Random, solution: Solution, firm: Enterprise) -> float:
    amount = solution.price_wan * rng.uniform(0.85, 1.35)
    if firm.budget_wan:
        amount = min(amount, float(firm.budget_wan) * rng.uniform(0.6, 1.0))
    return round(max(amount, 1.0), 1)


def advance(session: Session, rng: random.Random, plan: Plan, city: City, today: date) -> date:
    """Take an 意向 engagement through the workflow's steps, in order, to its planned fate;
    returns the day of its last step."""
    engagement = plan.engagement
    if plan.fate == S.INTENT:
        return plan.began
    if plan.fate == S.TERMINATED and rng.random() < 0.4:
        return finish_terminated(session, rng, engagement, city, plan.began + timedelta(days=rng.randint(5, 30)))
    firm = session.get(Enterprise, engagement.enterprise_id)
    solution = session.get(Solution, engagement.solution_id)
    assert firm is not None and solution is not None
    firm_actor, seller_actor = party_actors(session, engagement)
    signed_on = min(plan.began + timedelta(days=rng.randint(7, 40)), today - timedelta(days=1))
    flow.sign(session=session, engagement=engagement, amount_wan=contract_amount(rng, solution, firm),
              contract_date=signed_on, actor=firm_actor)
    if plan.fate == S.SIGNED:
        return signed_on
    flow.start(session=session, engagement=engagement, actor=seller_actor)
    if plan.fate == S.TERMINATED:
        return finish_terminated(session, rng, engagement, city,
                                 min(signed_on + timedelta(days=rng.randint(20, 90)), today))
    if plan.fate == S.IN_PROGRESS and not plan.propose_only:
        return min(signed_on + timedelta(days=rng.randint(1, 10)), today)
    accepted_on = signed_on + timedelta(days=round(solution.deploy_days * rng.uniform(0.6, 1.3)) + 3)
    return accept(session, rng, plan, city, min(accepted_on, today - timedelta(days=2)), firm)


def accept(session: Session, rng: random.Random, plan: Plan, city: City, on: date, firm: Enterprise) -> date:
    """The parties propose acceptance on `on`; the bureau confirms it (unless it is still
    waiting) and the enterprise rates the service."""
    engagement = plan.engagement
    firm_actor, seller_actor = party_actors(session, engagement)
    share = round(float(engagement.contract_amount_wan or 0) * 0.1, 1) if rng.random() < 0.3 else 0.0
    flow.propose_acceptance(session=session, engagement=engagement, acceptance_date=on,
                            level_before=firm.level or "未评测", level_after=level_after(rng, firm.level),
                            actor=seller_actor, provider_share_wan=share)
    if plan.propose_only:
        return on
    flow.confirm_acceptance(session=session, engagement=engagement, actor=city.bureau)
    score = rating(rng, S.ACCEPTED)
    if score is not None:
        flow.rate(session=session, engagement=engagement, rating=score, actor=firm_actor,
                  review=history_showcase.review_for(engagement.id or 0, score))
    return on


def finish_terminated(session: Session, rng: random.Random, engagement: Engagement, city: City, on: date) -> date:
    reason = rng.choice(TERMINATION_REASONS)
    flow.terminate(session=session, engagement=engagement, reason=f"{on:%Y-%m-%d}：{reason}", actor=city.bureau)
    score = rating(rng, S.TERMINATED)
    if score is not None:
        flow.rate(session=session, engagement=engagement, rating=score, actor=party_actors(session, engagement)[0],
                  review=history_showcase.review_for(engagement.id or 0, score))
    return on


def plan_for(rng: random.Random, engagement: Engagement, began: date, today: date,
             at_least: str | None = None) -> Plan:
    """The plan of an engagement that began on `began` (`at_least` 签约: it was signed at an event)."""
    fate = choose_fate(rng, (today - began).days)
    if at_least == S.SIGNED and fate in (S.INTENT, S.TERMINATED):
        fate = S.SIGNED
    propose_only = fate == S.IN_PROGRESS and (today - began).days > 100 and rng.random() < 0.3
    return Plan(engagement, began, fate, propose_only)


def direct_plans(session: Session, rng: random.Random, city: City, today: date,
                 taken: set[tuple[int, int]]) -> list[Plan]:
    """Engagements that began outside events: an enterprise took up an offering for one of its needs."""
    pool = [s for s, _ in offerings(session, city)]
    plans = []
    for firm in city_enterprises(session, city):
        for need in needs_of(session, firm):
            choices = [s for s in fitting(need, firm, pool) if (firm.id, s.id) not in taken]
            if not choices or rng.random() > 0.3:
                continue
            solution = rng.choice(choices[:6])
            taken.add((firm.id or 0, solution.id or 0))
            recent = rng.random() < 0.3
            began = today - timedelta(days=rng.randint(3, 80) if recent else rng.randint(12, WINDOW_DAYS))
            plans.append(plan_for(rng, open_engagement(session, firm, solution, began), began, today))
    return plans


SHOWCASE = ((S.ACCEPTED, 330), (S.IN_PROGRESS, 110), (S.INTENT, 15))


def showcase_plans(session: Session, city: City, today: date, taken: set[tuple[int, int]]) -> list[Plan]:
    """For each enterprise a demo account signs in as: one accepted, one in progress, one new."""
    pool = [s for s, _ in offerings(session, city)]
    plans = []
    for firm in showcase_firms(session, city):
        needs = needs_of(session, firm)
        for (fate, days_ago), need in zip(SHOWCASE, needs * len(SHOWCASE), strict=False):
            choices = [s for s in fitting(need, firm, pool) if (firm.id, s.id) not in taken]
            if not choices:
                continue
            solution = choices[0]
            taken.add((firm.id or 0, solution.id or 0))
            began = today - timedelta(days=days_ago)
            plans.append(Plan(open_engagement(session, firm, solution, began), began, fate))
    return plans


def stage_counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(Engagement.status, func.count()).group_by(col(Engagement.status))).all()
    found = {str(status): int(n) for status, n in rows}
    return {s.value: found.get(s.value, 0) for s in S}


def load_history(*, session: Session, today: date | None = None) -> HistoryReport:
    """Load the pilot's history for every demo city (once; flushes only)."""
    report = HistoryReport()
    if has_history(session=session):
        return report
    today = today or date.today()
    before = session.exec(select(func.max(Notification.id))).one() or 0
    for number, city in enumerate(CITIES):
        if not city_enterprises(session, city):
            continue
        rng = random.Random(SEED + number)
        taken: set[tuple[int, int]] = set()
        held = history_events.city_events(session=session, rng=rng, city=city, today=today)
        report.events += held.events
        report.meetings += held.meetings
        plans = [plan_for(rng, g, began, today, at_least) for g, began, at_least in held.engagements]
        taken |= {(p.engagement.enterprise_id, p.engagement.solution_id) for p in plans}
        plans += showcase_plans(session, city, today, taken)
        plans += direct_plans(session, rng, city, today, taken)
        for plan in sorted(plans, key=lambda p: (p.began, p.engagement.id or 0)):  # in the order they happened
            settle(session, plan.engagement, plan.began, advance(session, rng, plan, city, today))
        history_events.record_signings(session=session, held=held)
        session.flush()
        history_showcase.add_showcase(session=session, enterprise_ids=[e.id or 0 for e in city_enterprises(session, city)])
        report.targets += history_targets.load_demo_targets(session=session, rng=rng, city=city, today=today)
    session.flush()
    _read_what_is_past(session, after_id=before)
    report.waiting_review = history_listings.add_listing_work(session=session)  # news: left unread
    report.engagements = stage_counts(session)
    return report


def _read_what_is_past(session: Session, *, after_id: int) -> None:
    """The messages the history's steps sent are about the past: the demo accounts have read them."""
    for message in session.exec(select(Notification).where(col(Notification.id) > after_id)):
        message.read_at = message.created_at
        session.add(message)
    session.flush()
