"""Computed measures behind the target table's rows: each one lists the records it counts,
so a figure on the dashboard always drills down to exactly those records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from catalog.chains.models import ChainLink
from catalog.engagements.models import CONTRACTED, Engagement, EngagementStatus
from catalog.enterprises.models import Enterprise
from catalog.events.models import Event, EventStatus
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions.models import Solution
from catalog.taxonomy import reaches_pilot_level


@dataclass(frozen=True)
class Scope:
    """Where and when a measure counts: a city (region prefix), a segment's industries, a year."""

    region: str
    industries: tuple[str, ...] = ()
    year: int | None = None


@dataclass(frozen=True)
class Item:
    """One record behind a figure."""

    record_type: str  # enterprise / provider / solution / event / engagement
    record_id: int
    name: str
    when: date | None = None
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class Result:
    value: float
    items: list[Item]
    denominator: int | None = None  # for shares (%)


def _in_segment(industry: str | None, scope: Scope) -> bool:
    return not scope.industries or any((industry or "").startswith(code) for code in scope.industries)


def _in_year(when: date | None, scope: Scope) -> bool:
    return scope.year is None or (when is not None and when.year == scope.year)


def _enterprises(session: Session, scope: Scope) -> list[Enterprise]:
    rows = session.exec(select(Enterprise).where(col(Enterprise.region).startswith(scope.region, autoescape=True))
                        .order_by(col(Enterprise.id))).all()
    return [e for e in rows if _in_segment(e.industry, scope)]


def _accepted(session: Session, scope: Scope) -> list[tuple[Engagement, Enterprise]]:
    rows = session.exec(select(Engagement, Enterprise).join(Enterprise, col(Enterprise.id) == Engagement.enterprise_id)
                        .where(col(Engagement.status) == EngagementStatus.ACCEPTED.value,
                               col(Enterprise.region).startswith(scope.region, autoescape=True))
                        .order_by(col(Engagement.acceptance_date), col(Engagement.id))).all()
    return [(g, e) for g, e in rows if _in_segment(e.industry, scope) and _in_year(g.acceptance_date, scope)]


def _transformed(session: Session, scope: Scope, keep: Callable[[Enterprise], bool]) -> Result:
    """Enterprises with an accepted engagement at 二级 or above (each counted once, first acceptance)."""
    seen: dict[int, Item] = {}
    for engagement, firm in _accepted(session, scope):
        if firm.id in seen or not keep(firm) or not reaches_pilot_level(engagement.level_after):
            continue
        seen[firm.id or 0] = Item("enterprise", firm.id or 0, firm.name, engagement.acceptance_date,
                                  f"{engagement.level_before or '未评测'} → {engagement.level_after}（{firm.size}）",
                                  f"/bureau/enterprises/{firm.id}")
    return Result(len(seen), list(seen.values()))


def transformed(session: Session, scope: Scope) -> Result:
    return _transformed(session, scope, lambda e: True)


def transformed_above(session: Session, scope: Scope) -> Result:
    return _transformed(session, scope, lambda e: e.size == "规上")


def transformed_below(session: Session, scope: Scope) -> Result:
    return _transformed(session, scope, lambda e: e.size != "规上")


def transformed_srdi(session: Session, scope: Scope) -> Result:
    return _transformed(session, scope, lambda e: (e.srdi_tier or "无") != "无")


def _engagement_items(session: Session, scope: Scope, statuses: set[str]) -> Result:
    rows = session.exec(select(Engagement, Enterprise).join(Enterprise, col(Enterprise.id) == Engagement.enterprise_id)
                        .where(col(Engagement.status).in_(statuses),
                               col(Enterprise.region).startswith(scope.region, autoescape=True))
                        .order_by(col(Engagement.id))).all()
    items = [Item("engagement", g.id or 0, firm.name, g.contract_date, f"{g.status}，合同 {g.contract_amount_wan or 0:g} 万元",
                  f"/progress/engagements/{g.id}")
             for g, firm in rows if _in_segment(firm.industry, scope) and _in_year(g.contract_date, scope)]
    return Result(len(items), items)


def signed(session: Session, scope: Scope) -> Result:
    return _engagement_items(session, scope, {s.value for s in CONTRACTED})


def level_four(session: Session, scope: Scope) -> Result:
    """Enterprises whose recorded level is 四级 (counted now, whatever the year)."""
    items = [Item("enterprise", e.id or 0, e.name, None, e.level, f"/bureau/enterprises/{e.id}")
             for e in _enterprises(session, scope) if e.level == "四级"]
    return Result(len(items), items)


def _share(items: list[Item], total: int) -> Result:
    return Result(round(100.0 * len(items) / total, 1) if total else 0.0, items, total)


def diagnosed(session: Session, scope: Scope) -> Result:
    """诊断覆盖率: share (%) of the city's pilot enterprises with a rated level."""
    firms = _enterprises(session, scope)
    items = [Item("enterprise", e.id or 0, e.name, None, e.level, f"/bureau/enterprises/{e.id}")
             for e in firms if e.level not in ("", "未评测")]
    return _share(items, len(firms))


def above_at_level_two(session: Session, scope: Scope) -> Result:
    """Share (%) of 规上 pilot enterprises at 二级 or above (the bar: catalog.progress.policy.LEVEL_TWO_SHARE_PCT)."""
    firms = [e for e in _enterprises(session, scope) if e.size == "规上"]
    items = [Item("enterprise", e.id or 0, e.name, None, e.level, f"/bureau/enterprises/{e.id}")
             for e in firms if reaches_pilot_level(e.level)]
    return _share(items, len(firms))


