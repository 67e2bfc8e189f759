"""JSON API: 链式转型 — a chain leader's graph, its analyses and the chain proposal.

Reads the stored links, enterprises, needs (only those the user may see, via
`catalog.enterprises.queries.visible_needs_by_enterprise`), published offerings and engagements, turns them
into plain records and hands them to `matching.chains.analysis*` (pure).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from sqlmodel import Session, col, select

from catalog.chains import permissions as chain_rules
from catalog.chains import queries as chain_queries
from catalog.chains.models import ChainLink
from catalog.chains.schemas import ChainProposalRequest
from catalog.engagements.models import Engagement
from catalog.enterprises import queries as enterprise_queries
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import NotFound
from catalog.users.models import User
from market.deps import CurrentUser, SessionDep
from market.matching.context import match_context, solution_record
from market.permissions.declared import BUREAU, CHAIN_LEADER, requires
from market.web.api_common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from matching.chains.analysis import analyse_chain, region_overview
from matching.chains.graph import LinkRecord, Region, build_region, graph_json
from matching.chains.proposal import ChainProposal, propose_chain
from matching.records import EnterpriseRecord, NeedRecord, SolutionRecord
from matching.scoring import MatchContext, rank

router = APIRouter(prefix="/api/chains", tags=["链式转型"])

TOP_PER_NEED = 6  # the matcher's offerings scored per need


@dataclass
class ChainContext:
    """Everything one chain view needs, as plain records."""

    leader: Enterprise
    region: Region
    needs: dict[str, list[NeedRecord]]
    rows: dict[int, Enterprise]


def _record(e: Enterprise) -> EnterpriseRecord:
    return EnterpriseRecord(id=str(e.id), name=e.name, region=e.region, industry=e.industry,
                            size=e.size, level=e.level, budget_wan=e.budget_wan)


def _link(link: ChainLink) -> LinkRecord:
    via = str(link.via_id) if link.via_id is not None else None
    return LinkRecord(str(link.leader_id), str(link.member_id), link.relation, via, link.share)


def _need(n: Need) -> NeedRecord:
    return NeedRecord(id=str(n.id), enterprise_id=str(n.enterprise_id), text=n.text,
                      scenario=n.scenario or None, priority=n.priority, budget_wan=n.budget_wan)


def load_leader(session: Session, user: User, leader_id: int) -> Enterprise:
    """The leader enterprise, if the user may view its chain (404 hides it otherwise)."""
    leader = session.get(Enterprise, leader_id)
    if leader is None or not chain_rules.can_view_chain(user, leader):
        raise NotFound("chain_not_found", "未找到该产业链，或无权查看")
    has_links = session.exec(select(ChainLink.id).where(ChainLink.leader_id == leader_id).limit(1)).first()
    if has_links is None:
        raise NotFound("chain_not_found", f"{leader.name} 尚未登记产业链成员")
    return leader


def load_context(session: Session, user: User, leader: Enterprise) -> ChainContext:
    """The leader's chain, the other chains its members sit in, and the needs the user may see."""
    links = list(session.exec(select(ChainLink).where(ChainLink.leader_id == leader.id)).all())
    member_ids = {link.member_id for link in links}
    others = session.exec(select(ChainLink).where(col(ChainLink.member_id).in_(member_ids),
                                                  ChainLink.leader_id != leader.id)).all()
    ids = member_ids | {leader.id} | {o.leader_id for o in others}
    ids |= {link.via_id for link in links if link.via_id is not None}
    rows = {e.id: e for e in session.exec(select(Enterprise).where(col(Enterprise.id).in_(ids))).all()
            if e.id is not None}
    region = build_region(enterprises=[_record(e) for e in rows.values()],
                          links=[_link(k) for k in (*links, *others)])
    chain_ids = member_ids | {int(leader.id or 0)}
    visible = enterprise_queries.visible_needs_by_enterprise(session=session, user=user, enterprise_ids=chain_ids)
    needs = {str(enterprise_id): [_need(n) for n in listed] for enterprise_id, listed in visible.items()}
    return ChainContext(leader=leader, region=region, needs=needs, rows=rows)


def solutions_in_use(session: Session, enterprise_id: int) -> list[SolutionRecord]:
    """Offerings an enterprise uses (catalog.chains.queries.solutions_in_use), as plain records."""
    return [solution_record(s) for s in chain_queries.solutions_in_use(session=session, enterprise_id=enterprise_id)]


