"""Progress against the target table: each row's computed figure, grouped by segment and
year, the monthly trend, and the share of 规上 enterprises at 二级 or above; and what the
working lists read: the city's pilot enterprises with their latest engagement's status, the
subsidy policies shown, the finance list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise
from catalog.errors import NotFound
from catalog.progress.measures import MEASURES, Result, Scope, compute
from catalog.progress.models import FinanceProduct, TargetRow
from catalog.progress.permissions import can_view_progress
from catalog.subsidies.policies import Policy, load_policies, policy_for_region
from catalog.users.models import User


@dataclass(frozen=True)
class RowProgress:
    row: TargetRow
    result: Result | None

    @property
    def actual(self) -> float | None:
        return None if self.result is None else self.result.value

    @property
    def percent(self) -> float | None:
        if self.result is None or not self.row.target:
            return None
        return round(100.0 * self.result.value / self.row.target, 1)


def scope_of(row: TargetRow) -> Scope:
    return Scope(row.region, tuple(row.industries), row.year)


def target_rows(*, session: Session, region: str) -> list[TargetRow]:
    """The target rows of a city, in table order."""
    return list(session.exec(select(TargetRow).where(TargetRow.region == region).order_by(
        col(TargetRow.position), col(TargetRow.id))).all())


def progress(*, session: Session, region: str) -> list[RowProgress]:
    """Every target row of the city with its computed figure (None where no measure exists)."""
    return [RowProgress(row, compute(session, row.measure, scope_of(row))) for row in target_rows(
        session=session, region=region)]


def columns(rows: list[RowProgress]) -> list[tuple[str, int | None]]:
    """The table's (segment, year) columns, in first-seen order."""
    seen: dict[tuple[str, int | None], None] = {}
    for item in rows:
        seen.setdefault((item.row.segment, item.row.year), None)
    return list(seen)


def pivot(rows: list[RowProgress]) -> list[tuple[str, str, dict[tuple[str, int | None], RowProgress]]]:
    """(indicator, unit, {column: progress}) per indicator, in table order."""
    table: dict[str, tuple[str, dict[tuple[str, int | None], RowProgress]]] = {}
    for item in rows:
        unit, cells = table.setdefault(item.row.indicator, (item.row.unit, {}))
        cells[(item.row.segment, item.row.year)] = item
    return [(indicator, unit, cells) for indicator, (unit, cells) in table.items()]


def monthly(result: Result) -> list[tuple[str, int, int]]:
    """(YYYY-MM, count that month, cumulative) over a result's dated records."""
    months = Counter(f"{i.when:%Y-%m}" for i in result.items if isinstance(i.when, date))
    out, total = [], 0
    for month in sorted(months):
        total += months[month]
        out.append((month, months[month], total))
    return out


def level_two_share(*, session: Session, region: str) -> Result:
    """Share (%) of the city's 规上 pilot enterprises at 二级 or above."""
    return MEASURES["above_at_level_two"].compute(session, Scope(region))


def visible_row(*, session: Session, user: User, row_id: int) -> TargetRow:
    """A target row its city's bureau may read; NotFound, naming the id, for anyone else."""
    row = find_row(session=session, row_id=row_id)
    if row is None or not can_view_progress(user, row.region):
        raise NotFound(message=f"未找到编号为 {row_id} 的目标行")
    return row


def find_row(*, session: Session, row_id: int) -> TargetRow | None:
    return session.get(TargetRow, row_id)


def city_trend(*, session: Session, region: str, rows: list[RowProgress]) -> tuple[list[tuple[str, int, int]], float]:
    """The city-wide monthly trend of 改造完成 enterprises, and the target of the latest year
    (the sum over segments of the rows tied to that measure)."""
    result = MEASURES["transformed"].compute(session, Scope(region))
    tied = [r.row for r in rows if r.row.measure == "transformed"]
    years = [r.year for r in tied if r.year is not None]
    latest = max(years) if years else None
    target = sum(r.target for r in tied if r.year == latest)
    return monthly(result), target


def pilot_enterprises(*, session: Session, region: str) -> list[tuple[Enterprise, str | None]]:
    """The city's pilot enterprises by batch, each with the status of its latest engagement
    (the one registered last; None when it has none)."""
    in_city = col(Enterprise.region).startswith(region, autoescape=True)
    firms = session.exec(select(Enterprise).where(in_city).order_by(col(Enterprise.batch), col(Enterprise.id))).all()
    latest: dict[int, str] = {}
    for enterprise_id, status in session.exec(
            select(Engagement.enterprise_id, Engagement.status)
            .where(col(Engagement.enterprise_id).in_(select(Enterprise.id).where(in_city)))
            .order_by(col(Engagement.id))).all():
        latest[enterprise_id] = status
    return [(f, latest.get(f.id or 0)) for f in firms]


def shown_policies(region: str) -> list[tuple[Policy, bool]]:
    """The subsidy policies the city's 政策清单 shows, each with whether it is the one in force
    there: that one, and the default estimate (the policy without regions) when it is not."""
    in_force = policy_for_region(region)
    return [(p, p.key == in_force.key) for p in load_policies() if p.key == in_force.key or not p.regions]


def finance_products(*, session: Session, region: str) -> list[FinanceProduct]:
    """The city's finance list (数转贷 and the like), in the order it was entered."""
    return list(session.exec(select(FinanceProduct).where(
        col(FinanceProduct.region).startswith(region, autoescape=True)).order_by(col(FinanceProduct.id))).all())
