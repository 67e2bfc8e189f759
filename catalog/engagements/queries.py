"""The lists of engagements (对接成果): one filter, one order, under the API and every page that
lists them (the progress list, an enterprise's own, the bureau's enterprise page, a
provider's dashboard), so the same engagements come in the same order wherever they show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import case, func
from sqlmodel import Session, col, select

from catalog.access import CREATE_ENGAGEMENT
from catalog.engagements import permissions as engagement_rules
from catalog.engagements.models import Engagement, EngagementStatus
from catalog.enterprises.models import Enterprise
from catalog.enterprises.permissions import visible_enterprises
from catalog.filters import Rows, by_field, page_of
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.solutions.permissions import visible_solutions
from catalog.users.models import User

SORT_FIELDS = ("id", "status", "contract_amount_wan", "contract_date", "acceptance_date", "created_at", "updated_at")
PAGE_ROWS = 300  # the most one page lists at once (the API pages through the rest)
LATEST_FIRST = "-updated_at"  # the order of every list that names none: the engagement moved last comes first


@dataclass(frozen=True)
class EngagementFilter:
    """What a list of engagements is narrowed by (every field optional): a status, an
    enterprise, a provider; `sort` a field of SORT_FIELDS ('-' for descending), or "" for
    LATEST_FIRST."""

    status: str = ""
    enterprise_id: int | None = None
    provider_id: int | None = None
    sort: str = ""


def list_engagements(*, session: Session, user: User | None, chosen: EngagementFilter = EngagementFilter(),
                     page: int = 1, per_page: int = 20) -> Rows[Engagement]:
    """One page of the engagements `user` may see that match `chosen`, and how many match in all."""
    statement = engagement_rules.visible_engagements(user, select(Engagement))
    if chosen.status:
        statement = statement.where(col(Engagement.status) == chosen.status)
    if chosen.enterprise_id is not None:
        statement = statement.where(col(Engagement.enterprise_id) == chosen.enterprise_id)
    if chosen.provider_id is not None:
        statement = statement.where(col(Engagement.provider_id) == chosen.provider_id)
    ordered = by_field(statement, Engagement, chosen.sort.strip() or LATEST_FIRST, SORT_FIELDS)
    found, total, served = page_of(session, ordered, page=page, per_page=per_page)
    return Rows(rows=found, total=total, page=served, per_page=per_page)


def with_listings(*, session: Session, rows: list[Engagement]) -> list[tuple[Engagement, Solution, Provider]]:
    """Each engagement with its solution and provider, in the rows' order."""
    solutions = {s.id: s for s in session.exec(select(Solution).where(
        col(Solution.id).in_({g.solution_id for g in rows} or {-1}))).all()}
    providers = {p.id: p for p in session.exec(select(Provider).where(
        col(Provider.id).in_({g.provider_id for g in rows} or {-1}))).all()}
    return [(g, solutions[g.solution_id], providers[g.provider_id]) for g in rows
            if g.solution_id in solutions and g.provider_id in providers]


# --- what engagements say of a provider or a product: one definition of a rating ------------

RATED = col(Engagement.rating).is_not(None)  # an enterprise's rating (1–5), given once the engagement closed


def average_ratings(*, session: Session, by: Any, ids: list[int] | None = None) -> dict[int, float]:
    """The average rating per solution or provider (`by`: Engagement.solution_id or
    Engagement.provider_id), of those in `ids` (all when None); none rated, none listed."""
    query = select(by, func.avg(Engagement.rating)).where(RATED)
    if ids is not None:
        query = query.where(col(by).in_(ids))
    return {int(k): float(v) for k, v in session.exec(query.group_by(by)).all()}


def provider_records(*, session: Session) -> dict[str, dict[str, float]]:
    """Per provider (by id, as text): its accepted and terminated engagements, and the sum and
    count of its ratings, as the matcher weighs a provider's record."""
    statement = (sa.select(col(Engagement.provider_id), col(Engagement.status), func.count(),
                           func.sum(case((RATED, col(Engagement.rating)), else_=0)),
                           func.sum(case((RATED, 1), else_=0)))
                 .group_by(col(Engagement.provider_id), col(Engagement.status)))
    stats: dict[str, dict[str, float]] = {}
    for provider_id, status, count, rating_sum, rating_count in session.execute(statement):
        row = stats.setdefault(str(provider_id), {})
        if status == EngagementStatus.ACCEPTED:
            row["accepted"] = row.get("accepted", 0) + count
        elif status == EngagementStatus.TERMINATED:
            row["terminated"] = row.get("terminated", 0) + count
        row["rating_sum"] = row.get("rating_sum", 0) + (rating_sum or 0)
        row["rating_count"] = row.get("rating_count", 0) + (rating_count or 0)
    return stats


# --- an enterprise's engagement on one offering --------------------------------------------

UNDER_WAY = (EngagementStatus.INTENT.value, EngagementStatus.SIGNED.value, EngagementStatus.IN_PROGRESS.value)


def open_engagement(*, session: Session, enterprise_id: int, solution_id: int) -> Engagement | None:
    """The enterprise's engagement on this offering that is still under way, if any."""
    return session.exec(select(Engagement).where(Engagement.enterprise_id == enterprise_id,
                                                 Engagement.solution_id == solution_id,
                                                 col(Engagement.status).in_(UNDER_WAY))).first()


def listed_offerings(*, session: Session) -> list[tuple[Solution, Provider]]:
    """What an enterprise may register an intention on: every publicly listed offering with
    its provider, by code."""
    statement = visible_solutions(None, select(Solution, Provider).join(Provider, col(Provider.id) == Solution.provider_id))
    return list(session.exec(statement.order_by(col(Solution.code), col(Solution.id))).all())


def intention_enterprises(*, session: Session, user: User | None) -> list[Enterprise]:
    """The enterprises `user` may register an intention for, by name: an enterprise's own, a
    bureau's of its regions (the rule is `open_intention`'s)."""
    seen = session.exec(visible_enterprises(user, select(Enterprise)).order_by(col(Enterprise.name), col(Enterprise.id)))
    return [e for e in seen.all() if engagement_rules.can(user, CREATE_ENGAGEMENT, e)]
