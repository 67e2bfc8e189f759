"""JSON API: matches and bundles for an enterprise, leads for a provider.

The matcher never sees a session: rows become its plain records, and the catalogue its
cached MatchContext, in market.matching.context.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from catalog.access import load_visible
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises.models import Enterprise
from catalog.leads import permissions as lead_rules
from catalog.leads import service as lead_service
from catalog.leads.models import LEADS_MAX, LEADS_SHOWN, LeadMark
from catalog.providers import permissions as provider_rules
from catalog.providers.models import Provider
from catalog.users.service import actor_of
from market.deps import CurrentUser, SessionDep
from market.leads import ranking as leads
from market.matching.shortlists import bundle_of, shortlists_of
from market.permissions.declared import BUREAU, ENTERPRISES, PROVIDER, requires
from market.web.api_common import READ_ERRORS, WRITE_ERRORS
from matching.config import SHORTLIST
from matching.scoring import MatchContext, ScoredMatch

router = APIRouter(tags=["供需匹配"])
TopK = Annotated[int, Query(ge=1, le=20, description="每条需求返回的推荐数")]


def _match_json(match: ScoredMatch, ctx: MatchContext) -> dict[str, Any]:
    data = match.as_dict()
    solution = ctx.solutions[ctx.position[match.solution_id]]
    data["solution_id"] = int(solution.id)
    data["solution_name"] = solution.name
    data["provider_id"] = int(solution.provider_id)
    data["provider_name"] = ctx.provider(solution.provider_id).name
    data["outside_region"] = match.outside_region is not None
    data.pop("need_id", None)
    return data


@router.get("/api/enterprises/{enterprise_id}/matches", responses=READ_ERRORS,
            summary="企业各条需求的推荐产品（含评分解释）", openapi_extra=requires(BUREAU | ENTERPRISES))
def enterprise_matches(
    session: SessionDep, user: CurrentUser, enterprise_id: int, k: TopK = SHORTLIST,
    outside: Annotated[bool, Query(description="也推荐服务区域不含本企业所在地区的服务商的产品（outside_region 标出）")] = False,
) -> dict[str, Any]:
    enterprise = load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_rules.can)
    found = shortlists_of(session=session, user=user, enterprise=enterprise, k=k, outside=outside)
    needs = [{"need_id": row.id, "code": row.code, "text": row.text, "scenario": row.scenario, "priority": row.priority,
              "matches": [_match_json(m, found.ctx) for m in matches]} for row, matches in found.rows]
    return {"enterprise_id": enterprise.id, "policy": found.policy, "needs": needs}


@router.get("/api/enterprises/{enterprise_id}/bundle", responses=READ_ERRORS,
            summary="企业的推荐组合（总价、补贴、净支出）", openapi_extra=requires(BUREAU | ENTERPRISES))
def enterprise_bundle(session: SessionDep, user: CurrentUser, enterprise_id: int) -> dict[str, Any]:
    enterprise = load_visible(session, user, Enterprise, enterprise_id, "试点企业", enterprise_rules.can)
    bundle, _needs, ctx = bundle_of(session=session, user=user, enterprise=enterprise)
    data = bundle.as_dict()
    data["enterprise_id"] = enterprise.id
    for item in data["items"]:
        item["solution_id"] = int(item["solution_id"])
        item["provider_id"] = int(item["provider_id"])
        item["covers"] = [int(n) for n in item["covers"]]
    data["covered"] = {int(n): int(s) for n, s in data["covered"].items()}
    data["uncovered"] = {int(n): (_match_json(m, ctx) if m is not None else None)
                         for n, m in bundle.uncovered.items()}
    return data


@router.get("/api/providers/{provider_id}/leads", responses=READ_ERRORS,
            summary="服务商的商机：与其产品匹配的企业需求（仅限同意被发现或同场对接的企业），含服务商的跟进", openapi_extra=requires(BUREAU | PROVIDER))
def provider_leads(session: SessionDep, user: CurrentUser, provider_id: int,
                   limit: Annotated[int, Query(ge=1, le=LEADS_MAX, description="返回的商机条数")] = LEADS_SHOWN) -> dict[str, Any]:
    provider = load_visible(session, user, Provider, provider_id, "服务商", provider_rules.can)
    lead_rules.require_view_leads(user, provider)
    found = leads.provider_leads(session, provider_id, limit)
    return {"provider_id": provider_id, "count": len(found), "leads": found}


@router.post("/api/providers/{provider_id}/leads/{need_id}", responses=WRITE_ERRORS,
             summary="服务商跟进商机：标记已联系或不相关（留痕）", openapi_extra=requires(PROVIDER))
def answer_lead(session: SessionDep, user: CurrentUser, provider_id: int, need_id: int,
                mark: LeadMark) -> dict[str, Any]:
    provider = load_visible(session, user, Provider, provider_id, "服务商", provider_rules.can)
    need = leads.lead_of(session, user, provider, need_id)
    response = lead_service.answer(session=session, provider=provider, need=need, mark=mark, actor=actor_of(user))
    session.commit()
    return {"provider_id": provider_id, "need_id": need_id, "answer": response.answer, "note": response.note}


@router.get("/api/leads/contacts", responses=READ_ERRORS, summary="商机跟进记录：哪家服务商联系了哪家企业（本辖区）",
            openapi_extra=requires(BUREAU))
def lead_contacts(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    rows = lead_service.contacts_seen_by(session=session, user=user)
    return {"count": len(rows), "contacts": rows}
