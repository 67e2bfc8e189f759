"""Reads of 产业链: what a chain view shows beside its links."""

from __future__ import annotations

from sqlmodel import Session, col, select

from catalog.engagements.models import CONTRACTED, Engagement
from catalog.solutions.models import Solution


def solutions_in_use(*, session: Session, enterprise_id: int) -> list[Solution]:
    """The offerings an enterprise uses: those of its engagements from signing on (签约, 实施中,
    已验收), each once, in id order."""
    stmt = (select(Solution).join(Engagement, col(Engagement.solution_id) == col(Solution.id))
            .where(Engagement.enterprise_id == enterprise_id,
                   col(Engagement.status).in_([s.value for s in CONTRACTED]))
            .order_by(col(Solution.id)))
    # each once: deduplicated here, as PostgreSQL compares no JSON columns for DISTINCT
    return list({s.id: s for s in session.exec(stmt).all()}.values())