def matcher_scores(ctx: ChainContext, match: MatchContext) -> dict[tuple[str, str], float]:
    """Need × offering scores from the matcher (matching/scoring.py): its top offerings per need."""
    scores: dict[tuple[str, str], float] = {}
    for member_id in ctx.region.chains[str(ctx.leader.id)].members:
        enterprise = ctx.region.enterprises[member_id]
        for need in ctx.needs.get(member_id, ()):
            for found in rank(need, enterprise, match, k=TOP_PER_NEED):
                scores[(need.id, found.solution_id)] = found.total
    return scores


def progress(session: Session, user: User, ctx: ChainContext) -> dict[str, dict[str, int]]:
    """Per member, its engagements by status — for members whose progress the user may see."""
    allowed = [i for i, e in ctx.rows.items() if i != ctx.leader.id and chain_rules.can_see_progress(user, e)]
    rows = session.exec(select(Engagement.enterprise_id, Engagement.status)
                        .where(col(Engagement.enterprise_id).in_(allowed))).all()
    counts: dict[str, Counter[str]] = {}
    for enterprise_id, status in rows:
        counts.setdefault(str(enterprise_id), Counter())[status] += 1
    return {k: dict(v) for k, v in counts.items()}


def make_proposal(session: Session, ctx: ChainContext, request: ChainProposalRequest) -> ChainProposal:
    """The proposal for a loaded chain, scored by the matcher over the published offerings
    (the same context, providers' track records included, as every other recommendation)."""
    match = match_context(session)
    chain = ctx.region.chains[str(ctx.leader.id)]
    return propose_chain(ctx.region, chain, needs=ctx.needs, solutions=match.solutions,
                         scores=matcher_scores(ctx, match), budget_wan=request.budget_wan,
                         discount=request.discount, group_min=request.group_min, providers=match.providers)


def overview(session: Session, user: User) -> dict[str, Any]:
    """Every chain the user may view, at a glance (the bureau's region overview)."""
    chain_rules.require_list_chains(user)
    ids = [e.id for e in chain_queries.visible_leaders(session=session, user=user)]
    links = session.exec(select(ChainLink).where(col(ChainLink.leader_id).in_(ids))).all()
    ent_ids = {k.member_id for k in links} | set(ids) | {k.via_id for k in links if k.via_id}
    rows = session.exec(select(Enterprise).where(col(Enterprise.id).in_(ent_ids))).all()
    region = build_region(enterprises=[_record(e) for e in rows], links=[_link(k) for k in links])
    return region_overview(region)


@router.get("", responses=LIST_ERRORS, summary="可查看的产业链", openapi_extra=requires(BUREAU | CHAIN_LEADER))
def list_chains(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    data = overview(session, user)
    chains = [{**row["glance"], "critical": row["critical"]} for row in data["chains"]]
    return {"data": chains, "count": len(chains), "shared": data["shared"],
            "explanation_zh": data["explanation_zh"]}


def _needs_count(ctx: ChainContext) -> dict[str, int]:
    return {k: len(v) for k, v in ctx.needs.items()}


@router.get("/{leader_id}", responses=READ_ERRORS, summary="产业链图（节点与连线）",
            openapi_extra=requires(BUREAU | CHAIN_LEADER))
def read_chain(session: SessionDep, user: CurrentUser, leader_id: int) -> dict[str, Any]:
    ctx = load_context(session, user, load_leader(session, user, leader_id))
    chain = ctx.region.chains[str(leader_id)]
    data = graph_json(ctx.region, chain, needs_count=_needs_count(ctx))
    shown = progress(session, user, ctx)
    for node in data["nodes"]:
        node["progress"] = shown.get(node["id"])
    return data


@router.get("/{leader_id}/analysis", responses=READ_ERRORS, summary="产业链分析",
            openapi_extra=requires(BUREAU | CHAIN_LEADER))
def read_analysis(session: SessionDep, user: CurrentUser, leader_id: int) -> dict[str, Any]:
    ctx = load_context(session, user, load_leader(session, user, leader_id))
    chain = ctx.region.chains[str(leader_id)]
    return analyse_chain(ctx.region, chain, needs=ctx.needs,
                         solutions_in_use=solutions_in_use(session, leader_id)).as_dict()


@router.post("/{leader_id}/proposal", responses=WRITE_ERRORS, summary="生成链式转型方案",
             openapi_extra=requires(BUREAU | CHAIN_LEADER))
def create_proposal(session: SessionDep, user: CurrentUser, leader_id: int,
                    request: ChainProposalRequest) -> dict[str, Any]:
    ctx = load_context(session, user, load_leader(session, user, leader_id))
    return make_proposal(session, ctx, request).as_dict()

