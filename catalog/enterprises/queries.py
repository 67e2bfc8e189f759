"""The list of pilot enterprises: one filter, one query, under the API and the bureau's page
alike; an enterprise's need list as a user may see it, under the API, the enterprise's and the
bureau's pages and the chain views alike; and a cohort, the enterprises (with their needs) a
bureau matches at once."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, true
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import ValidationFailed
from catalog.filters import Rows, by_field, name_filter, page_of
from catalog.language.text import clean_value
from catalog.limits import BATCH, REGION_MIN_CHARS
from catalog.taxonomy import resolve_industry
from catalog.users.models import User

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
        statement = statement.where(in_industries(resolve_industry(chosen.industry) or [chosen.industry.strip().upper()]))
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
    return by_field(statement, Enterprise, sort.strip() or "id", SORT_FIELDS)


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


# --- a need list, as a user may see it -------------------------------------------------------

NEED_ORDER = (col(Need.position), col(Need.id))  # a need list as the enterprise ordered it
NEED_SORT_FIELDS = ("id", "position", "priority", "code", "budget_wan", "created_at", "updated_at")


@dataclass(frozen=True)
class NeedFilter:
    """What a list of needs is narrowed by (every field optional): an enterprise, a scenario and
    a priority (exact values); `sort` a field of NEED_SORT_FIELDS ('-' for descending, the id
    breaking ties), or "" for NEED_ORDER."""

    enterprise_id: int | None = None
    scenario: str = ""
    priority: str = ""
    sort: str = ""


def _visible_needs(user: User | None, chosen: NeedFilter) -> SelectOfScalar[Need]:
    """The needs `user` may see (catalog/enterprises/permissions.py) that match `chosen`."""
    statement: SelectOfScalar[Need] = enterprise_rules.visible_needs(user, select(Need))
    if chosen.enterprise_id is not None:
        statement = statement.where(col(Need.enterprise_id) == chosen.enterprise_id)
    if chosen.scenario.strip():
        statement = statement.where(col(Need.scenario) == chosen.scenario.strip())
    if chosen.priority.strip():
        statement = statement.where(col(Need.priority) == chosen.priority.strip())
    return statement


def _needs_ordered(statement: SelectOfScalar[Need], sort: str) -> SelectOfScalar[Need]:
    if not sort.strip():
        return statement.order_by(*NEED_ORDER)
    return by_field(statement, Need, sort, NEED_SORT_FIELDS)


def list_needs(*, session: Session, user: User | None, chosen: NeedFilter = NeedFilter(), page: int = 1,
               per_page: int = 20) -> Rows[Need]:
    """One page of the needs `user` may see that match `chosen`, and how many match in all."""
    statement = _needs_ordered(_visible_needs(user, chosen), chosen.sort)
    found, total, served = page_of(session, statement, page=page, per_page=per_page)
    return Rows(rows=found, total=total, page=served, per_page=per_page)


def visible_needs_of(*, session: Session, user: User | None, enterprise: Enterprise) -> list[Need]:
    """The enterprise's need list as `user` may see it (all of it, or none), as it ordered it."""
    statement = _visible_needs(user, NeedFilter(enterprise_id=enterprise.id))
    return list(session.exec(statement.order_by(*NEED_ORDER)).all())


def visible_needs_by_enterprise(*, session: Session, user: User | None,
                                enterprise_ids: Collection[int]) -> dict[int, list[Need]]:
    """The need lists of these enterprises that `user` may see, by enterprise id (ascending),
    each as its enterprise ordered it; an enterprise with none visible is left out."""
    statement = _visible_needs(user, NeedFilter()).where(col(Need.enterprise_id).in_(enterprise_ids))
    needs: dict[int, list[Need]] = {}
    for need in session.exec(statement.order_by(col(Need.enterprise_id), *NEED_ORDER)).all():
        needs.setdefault(need.enterprise_id, []).append(need)
    return needs


# --- a cohort: the enterprises a bureau matches at once ------------------------------------


def industry_codes(industry: str | None) -> list[str]:
    """The GB/T 4754 codes an industry (code, name or alias) stands for; [] for none given."""
    if not industry or not industry.strip():
        return []
    codes = resolve_industry(industry)
    if not codes:
        raise ValidationFailed("unknown_industry", f"未识别的行业：“{industry}”，请填写国民经济行业代码或名称")
    return codes