def _serves(provider: Provider, region: str) -> bool:
    return provider.region.startswith(region) or any(
        r and (region.startswith(r) or r.startswith(region)) for r in provider.service_regions)


def providers_pool(session: Session, scope: Scope) -> Result:
    """Published providers based in or serving the city."""
    rows = session.exec(select(Provider).where(col(Provider.status) == ListingStatus.PUBLISHED.value)
                        .order_by(col(Provider.id))).all()
    items = [Item("provider", p.id or 0, p.name, None, p.kind, f"/providers/{p.id}") for p in rows
             if _serves(p, scope.region) and (not scope.industries or any(
                 _in_segment(code, scope) for code in p.industries) or "通用" in p.industries)]
    return Result(len(items), items)


def _solutions(session: Session, scope: Scope, excellent_only: bool) -> Result:
    statement = (select(Solution, Provider).join(Provider, col(Provider.id) == Solution.provider_id)
                 .where(col(Solution.status) == ListingStatus.PUBLISHED.value,
                        col(Provider.status) == ListingStatus.PUBLISHED.value).order_by(col(Solution.id)))
    if excellent_only:
        statement = statement.where(col(Solution.excellent).is_(True))
    items = [Item("solution", s.id or 0, s.name, None, p.name, f"/solutions/{s.id}")
             for s, p in session.exec(statement).all()
             if _serves(p, scope.region) and (not scope.industries or "通用" in s.industries
                                              or any(_in_segment(code, scope) for code in s.industries))]
    return Result(len(items), items)


def solutions_pool(session: Session, scope: Scope) -> Result:
    return _solutions(session, scope, excellent_only=False)


def excellent_solutions(session: Session, scope: Scope) -> Result:
    return _solutions(session, scope, excellent_only=True)


def events_held(session: Session, scope: Scope) -> Result:
    """供需对接活动: events of the city that ended (已结束)."""
    rows = session.exec(select(Event).where(col(Event.region).startswith(scope.region, autoescape=True),
                                            col(Event.status) == EventStatus.CLOSED.value)
                        .order_by(col(Event.day), col(Event.id))).all()
    items = [Item("event", e.id or 0, e.title, e.day, e.place, f"/events/{e.id}")
             for e in rows if _in_year(e.day, scope) and (not scope.industries or _in_segment(e.industry, scope)
                                                          or not e.industry)]
    return Result(len(items), items)


def chain_cases(session: Session, scope: Scope) -> Result:
    """链式案例: chains whose leader or a member has an accepted engagement."""
    accepted = {firm.id: (g, firm) for g, firm in _accepted(session, replace_segment(scope))}
    leaders = session.exec(select(Enterprise).where(
        col(Enterprise.id).in_(select(ChainLink.leader_id)),
        col(Enterprise.region).startswith(scope.region, autoescape=True)).order_by(col(Enterprise.id))).all()
    items = []
    for leader in leaders:
        if not _in_segment(leader.industry, scope):
            continue
        members = set(session.exec(select(ChainLink.member_id).where(ChainLink.leader_id == leader.id)).all())
        done = [accepted[i] for i in sorted(members | {leader.id or 0}) if i in accepted]
        if done:
            first = min((g.acceptance_date for g, _ in done if g.acceptance_date), default=None)
            items.append(Item("enterprise", leader.id or 0, leader.name, first,
                              f"链上已验收 {len(done)} 家", f"/chains/{leader.id}"))
    return Result(len(items), items)


def replace_segment(scope: Scope) -> Scope:
    return Scope(scope.region, (), scope.year)


@dataclass(frozen=True)
class Measure:
    key: str
    label_zh: str
    compute: Callable[[Session, Scope], Result]
    dated: bool  # items carry the date the figure moved (for the monthly trend)


MEASURES: dict[str, Measure] = {m.key: m for m in [
    Measure("transformed", "已验收且达到二级及以上的企业", transformed, True),
    Measure("transformed_above", "规上企业改造完成（已验收、二级及以上）", transformed_above, True),
    Measure("transformed_below", "规下企业改造完成（已验收、二级及以上）", transformed_below, True),
    Measure("transformed_srdi", "专精特新企业改造完成", transformed_srdi, True),
    Measure("signed", "已签约的对接项目", signed, True),
    Measure("level_four", "数字化水平四级企业", level_four, False),
    Measure("diagnosed", "已完成诊断评测的试点企业占比", diagnosed, False),
    Measure("above_at_level_two", "规上企业达到二级及以上的占比", above_at_level_two, False),
    Measure("providers_pool", "资源池在库服务商", providers_pool, False),
    Measure("solutions_pool", "资源池在库小快轻准产品", solutions_pool, False),
    Measure("excellent_solutions", "优秀产品", excellent_solutions, False),
    Measure("events_held", "已举办的供需对接活动", events_held, True),
    Measure("chain_cases", "链式转型案例（链上有已验收企业）", chain_cases, True),
]}


def compute(session: Session, key: str | None, scope: Scope) -> Result | None:
    """The figure of measure `key` in `scope`, or None for a row with no computed measure."""
    measure = MEASURES.get(key or "")
    return measure.compute(session, scope) if measure else None


def describe(key: str | None) -> dict[str, Any] | None:
    measure = MEASURES.get(key or "")
    return {"key": measure.key, "label": measure.label_zh} if measure else None


