"""Cases, ratings and 申请对接: what a product page shows and lets an enterprise do."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from catalog import access
from catalog.audit import service as audit
from catalog.engagements.models import Engagement, EngagementStatus
from catalog.engagements.queries import open_engagement
from catalog.engagements.schemas import EngagementCreate
from catalog.engagements.service import create_engagement, get_engagement
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises.models import Enterprise
from catalog.errors import Conflict, NotFound, ValidationFailed
from catalog.notifications import notices
from catalog.regions import UNKNOWN, city
from catalog.showcase import permissions as showcase_rules
from catalog.showcase.models import CaseCreate, EngagementMessage, SolutionCase
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution
from catalog.taxonomy import taxonomy
from catalog.users.models import User
from catalog.users.service import actor_of


def _place(region: str | None) -> str:
    """Where a rater is, by city only (never its name)."""
    found = city(region)
    return "" if found == UNKNOWN else found


_OPEN = (EngagementStatus.INTENT.value, EngagementStatus.SIGNED.value, EngagementStatus.IN_PROGRESS.value)


def editable_solution(*, session: Session, user: User, solution_id: int) -> Solution:
    """The product whose cases `user` keeps up: one it may see (NotFound otherwise) and edit
    (its provider, or the bureau of its region)."""
    solution = access.load_visible(session, user, Solution, solution_id, "产品和方案", solution_rules.can)
    solution_rules.require(user, access.EDIT, solution)
    return solution


def case_of(*, session: Session, solution: Solution, case_id: int) -> SolutionCase:
    """One of the product's cases, or NotFound (a case of another product is not this one's)."""
    case = session.get(SolutionCase, case_id)
    if case is None or case.solution_id != solution.id:
        raise NotFound(message=f"该产品没有编号为 {case_id} 的案例")
    return case


def cases_of(*, session: Session, solution_id: int) -> list[SolutionCase]:
    return list(session.exec(select(SolutionCase).where(SolutionCase.solution_id == solution_id)
                             .order_by(col(SolutionCase.id))))


def add_case(*, session: Session, solution: Solution, data: CaseCreate, actor: str) -> SolutionCase:
    """Add a case to a product; a proving engagement must be an accepted one of this product."""
    if data.engagement_id is not None:
        proof = session.get(Engagement, data.engagement_id)
        if proof is None or proof.solution_id != solution.id or proof.status != EngagementStatus.ACCEPTED:
            raise ValidationFailed(f"对接编号 {data.engagement_id} 不是本产品已验收的对接",
                                   details={"field": "engagement_id"})
    case = SolutionCase(solution_id=solution.id or 0, actor=actor, **data.model_dump())
    session.add(case)
    session.flush()
    audit.append(session=session, actor=actor, action="create", record_type="case", record_key=str(case.id),
                 before=None, after=data.model_dump())
    return case


def remove_case(*, session: Session, case: SolutionCase, actor: str) -> None:
    audit.append(session=session, actor=actor, action="delete", record_type="case", record_key=str(case.id),
                 before={"problem": case.problem, "result": case.result}, after=None)
    session.delete(case)
    session.flush()


def reviews_of(*, session: Session, solution_id: int) -> dict[str, Any]:
    """The ratings of a product's closed engagements: average, count, and each with its
    comment, the rater named by industry and city only."""
    rows = session.exec(select(Engagement, Enterprise).join(Enterprise, col(Enterprise.id) == Engagement.enterprise_id)
                        .where(Engagement.solution_id == solution_id, col(Engagement.rating).is_not(None))
                        .order_by(col(Engagement.updated_at).desc())).all()
    names = taxonomy().industries
    items: list[dict[str, Any]] = [
        {"rating": int(g.rating or 0), "review": g.review or "", "status": g.status,
         "by": f"{_place(e.region)}{names.get(e.industry, '')}企业", "at": g.updated_at.date().isoformat()}
        for g, e in rows]
    average = round(sum(int(i["rating"]) for i in items) / len(items), 1) if items else None
    return {"average": average, "count": len(items), "items": items}


def request_contact(*, session: Session, enterprise: Enterprise, solution: Solution, message: str,
                    actor: str) -> Engagement:
    """申请对接: an engagement in 意向 with the enterprise's message to the provider."""
    if open_engagement(session=session, enterprise_id=enterprise.id or 0, solution_id=solution.id or 0):
        raise Conflict("已就该产品申请过对接，请在对接进展中继续沟通", code="already_requested")
    engagement = create_engagement(session=session, data=EngagementCreate(
        enterprise_id=enterprise.id or 0, solution_id=solution.id or 0), actor=actor)
    post_message(session=session, engagement=engagement, text=message, side="企业", actor=actor)
    return engagement


def messages_of(*, session: Session, engagement_id: int) -> list[EngagementMessage]:
    return list(session.exec(select(EngagementMessage).where(EngagementMessage.engagement_id == engagement_id)
                             .order_by(col(EngagementMessage.id))))


def post_message(*, session: Session, engagement: Engagement, text: str, side: str, actor: str) -> EngagementMessage:
    message = EngagementMessage(engagement_id=engagement.id or 0, author=actor, side=side, text=text)
    session.add(message)
    session.flush()
    audit.append(session=session, actor=actor, action="message", record_type="engagement",
                 record_key=str(engagement.id), before=None, after={"side": side, "text": text})
    first = len(messages_of(session=session, engagement_id=engagement.id or 0)) == 1
    notices.engagement_message(session=session, engagement=engagement, side=side, first=first)
    return message


# --- as a user acts: who may, then the write ------------------------------------------------


def contact_as(*, session: Session, user: User, solution_id: int, message: str) -> Engagement:
    """申请对接 by `user`: an enterprise account, on an offering it may see (404 otherwise)."""
    showcase_rules.require_request_contact(user)
    solution = access.load_visible(session, user, Solution, solution_id, "产品和方案", solution_rules.can)
    enterprise = access.load_visible(session, user, Enterprise, int(user.enterprise_id or 0), "试点企业",
                                     enterprise_rules.can)
    return request_contact(session=session, enterprise=enterprise, solution=solution, message=message,
                           actor=actor_of(user))


def conversation_of(*, session: Session, user: User, engagement_id: int) -> Engagement:
    """The engagement whose messages `user` reads and writes: one it may see (404 otherwise)
    and take part in (its two sides and the bureau of the enterprise's region)."""
    engagement = get_engagement(session=session, engagement_id=engagement_id, user=user)
    showcase_rules.require_message(user, engagement, session.get(Enterprise, engagement.enterprise_id))
    return engagement


def write_message(*, session: Session, user: User, engagement: Engagement, text: str) -> EngagementMessage:
    """`user`'s message in an engagement (see `conversation_of`), signed with its side."""
    return post_message(session=session, engagement=engagement, text=text, side=showcase_rules.message_side(user),
                        actor=actor_of(user))
