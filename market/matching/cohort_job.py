"""The cohort-matching job: every enterprise of a bureau's scope (regions, optionally a batch
and an industry) matched at once, allocated within provider capacities, with a gap report.

The job reads the database in one short session, closes it, then computes with the pure
matcher (matching.cohort) while reporting progress. The result is self-contained JSON
(names included), so the page and the export show what was computed even when the
catalogue changes afterwards.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from catalog.db import session_scope
from catalog.enterprises.models import Enterprise, Need
from catalog.enterprises.queries import CohortScope, bureau_cohort, cohort_members
from catalog.fields import Batch
from catalog.taxonomy import taxonomy
from catalog.users.models import User
from catalog.users.service import actor_of
from market import jobs
from market.jobs import Progress
from market.matching.context import enterprise_record, match_context, need_record
from market.models import Job
from matching.cohort import CohortResult, match_cohort
from matching.config import SHORTLIST
from matching.context import MatchContext
from matching.scoring import ScoredMatch

KIND = "cohort_match"
ALTERNATIVES = SHORTLIST


def scope_of(params: dict[str, Any]) -> CohortScope:
    """The cohort a job's parameters describe."""
    batch = params.get("batch")
    return CohortScope(regions=tuple(params.get("regions") or ()), batch=int(batch) if batch is not None else None,
                       industry_codes=tuple(params.get("industry_codes") or ()))


class CohortMatchRequest(BaseModel):
    """Which enterprises to match: all of the bureau's regions unless narrowed."""

    batch: Batch = Field(default=None, description="试点批次")
    industry: str | None = Field(default=None, max_length=60, description="行业（代码、名称或简称）")
    region: str | None = Field(default=None, max_length=100, description="地区（须在本辖区内，如 江西省九江市）")


def job_params(*, session: Session, user: User, body: CohortMatchRequest) -> dict[str, Any]:
    """The job's parameters: the bureau's cohort (catalog.enterprises.queries.bureau_cohort),
    and what was asked, for the page to show."""
    region = (body.region or "").strip() or None
    industry = (body.industry or "").strip() or None
    scope = bureau_cohort(session=session, user=user, region=region, batch=body.batch, industry=industry)
    return {"regions": list(scope.regions), "region": region, "batch": body.batch,
            "industry": industry, "industry_codes": list(scope.industry_codes)}


def start_cohort_job(*, session: Session, user: User, body: CohortMatchRequest) -> Job:
    """Enqueue a cohort match for the bureau's scope (flushed; the API and the page run it
    after their commit). An empty cohort is refused before anything is queued."""
    params = job_params(session=session, user=user, body=body)
    return jobs.enqueue(session=session, kind=KIND, params=params, created_by=actor_of(user))


def recent_jobs(*, session: Session, user: User, limit: int = 10) -> list[Job]:
    """The cohort matches this user started, the latest first."""
    statement = (select(Job).where(col(Job.kind) == KIND, col(Job.created_by) == actor_of(user))
                 .order_by(col(Job.id).desc()).limit(limit))
    return list(session.exec(statement).all())


def _load(session: Session, params: dict[str, Any]) -> tuple[list[Enterprise], list[Need], MatchContext]:
    enterprises, needs = cohort_members(session=session, scope=scope_of(params))
    return enterprises, needs, match_context(session)


def run_cohort_job(*, database_url: str, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Match the cohort the parameters describe; the result as JSON for the job row."""
    with session_scope(database_url) as session:
        enterprises, needs, ctx = _load(session, params)
        records = [enterprise_record(e) for e in enterprises]
        need_records = [need_record(n) for n in needs]
    progress(0, len(need_records))
    result = match_cohort(enterprises=records, needs=need_records, ctx=ctx,
                          k=int(params.get("k") or ALTERNATIVES), progress=progress)
    return cohort_json(result, enterprises=enterprises, needs=needs, ctx=ctx)


def _option(solution_id: str, provider_id: str, score: float, ctx: MatchContext) -> dict[str, Any]:
    solution = ctx.solutions[ctx.position[solution_id]]
    return {"solution_id": int(solution_id), "solution_name": solution.name,
            "provider_id": int(provider_id), "provider_name": ctx.provider(provider_id).name,
            "score": round(score, 4)}


def _alternative(match: ScoredMatch, ctx: MatchContext) -> dict[str, Any]:
    data = _option(match.solution_id, match.provider_id, match.total, ctx)
    data.update(price_wan=match.price_wan, subsidy_wan=match.subsidy_wan, net_wan=match.net_wan)
    return data


def _need_json(need: Need, result: CohortResult, ctx: MatchContext) -> dict[str, Any]:
    option = result.allocation.assigned.get(str(need.id))
    return {
        "need_id": need.id, "code": need.code, "text": need.text, "scenario": need.scenario,
        "priority": need.priority,
        "recommended": _option(option.solution_id, option.provider_id, option.score, ctx) if option else None,
        "alternatives": [_alternative(m, ctx) for m in result.shortlists.get(str(need.id), [])],
    }


def _enterprises_json(enterprises: list[Enterprise], needs: list[Need], result: CohortResult,
                      ctx: MatchContext) -> list[dict[str, Any]]:
    by_enterprise: dict[int, list[dict[str, Any]]] = {}
    for need in needs:
        by_enterprise.setdefault(need.enterprise_id, []).append(_need_json(need, result, ctx))
    names = taxonomy().industries
    rows = []
    for e in enterprises:
        items = by_enterprise.get(e.id or 0, [])
        providers = sorted({i["recommended"]["provider_name"] for i in items if i["recommended"]})
        rows.append({"enterprise_id": e.id, "name": e.name, "region": e.region, "industry": e.industry,
                     "industry_name": names.get(e.industry, e.industry), "batch": e.batch,
                     "providers": providers, "needs": items})
    return rows


def _providers_json(result: CohortResult, ctx: MatchContext) -> list[dict[str, Any]]:
    rows = [{"provider_id": int(pid), "name": ctx.provider(pid).name, "enterprises": len(ents),
             "capacity": ctx.providers[pid].capacity if pid in ctx.providers else None}
            for pid, ents in result.allocation.provider_enterprises.items() if ents]
    return sorted(rows, key=lambda r: (-r["enterprises"], r["name"]))


def cohort_json(result: CohortResult, *, enterprises: list[Enterprise], needs: list[Need],
                ctx: MatchContext) -> dict[str, Any]:
    """The stored result: summary, provider loads, per-enterprise recommendations, gaps."""
    assigned = sum(1 for o in result.allocation.assigned.values() if o is not None)
    gaps: list[dict[str, Any]] = [{"scenario": g.scenario, "industry": g.industry, "count": len(g.need_ids),
             "need_ids": [int(n) for n in g.need_ids], "best_score": round(g.best_score, 4),
             "examples": g.examples, "reason": g.reason_zh} for g in result.gaps]
    summary = {
        "enterprises": len(enterprises), "needs": len(needs), "assigned": assigned,
        "unassigned": len(needs) - assigned, "gap_needs": sum(len(g.need_ids) for g in result.gaps),
        "providers": sum(1 for ents in result.allocation.provider_enterprises.values() if ents),
        "total_score": round(result.allocation.total, 4), "gap_threshold": ctx.config.gap_threshold,
        "catalogue_solutions": len(ctx.solutions),
    }
    return {"summary": summary, "providers": _providers_json(result, ctx),
            "enterprises": _enterprises_json(enterprises, needs, result, ctx), "gaps": gaps}
