"""Answering leads: a provider marks a lead contacted or not relevant (audited); the
provider and the bureau read the answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from catalog.access import region_filter
from catalog.audit import service as audit
from catalog.enterprises.models import Enterprise, Need
from catalog.leads.models import LeadMark, LeadResponse
from catalog.leads.permissions import require_lead_contacts
from catalog.notifications import notices
from catalog.providers.models import Provider
from catalog.records import utcnow
from catalog.users.models import User


def _snapshot(response: LeadResponse | None) -> dict[str, Any] | None:
    return None if response is None else {"answer": response.answer, "note": response.note}


def answer(*, session: Session, provider: Provider, need: Need, mark: LeadMark, actor: str) -> LeadResponse:
    """Record the provider's answer to the lead of `need` (replacing an earlier one)."""
    found = session.exec(select(LeadResponse).where(LeadResponse.provider_id == provider.id,
                                                    LeadResponse.need_id == need.id)).first()
    before = _snapshot(found)
    response = found or LeadResponse(provider_id=provider.id or 0, need_id=need.id or 0,
                                     enterprise_id=need.enterprise_id, answer=mark.answer, actor=actor)
    response.answer, response.note, response.actor, response.answered_at = mark.answer, mark.note, actor, utcnow()
    session.add(response)
    session.flush()
    audit.append(session=session, actor=actor, action="lead_answer", record_type="lead",
                 record_key=f"{provider.id}:{need.id}", before=before, after=_snapshot(response))
    if before is None or before["answer"] != response.answer:
        notices.lead_answered(session=session, response=response, provider=provider)
    return response


def answers_of(*, session: Session, provider_id: int) -> dict[int, LeadResponse]:
    """The provider's answers by need id."""
    rows = session.exec(select(LeadResponse).where(LeadResponse.provider_id == provider_id))
    return {r.need_id: r for r in rows}


def contacts_seen_by(*, session: Session, user: User, limit: int = 500) -> list[dict[str, Any]]:
    """Who answered whose lead among the enterprises of the bureau's regions, newest first
    (the bureau's page and the API alike)."""
    require_lead_contacts(user)
    return contacts(session=session, enterprises=region_filter(user, Enterprise.region), limit=limit)


def contacts(*, session: Session, enterprises: Any, limit: int = 500) -> list[dict[str, Any]]:
    """Who answered whose lead, newest first, for the enterprises `enterprises` selects (a
    clause over Enterprise: the reader's regions)."""
    rows: Iterable[tuple[LeadResponse, Provider, Enterprise, Need]] = session.exec(
        select(LeadResponse, Provider, Enterprise, Need)
        .join(Provider, col(Provider.id) == LeadResponse.provider_id)
        .join(Enterprise, col(Enterprise.id) == LeadResponse.enterprise_id)
        .join(Need, col(Need.id) == LeadResponse.need_id)
        .where(enterprises)
        .order_by(col(LeadResponse.answered_at).desc(), col(LeadResponse.id).desc()).limit(limit))
    return [{"provider_id": p.id, "provider_name": p.name, "enterprise_id": e.id, "enterprise_name": e.name,
             "region": e.region, "need_id": n.id, "need_text": n.text, "answer": r.answer, "note": r.note,
             "actor": r.actor, "answered_at": r.answered_at.isoformat(timespec="minutes")} for r, p, e, n in rows]
