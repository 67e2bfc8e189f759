"""A provider's leads: needs of enterprises that agreed to be found (or that an enterprise
brought to an event with it and consented to show), in the provider's service regions, that
its published offerings fit — ranked by fit, explained, with the provider's answer to each.
The list and the answer (API and pages) both read them here."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from catalog.enterprises.models import Enterprise, Need
from catalog.errors import NotFound
from catalog.leads import permissions as lead_rules
from catalog.leads import queries as lead_queries
from catalog.leads import service as lead_service
from catalog.leads.models import LEADS_SHOWN
from catalog.providers.models import Provider
from catalog.users.models import User
from market.matching.context import enterprise_record, match_context, need_record
from matching.scoring import MatchContext, ScoredMatch, rank

EXPLAINED = ("text", "scenario", "industry", "region")  # the components a lead's reasons name


def lead_of(session: Session, user: User, provider: Provider, need_id: int) -> Need:
    """The need of one of the provider's leads, for the provider to answer: its own, and only a
    need its lead list would show (one it may be shown that its offerings fit, `_fit`; 404
    otherwise: a need that is not a lead is not the provider's to know of)."""
    lead_rules.require_answer_leads(user, provider)
    found = lead_queries.lead_needs(session=session, provider_id=provider.id or 0, need_id=need_id)
    ctx = match_context(session, provider_id=provider.id or 0)
    if not found or _fit(*found[0], ctx) is None:
        raise NotFound("lead_not_found", f"编号 {need_id} 的需求不在本服务商的商机中")
    return found[0][0]


def provider_leads(session: Session, provider_id: int, limit: int = LEADS_SHOWN) -> list[dict[str, Any]]:
    """The provider's leads, best fit first (see the module's doc): the needs it may be shown
    (catalog.leads.queries.lead_needs) that its offerings fit (`_fit`)."""
    ctx = match_context(session, provider_id=provider_id)
    if not ctx.solutions:
        return []
    answers = lead_service.answers_of(session=session, provider_id=provider_id)
    leads = []
    for need, enterprise in lead_queries.lead_needs(session=session, provider_id=provider_id):
        match = _fit(need, enterprise, ctx)
        if match is not None:
            lead = _lead(need, enterprise, match, ctx)
            found = answers.get(need.id or 0)
            lead["answer"] = found.answer if found else None
            lead["answer_note"] = found.note if found else ""
            leads.append(lead)
    leads.sort(key=lambda lead: (lead["answer"] is not None, -lead["score"]))
    return leads[:limit]


def _fit(need: Need, enterprise: Enterprise, ctx: MatchContext) -> ScoredMatch | None:
    """The provider's best offering for a need when the need is one of its leads
    (catalog.leads.permissions.is_lead), else None; budgets are compared only when shared."""
    if not ctx.solutions:
        return None
    shared = lead_rules.lead_shows_budget(enterprise)
    best = rank(need_record(need, with_budget=shared), enterprise_record(enterprise, with_budget=shared), ctx, k=1)
    match = best[0] if best else None
    return match if lead_rules.is_lead(match.total if match else None, ctx.config.gap_threshold) else None


def _lead(need: Need, enterprise: Enterprise, match: ScoredMatch, ctx: MatchContext) -> dict[str, Any]:
    lead: dict[str, Any] = {
        "need_id": need.id, "enterprise_id": enterprise.id, "enterprise_name": enterprise.name,
        "region": enterprise.region, "industry": enterprise.industry, "size": enterprise.size,
        "need_text": need.text, "scenario": need.scenario, "priority": need.priority,
        "score": round(match.total, 4),
        "solution_id": int(match.solution_id),
        "solution_name": ctx.solutions[ctx.position[match.solution_id]].name,
        "reasons": [c.reason_zh for c in match.components if c.name in EXPLAINED],
    }
    if lead_rules.lead_shows_budget(enterprise):
        lead["need_budget_wan"] = need.budget_wan
        lead["enterprise_budget_wan"] = enterprise.budget_wan
    return lead