def in_industries(codes: Sequence[str]) -> ColumnElement[bool]:
    """Enterprises filed under any of `codes` or a code below them (C26 → C261 …)."""
    return or_(*[col(Enterprise.industry).startswith(c, autoescape=True) for c in codes])


@dataclass(frozen=True)
class CohortScope:
    """The enterprises a cohort match covers: in `regions` (each a prefix of the enterprise's
    region, as a bureau's regions are; none: no enterprise, unless `everywhere`, the
    operator's command line), of `batch` and `industry_codes` when given."""

    regions: tuple[str, ...]
    batch: int | None = None
    industry_codes: tuple[str, ...] = ()
    everywhere: bool = False

    def covers(self, region: str, industry: str, batch: int | None) -> bool:
        """Does the scope cover an enterprise of this region, industry and batch (the same
        test as `condition`, for records read from a file)?"""
        return ((self.everywhere or any(r and region.startswith(r) for r in self.regions))
                and (self.batch is None or batch == self.batch)
                and (not self.industry_codes or any(industry.startswith(c) for c in self.industry_codes)))

    def condition(self) -> ColumnElement[bool]:
        regions = [r for r in self.regions if r]
        if self.everywhere:
            condition: ColumnElement[bool] = true()
        elif not regions:
            return false()
        else:
            condition = or_(*[col(Enterprise.region).startswith(r, autoescape=True) for r in regions])
        if self.batch is not None:
            condition = condition & (col(Enterprise.batch) == self.batch)
        if self.industry_codes:
            condition = condition & in_industries(self.industry_codes)
        return condition


def operator_cohort(*, region: str | None, batch: int | None = None, industry: str | None = None) -> CohortScope:
    """The cohort an operator asks for on the command line: every region, or those under
    `region` (a prefix such as 江西省九江市: one character would cover far more than meant), of
    `batch` and `industry` (a code, name or alias) when given."""
    region = (region or "").strip()
    if region and len(region) < REGION_MIN_CHARS:
        raise ValidationFailed("region_too_short", f"地区“{region}”至少 {REGION_MIN_CHARS} 个字（如 江西省九江市）")
    return CohortScope(regions=(region,) if region else (), batch=batch,
                       industry_codes=tuple(industry_codes(industry)), everywhere=not region)


def bureau_cohort(*, session: Session, user: User, region: str | None, batch: int | None = None,
                  industry: str | None = None) -> CohortScope:
    """The cohort a bureau asks to match: its regions, or `region` inside them, of `batch`
    and `industry` (a code, name or alias) when given. Refused when no enterprise is in it."""
    scope = CohortScope(regions=tuple(enterprise_rules.cohort_regions(user, region)), batch=batch,
                        industry_codes=tuple(industry_codes(industry)))
    if cohort_size(session=session, scope=scope) == 0:
        raise ValidationFailed("empty_cohort", "没有符合条件的试点企业，请调整批次、行业或地区")
    return scope


def cohort_size(*, session: Session, scope: CohortScope) -> int:
    """How many enterprises the scope covers."""
    return int(session.exec(select(func.count()).select_from(Enterprise).where(scope.condition())).one())


def cohort_members(*, session: Session, scope: CohortScope) -> tuple[list[Enterprise], list[Need]]:
    """The scope's enterprises (by id) and their needs (by enterprise, then as each ordered them)."""
    enterprises = list(session.exec(select(Enterprise).where(scope.condition()).order_by(col(Enterprise.id))).all())
    inside = select(Enterprise.id).where(scope.condition())
    needs = list(session.exec(select(Need).where(col(Need.enterprise_id).in_(inside))
                              .order_by(col(Need.enterprise_id), *NEED_ORDER)).all())
    return enterprises, needs


def needs_of(*, session: Session, enterprise: Enterprise) -> list[Need]:
    """The enterprise's need list, as it ordered it."""
    return list(session.exec(select(Need).where(col(Need.enterprise_id) == enterprise.id).order_by(*NEED_ORDER)).all())
