"""Target tables (目标总表) for last year and this year, at the scale of the demo pilot.

The plans' own figures (seed/data/targets.json) are set for a pilot of hundreds of
enterprises; the demo has about thirty per city, so against them every row would read as a
few per cent. With the history loaded, each city's table gets, for last year and this year,
targets drawn around what its records reach (some rows met, some short), through the same
upsert the target import uses. Shares (%) and rows the records cannot compute keep the plan's
figure. A city without a table (昌吉) gets the common indicators.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from catalog.progress.measures import Scope, compute
from catalog.progress.models import TargetRow
from seed.history_base import City
from seed.targets import upsert_targets

FACTORS = (0.8, 1.0, 1.0, 1.25, 1.5, 2.0)  # target ÷ reached: ≤ 1 met, above short


@dataclass(frozen=True)
class RowSpec:
    """One indicator of a table, for one segment."""

    table_name: str
    segment: str
    industries: tuple[str, ...]
    position: int
    indicator: str
    unit: str
    measure: str | None
    plan: float


COMMON = (("拟改造企业数量", "家", "transformed", 60.0), ("其中：规上企业", "家", "transformed_above", 30.0),
          ("其中：规下企业", "家", "transformed_below", 30.0), ("小快轻准产品数量", "个", "solutions_pool", 30.0),
          ("服务商数量", "家", "providers_pool", 15.0), ("规上企业二级及以上占比", "%", "above_at_level_two", 90.0),
          ("链式案例", "个", "chain_cases", 1.0), ("签约改造项目", "个", "signed", 20.0),
          ("供需对接活动场次", "场", "events_held", 2.0))


def specs(session: Session, city: City) -> list[RowSpec]:
    """The city's indicators by segment (from its latest plan year), or the common ones."""
    rows = session.exec(select(TargetRow).where(TargetRow.region == city.region)
                        .order_by(col(TargetRow.year).desc(), col(TargetRow.position), col(TargetRow.id))).all()
    if not rows:
        name = f"{city.full_name}中小企业数字化转型城市试点目标总表"
        return [RowSpec(name, "", (), n, indicator, unit, measure, plan)
                for n, (indicator, unit, measure, plan) in enumerate(COMMON, start=1)]
    latest = rows[0].year
    return [RowSpec(r.table_name, r.segment, tuple(r.industries), r.position, r.indicator, r.unit, r.measure,
                    r.target) for r in rows if r.year == latest]


def demo_target(session: Session, rng: random.Random, city: City, spec: RowSpec, year: int) -> float:
    """A target near what the records reach in `year`: met on some rows, short on others."""
    if spec.measure is None or spec.unit == "%":
        return spec.plan
    result = compute(session, spec.measure, Scope(city.region, spec.industries, year))
    reached = result.value if result else 0.0
    if reached <= 0:
        return float(rng.choice((1, 2, 3)))
    return float(max(1, math.ceil(reached * rng.choice(FACTORS))))


def load_demo_targets(*, session: Session, rng: random.Random, city: City, today: date) -> int:
    """Last year's and this year's targets for the city; returns how many rows were new."""
    rows = [TargetRow(region=city.region, table_name=spec.table_name, segment=spec.segment,
                      industries=list(spec.industries), year=year, position=spec.position,
                      indicator=spec.indicator, unit=spec.unit, measure=spec.measure,
                      target=demo_target(session, rng, city, spec, year))
            for year in (today.year - 1, today.year) for spec in specs(session, city)]
    return upsert_targets(session=session, rows=rows)
