"""An enterprise's shortlists and bundle, as the matches API and the enterprise's pages both
show them: its need list in its order, each need's best offerings (SHORTLIST of them, those
of providers that do not serve its region only when asked), and the proposed bundle."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from catalog import access
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises import queries as enterprise_queries
from catalog.enterprises.models import Enterprise, Need
from catalog.users.models import User
from market.matching.context import enterprise_record, match_context, need_record
from matching.bundle import Bundle, propose_bundle
from matching.config import SHORTLIST
from matching.context import MatchContext
from matching.scoring import ScoredMatch, rank


@dataclass
class Shortlists:
    """Each need of the enterprise with its shortlist, and what they were scored with."""

    enterprise: Enterprise
    ctx: MatchContext
    policy: str  # the subsidy policy that applies to the enterprise, by name
    rows: list[tuple[Need, list[ScoredMatch]]]


def shortlists_of(*, session: Session, user: User, enterprise: Enterprise, k: int = SHORTLIST,
                  outside: bool = False) -> Shortlists:
    """The shortlist of every need of an enterprise whose needs `user` may see."""
    enterprise_rules.require(user, access.VIEW_NEEDS, enterprise)
    ctx = match_context(session)
    record = enterprise_record(enterprise)
    rows = [(need, rank(need_record(need), record, ctx, k=k, outside=outside))
            for need in enterprise_queries.needs_of(session=session, enterprise=enterprise)]
    return Shortlists(enterprise=enterprise, ctx=ctx, policy=ctx.policy(record).name_zh, rows=rows)


def bundle_of(*, session: Session, user: User, enterprise: Enterprise) -> tuple[Bundle, list[Need], MatchContext]:
    """The bundle proposed for an enterprise whose needs `user` may see, its needs and context."""
    enterprise_rules.require(user, access.VIEW_NEEDS, enterprise)
    ctx = match_context(session)
    needs = enterprise_queries.needs_of(session=session, enterprise=enterprise)
    return propose_bundle(enterprise=enterprise_record(enterprise), needs=[need_record(n) for n in needs], ctx=ctx), needs, ctx
