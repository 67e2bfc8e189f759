"""JSON API: 链式转型 — a chain leader's graph, its analyses and the chain proposal.

Parses the request, reads the chain through `market.chains.context` (the rows of
`catalog.chains.queries` as the matcher's plain records, handed to `matching.chains.*`) and
returns its JSON; the chain pages and `market chains` read it the same way.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from catalog.chains.schemas import ChainProposalRequest
from market.chains import context as chain_context
from market.deps import CurrentUser, SessionDep
from market.permissions.declared import BUREAU, CHAIN_LEADER, requires
from market.web.api_common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS

router = APIRouter(prefix="/api/chains", tags=["链式转型"])


@router.get("", responses=LIST_ERRORS, summary="可查看的产业链", openapi_extra=requires(BUREAU | CHAIN_LEADER))
def list_chains(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    data = chain_context.overview(session, user)
    chains = [{**row["glance"], "critical": row["critical"]} for row in data["chains"]]
    return {"data": chains, "count": len(chains), "shared": data["shared"],
            "explanation_zh": data["explanation_zh"]}


@router.get("/{leader_id}", responses=READ_ERRORS, summary="产业链图（节点与连线）",
            openapi_extra=requires(BUREAU | CHAIN_LEADER))
def read_chain(session: SessionDep, user: CurrentUser, leader_id: int) -> dict[str, Any]:
    ctx = chain_context.load_context(session, user, leader_id)
    return chain_context.graph(session, user, ctx)


@router.get("/{leader_id}/analysis", responses=READ_ERRORS, summary="产业链分析",
            openapi_extra=requires(BUREAU | CHAIN_LEADER))
def read_analysis(session: SessionDep, user: CurrentUser, leader_id: int) -> dict[str, Any]:
    ctx = chain_context.load_context(session, user, leader_id)
    return chain_context.analyse(session, ctx).as_dict()


@router.post("/{leader_id}/proposal", responses=WRITE_ERRORS, summary="生成链式转型方案",
             openapi_extra=requires(BUREAU | CHAIN_LEADER))
def create_proposal(session: SessionDep, user: CurrentUser, leader_id: int,
                    request: ChainProposalRequest) -> dict[str, Any]:
    ctx = chain_context.load_context(session, user, leader_id)
    return chain_context.make_proposal(session, ctx, request).as_dict()
