"""链式转型 as the matcher sees it, shared by the chain API, pages and CLI: the rows catalog reads
for a chain (catalog.chains.queries) turned into plain records, and handed to
`matching.chains.*` (pure) for the graph, the analyses, the proposal and the region overview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from catalog.chains import queries as chain_queries
from catalog.chains.models import OFFERINGS_PER_NEED, ChainLink
from catalog.chains.queries import ChainRows
from catalog.chains.schemas import ChainProposalRequest
from catalog.enterprises.models import Enterprise
from catalog.users.models import User
from market.matching.context import enterprise_record, match_context, need_record, solution_record
from matching.chains.analysis import ChainAnalysis, analyse_chain, region_overview
from matching.chains.graph import LinkRecord, Region, build_region, graph_json
from matching.chains.proposal import ChainProposal, propose_chain
from matching.records import NeedRecord, SolutionRecord
from matching.scoring import MatchContext, rank


@dataclass
class ChainContext:
    """Everything one chain view needs, as plain records (and the rows they were made from)."""

    leader: Enterprise
    region: Region
    needs: dict[str, list[NeedRecord]]
    rows: ChainRows


def _link(link: ChainLink) -> LinkRecord:
    via = str(link.via_id) if link.via_id is not None else None
    return LinkRecord(str(link.leader_id), str(link.member_id), link.relation, via, link.share)


def load_context(session: Session, user: User, leader_id: int) -> ChainContext:
    """The chain of this leader, if the user may view it (catalog.chains.queries.load_leader),
    with the other chains its members sit in and the needs the user may see."""
    leader = chain_queries.load_leader(session=session, user=user, leader_id=leader_id)
    rows = chain_queries.chain_rows(session=session, user=user, leader=leader)
    region = build_region(enterprises=[enterprise_record(e) for e in rows.enterprises.values()],
                          links=[_link(k) for k in (*rows.links, *rows.other_links)])
    needs = {str(enterprise_id): [need_record(n) for n in listed] for enterprise_id, listed in rows.needs.items()}
    return ChainContext(leader=leader, region=region, needs=needs, rows=rows)


def progress(session: Session, user: User, ctx: ChainContext) -> dict[str, dict[str, int]]:
    """Per member, its engagements by status (catalog.chains.queries.progress), by record id."""
    shown = chain_queries.progress(session=session, user=user, chain=ctx.rows)
    return {str(enterprise_id): counts for enterprise_id, counts in shown.items()}


def graph(session: Session, user: User, ctx: ChainContext) -> dict[str, Any]:
    """The chain as nodes and edges, each node with its need count and the progress the user may see."""
    chain = ctx.region.chains[str(ctx.leader.id)]
    data = graph_json(ctx.region, chain, needs_count={k: len(v) for k, v in ctx.needs.items()})
    shown = progress(session, user, ctx)
    for node in data["nodes"]:
        node["progress"] = shown.get(node["id"])
    return data


def solutions_in_use(session: Session, enterprise_id: int) -> list[SolutionRecord]:
    """Offerings an enterprise uses (catalog.chains.queries.solutions_in_use), as plain records."""
    return [solution_record(s) for s in chain_queries.solutions_in_use(session=session, enterprise_id=enterprise_id)]


def analyse(session: Session, ctx: ChainContext) -> ChainAnalysis:
    """Every analysis of the chain: at a glance, critical members, shared needs, the leader's systems."""
    chain = ctx.region.chains[str(ctx.leader.id)]
    return analyse_chain(ctx.region, chain, needs=ctx.needs,
                         solutions_in_use=solutions_in_use(session, int(ctx.leader.id or 0)))


def matcher_scores(ctx: ChainContext, match: MatchContext) -> dict[tuple[str, str], float]:
    """Need × offering scores from the matcher (matching/scoring.py): its top offerings per need."""
    scores: dict[tuple[str, str], float] = {}
    for member_id in ctx.region.chains[str(ctx.leader.id)].members:
        enterprise = ctx.region.enterprises[member_id]
        for need in ctx.needs.get(member_id, ()):
            for found in rank(need, enterprise, match, k=OFFERINGS_PER_NEED):
                scores[(need.id, found.solution_id)] = found.total
    return scores


def make_proposal(session: Session, ctx: ChainContext, request: ChainProposalRequest) -> ChainProposal:
    """The proposal for a loaded chain, scored by the matcher over the published offerings
    (the same context, providers' track records included, as every other recommendation)."""
    match = match_context(session)
    chain = ctx.region.chains[str(ctx.leader.id)]
    return propose_chain(ctx.region, chain, needs=ctx.needs, solutions=match.solutions,
                         scores=matcher_scores(ctx, match), budget_wan=request.budget_wan,
                         discount=request.discount, group_min=request.group_min, providers=match.providers)


def overview(session: Session, user: User) -> dict[str, Any]:
    """Every chain the user may view, at a glance (the bureau's region overview); Forbidden for a
    user who may list no chains (catalog.chains.queries.visible_chains)."""
    seen = chain_queries.visible_chains(session=session, user=user)
    region = build_region(enterprises=[enterprise_record(e) for e in seen.enterprises],
                          links=[_link(k) for k in seen.links])
    return region_overview(region)
