"""Reads of 产业链: what a chain view shows beside its links."""

from __future__ import annotations

from sqlmodel import Session, col, select

from catalog.chains import permissions as chain_rules
from catalog.chains.models import ChainLink
from catalog.engagements.models import CONTRACTED, Engagement
from catalog.enterprises.models import Enterprise
from catalog.solutions.models import Solution
from catalog.users.models import User


def solutions_in_use(*, session: Session, enterprise_id: int) -> list[Solution]:
    """The offerings an enterprise uses: those of its engagements from signing on (签约, 实施中,
    已验收), each once, in id order."""
    stmt = (select(Solution).join(Engagement, col(Engagement.solution_id) == col(Solution.id))
            .where(Engagement.enterprise_id == enterprise_id,
                   col(Engagement.status).in_([s.value for s in CONTRACTED]))
            .order_by(col(Solution.id)))
    # each once: deduplicated here, as PostgreSQL compares no JSON columns for DISTINCT
    return list({s.id: s for s in session.exec(stmt).all()}.values())


def visible_leaders(*, session: Session, user: User) -> list[Enterprise]:
    """The leaders of the chains `user` may view (catalog/chains/permissions.py), by id."""
    ids = set(session.exec(chain_rules.visible_chain_links(user, select(ChainLink.leader_id).distinct())).all())
    leaders = session.exec(select(Enterprise).where(col(Enterprise.id).in_(ids)).order_by(col(Enterprise.id)))
    return [e for e in leaders.all() if chain_rules.can_view_chain(user, e)]
