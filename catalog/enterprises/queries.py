"""The list of pilot enterprises: one filter, one query, under the API and the bureau's page alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

from catalog.enterprises.models import Enterprise
from catalog.errors import ValidationFailed
from catalog.filters import Rows, name_filter, page_of
from catalog.language.text import clean_value
from catalog.limits import BATCH
from catalog.taxonomy import resolve_industry

SORT_FIELDS = ("id", "name", "region", "industry", "level", "batch", "budget_wan", "created_at", "updated_at")


@dataclass(frozen=True)
class EnterpriseFilter:
    """What a list of enterprises is narrowed by (every field optional).

    `q` is part of the name (cleaned: 繁→简, full-width → half-width); `region` a prefix of the
    enterprise's region; `industry` a code, name or alias, matching the codes below it too
    (C26 → C261 …); `size`, `level` and `batch` exact values; `sort` a field of SORT_FIELDS
    ('-' for descending), or "" for the id.
    """

    q: str = ""
    region: str = ""
    industry: str = ""
    size: str = ""
    level: str = ""
    batch: int | None = None
    sort: str = ""


EnterpriseRows = Rows[Enterprise]


def list_enterprises(*, session: Session, within: SelectOfScalar[Enterprise], chosen: EnterpriseFilter,
                     page: int = 1, per_page: int = 20, clamp: bool = False) -> EnterpriseRows:
    """One page of the enterprises in `within` (what the viewer may see) that match `chosen`, and
    how many match in all. See `catalog.filters.page_of` for `clamp`."""
    statement = within
    if chosen.q.strip():
        statement = statement.where(name_filter(Enterprise.name, chosen.q))
    if clean_value(chosen.region):
        statement = statement.where(col(Enterprise.region).startswith(clean_value(chosen.region), autoescape=True))
    if chosen.industry.strip():
        codes = resolve_industry(chosen.industry) or [chosen.industry.strip().upper()]
        statement = statement.where(or_(*[col(Enterprise.industry).startswith(c, autoescape=True) for c in codes]))
    if chosen.size.strip():
        statement = statement.where(col(Enterprise.size) == chosen.size.strip())
    if chosen.level.strip():
        statement = statement.where(col(Enterprise.level) == chosen.level.strip())
    if chosen.batch is not None:
        statement = statement.where(col(Enterprise.batch) == chosen.batch)
    found, total, served = page_of(session, _ordered(statement, chosen.sort), page=page, per_page=per_page,
                                   clamp=clamp)
    return EnterpriseRows(rows=found, total=total, page=served, per_page=per_page)


def _ordered(statement: SelectOfScalar[Enterprise], sort: str) -> SelectOfScalar[Enterprise]:
    key = sort.strip() or "id"
    name = key.removeprefix("-")
    if name not in SORT_FIELDS:
        raise ValidationFailed("bad_sort", f"不支持按“{name}”排序，可选：{'、'.join(SORT_FIELDS)}")
    column = col(getattr(Enterprise, name))
    return statement.order_by(column.desc() if key.startswith("-") else column.asc(), col(Enterprise.id).asc())


def region_choices(*, session: Session, within: SelectOfScalar[Enterprise], regions: list[str]) -> list[str]:
    """The regions an enterprise may be filed under, for a select: `regions` (a bureau's own) and
    those of the enterprises in `within` that lie inside them, sorted."""
    statement: Any = within.with_only_columns(col(Enterprise.region)).distinct()
    found = {str(r) for r in session.exec(statement).all() if r}
    return sorted({*regions, *(r for r in found if any(r.startswith(p) for p in regions if p))})


def batch_choices(*, session: Session, within: SelectOfScalar[Enterprise]) -> list[int]:
    """The pilot batches (试点批次) on offer, for a select: 1 up to one past the highest batch among
    the enterprises in `within`, at most `catalog.limits.BATCH`."""
    statement: Any = within.with_only_columns(func.max(Enterprise.batch))
    top = session.exec(statement).one() or 0
    return list(range(1, min(int(top) + 1, BATCH) + 1))
