"""The list of solutions: one filter, one query, under the API and the browse page alike; and
the region a search is scoped to, for the search API and the search page alike."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from catalog.access import ENTERPRISE_ROLES, active
from catalog.enterprises.models import Enterprise
from catalog.filters import (
    Rows,
    by_field,
    by_listing_fields,
    ids_in_region,
    name_filter,
    page_of,
)
from catalog.providers.models import Provider
from catalog.providers.permissions import visible_providers
from catalog.solutions.models import Solution
from catalog.solutions.permissions import visible_solutions
from catalog.taxonomy import taxonomy
from catalog.users.models import User

# Sorts by a field (a leading '-' for descending; the id breaks ties) …
SORT_FIELDS = ("id", "name", "code", "price_wan", "deploy_days", "status", "created_at", "updated_at")
# … and the named sorts a visitor picks; "" (none given) is the recommended order.
NAMED_SORTS = {
    "": "推荐（优秀优先）",
    "price": "价格从低到高",
    "-price": "价格从高到低",
    "days": "实施周期从短到长",
    "new": "最新发布",
}


@dataclass(frozen=True)
class SolutionFilter:
    """What a list of solutions is narrowed by (every field optional).

    `region` holds a listing whose provider is located in the region or serves it
    (catalog.regions.located_or_served); `industry` is a code, name or alias (see
    catalog.filters.industry_filter); prices are in 万元, both bounds inclusive.
    """

    q: str = ""
    status: str | None = None
    provider_id: int | None = None
    region: str = ""
    scenario: str = ""
    industry: str = ""
    deployment: str = ""
    excellent: bool | None = None
    price_min: float | None = None
    price_max: float | None = None
    sort: str = ""


SolutionRows = Rows[Solution]


def is_sort(sort: str) -> bool:
    """Is `sort` one `list_solutions` knows?"""
    return sort.strip() in NAMED_SORTS or sort.strip().removeprefix("-") in SORT_FIELDS


def list_solutions(*, session: Session, within: SelectOfScalar[Solution], chosen: SolutionFilter,
                   page: int = 1, per_page: int = 20, clamp: bool = False) -> SolutionRows:
    """One page of the solutions in `within` (what the viewer may see) that match `chosen`,
    in its order, and how many match in all (see `page_of` for `clamp`)."""
    statement = _ordered(narrowed(session, within, chosen), chosen.sort)
    rows, total, served = page_of(session, statement, page=page, per_page=per_page, clamp=clamp)
    return SolutionRows(rows=rows, total=total, page=served, per_page=per_page)


def solutions_of_provider(*, session: Session, user: User | None, provider_id: int, but: int | None = None,
                          limit: int = 300) -> list[Solution]:
    """A provider's solutions that `user` (None: the public) may see, in the recommended order
    (优秀 first), as the API's list of one provider gives them; `but` leaves one out (the page
    showing it)."""
    within = visible_solutions(user, select(Solution))
    if but is not None:
        within = within.where(col(Solution.id) != but)
    return list_solutions(session=session, within=within, chosen=SolutionFilter(provider_id=provider_id),
                          per_page=limit).rows


def narrowed(session: Session, statement: SelectOfScalar[Solution], chosen: SolutionFilter) -> SelectOfScalar[Solution]:
    """`statement` narrowed by `chosen` (unordered)."""
    if chosen.q.strip():
        statement = statement.where(name_filter(Solution.name, chosen.q))
    statement = by_listing_fields(statement, Solution, status=chosen.status, scenario=chosen.scenario,
                                  industry=chosen.industry)
    if chosen.provider_id is not None:
        statement = statement.where(col(Solution.provider_id) == chosen.provider_id)
    if chosen.deployment.strip():
        statement = statement.where(col(Solution.deployment) == chosen.deployment.strip())
    if chosen.excellent is not None:
        statement = statement.where(col(Solution.excellent) == chosen.excellent)
    if chosen.price_min is not None:
        statement = statement.where(col(Solution.price_wan) >= chosen.price_min)
    if chosen.price_max is not None:
        statement = statement.where(col(Solution.price_wan) <= chosen.price_max)
    if chosen.region.strip():
        providers = session.exec(select(Provider.id, Provider.region, Provider.service_regions)).all()
        ids = ids_in_region(providers, chosen.region.strip())
        statement = statement.where(col(Solution.provider_id).in_(ids or [-1]))
    return statement


def _ordered(statement: SelectOfScalar[Solution], sort: str) -> SelectOfScalar[Solution]:
    key = sort.strip()
    named: dict[str, tuple[Any, ...]] = {
        "": (col(Solution.excellent).desc(), col(Solution.id)),
        "price": (col(Solution.price_wan), col(Solution.id)),
        "-price": (col(Solution.price_wan).desc(), col(Solution.id)),
        "days": (col(Solution.deploy_days), col(Solution.id)),
        "new": (col(Solution.status_changed_at).desc(), col(Solution.id).desc()),
    }
    if key in named:
        return statement.order_by(*named[key])
    return by_field(statement, Solution, key, SORT_FIELDS, also=[k for k in NAMED_SORTS if k])


def searching_enterprise(session: Session, user: User | None) -> Enterprise | None:
    """The enterprise a signed-in user searches for: an active enterprise's (or chain leader's)
    own; None for everyone else."""
    if not active(user) or user is None or user.role not in ENTERPRISE_ROLES or user.enterprise_id is None:
        return None
    return session.get(Enterprise, user.enterprise_id)


def search_region(own: Enterprise | None, *, location: str | None = None, outside: bool = False) -> str | None:
    """The region a search is scoped to (only listings whose provider serves it): the location
    asked for; else the searcher's own enterprise's region (see `searching_enterprise`), unless
    it asks for providers from elsewhere too (`outside`); else none."""
    if location:
        return location
    return None if outside or own is None else own.region


# --- the pool at a glance (the home page) ---------------------------------------------------

FEATURED = 6  # 优秀 offerings the home page shows


@dataclass(frozen=True)
class PoolFigures:
    """The public pool in numbers: listed providers and offerings, pilot enterprises, and the
    offerings per scenario of the taxonomy (in its order)."""

    providers: int
    solutions: int
    enterprises: int
    per_scenario: list[tuple[str, int]]

    @property
    def scenarios_covered(self) -> int:
        return sum(1 for _s, n in self.per_scenario if n)


def pool_figures(*, session: Session) -> PoolFigures:
    """What the public pool holds, as anyone may see it."""
    scenario_lists = session.exec(visible_solutions(None, select(Solution)).with_only_columns(
        col(Solution.scenarios))).all()
    per_scenario = Counter(s for scenarios in scenario_lists for s in (scenarios or []))
    providers = visible_providers(None, select(Provider)).subquery()
    return PoolFigures(
        providers=int(session.exec(select(func.count()).select_from(providers)).one()),
        solutions=len(scenario_lists),
        enterprises=int(session.exec(select(func.count()).select_from(Enterprise)).one()),
        per_scenario=[(s, per_scenario[s]) for s in taxonomy().scenarios])


def featured_solutions(*, session: Session, limit: int = FEATURED) -> list[Solution]:
    """The public offerings marked 优秀 the home page leads with."""
    return list_solutions(session=session, within=visible_solutions(None, select(Solution)),
                          chosen=SolutionFilter(excellent=True), per_page=limit).rows


def listed_counts(*, session: Session, provider_ids: list[int]) -> dict[int, int]:
    """How many public offerings each of these providers has."""
    if not provider_ids:
        return {}
    statement = (visible_solutions(None, select(col(Solution.provider_id), func.count()))
                 .where(col(Solution.provider_id).in_(provider_ids)).group_by(col(Solution.provider_id)))
    return {int(pid): int(n) for pid, n in session.exec(statement).all()}


def listed(*, session: Session, ids: list[int]) -> set[int]:
    """Which of these solutions are publicly listed (已入库, of a provider that is too): the
    public rule of `visible_solutions`, for checking what a user brings or engages."""
    if not ids:
        return set()
    statement = visible_solutions(None, select(Solution.id).where(col(Solution.id).in_(ids)))
    return {int(i) for i in session.exec(statement).all()}
