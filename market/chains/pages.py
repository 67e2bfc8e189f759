"""Pages: 链式转型 — the chains a user may view, one chain (graph, analyses, progress),
its proposal with the roll-out plan, and the proposal as xlsx and as a printable page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from catalog.chains.models import (
    DISCOUNT_DEFAULT,
    DISCOUNT_MAX,
    PROPOSAL_BUDGET_DEFAULT_WAN,
    PROPOSAL_BUDGET_MAX_WAN,
)
from catalog.chains.schemas import ChainProposalRequest
from catalog.regions import city
from catalog.users.models import Role
from catalog.xlsx_writer import Book
from market.chains import context as chain_context
from market.chains.context import ChainContext
from market.deps import CurrentUser, SessionDep
from market.permissions.declared import BUREAU, CHAIN_LEADER, requires
from market.templating import render
from matching.chains.analysis import tier_label
from matching.chains.proposal import ChainProposal

router = APIRouter(include_in_schema=False)

Budget = Annotated[float, Query(gt=0, le=PROPOSAL_BUDGET_MAX_WAN, description="预算（万元）")]
Discount = Annotated[float, Query(ge=0, le=DISCOUNT_MAX, description="集采折扣")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/chains", response_class=HTMLResponse, openapi_extra=requires(BUREAU | CHAIN_LEADER))
def chains_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """The chains the user may view; a leader with one chain goes straight to it."""
    data = chain_context.overview(session, user)  # refused as by the API: catalog.chains.queries.visible_chains
    if user.role == Role.CHAIN_LEADER and len(data["chains"]) == 1:
        return RedirectResponse(f"/chains/{data['chains'][0]['glance']['leader_id']}", status_code=303)
    return render(request, "chains/list.html", {"overview": data})


def _members(ctx: ChainContext, shown: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    chain = ctx.region.chains[str(ctx.leader.id)]
    rows = []
    for member in sorted(chain.members.values(), key=lambda m: (m.tier, m.id)):
        ent = ctx.region.enterprises[member.id]
        rows.append({
            "id": member.id, "name": ent.name, "tier": tier_label(member.tier),
            "relation": member.relation, "city": city(ent.region), "level": ent.level or "未评测",
            "share": member.share, "needs": len(ctx.needs.get(member.id, ())),
            "shares_needs": member.id in ctx.needs, "progress": shown.get(member.id),
        })
    return rows


@router.get("/chains/{leader_id}", response_class=HTMLResponse, openapi_extra=requires(BUREAU | CHAIN_LEADER))
def chain_page(request: Request, session: SessionDep, user: CurrentUser, leader_id: int) -> HTMLResponse:
    """One chain: the graph, at a glance, critical members, shared needs, systems, progress."""
    ctx = chain_context.load_context(session, user, leader_id)
    context = {
        "leader": ctx.leader, "analysis": chain_context.analyse(session, ctx),
        "members": _members(ctx, chain_context.progress(session, user, ctx)),
        "needs_text": {n.id: n.text for ns in ctx.needs.values() for n in ns},
        "names": {k: v.name for k, v in ctx.region.enterprises.items()},
    }
    return render(request, "chains/chain.html", context)


def _proposal(session: SessionDep, user: CurrentUser, leader_id: int, budget_wan: float,
              discount: float) -> tuple[ChainContext, ChainProposal]:
    ctx = chain_context.load_context(session, user, leader_id)
    request = ChainProposalRequest(budget_wan=budget_wan, discount=discount)
    return ctx, chain_context.make_proposal(session, ctx, request)


def _proposal_context(ctx: ChainContext, proposal: ChainProposal, budget_wan: float,
                      discount: float) -> dict[str, Any]:
    query = f"budget_wan={budget_wan:g}&discount={discount:g}"
    return {"leader": ctx.leader, "proposal": proposal, "budget_wan": budget_wan, "discount": discount,
            "query": query, "needs_text": {n.id: n.text for ns in ctx.needs.values() for n in ns}}


@router.get("/chains/{leader_id}/proposal", response_class=HTMLResponse,
            openapi_extra=requires(BUREAU | CHAIN_LEADER))
def proposal_page(request: Request, session: SessionDep, user: CurrentUser, leader_id: int,
                  budget_wan: Budget = PROPOSAL_BUDGET_DEFAULT_WAN, discount: Discount = DISCOUNT_DEFAULT) -> HTMLResponse:
    """The chain proposal for a budget and a group-purchase discount, with the roll-out plan."""
    ctx, proposal = _proposal(session, user, leader_id, budget_wan, discount)
    return render(request, "chains/proposal.html", _proposal_context(ctx, proposal, budget_wan, discount))


@router.get("/chains/{leader_id}/proposal/print", response_class=HTMLResponse,
            openapi_extra=requires(BUREAU | CHAIN_LEADER))
def proposal_print(request: Request, session: SessionDep, user: CurrentUser, leader_id: int,
                   budget_wan: Budget = PROPOSAL_BUDGET_DEFAULT_WAN, discount: Discount = DISCOUNT_DEFAULT) -> HTMLResponse:
    """The proposal and the 链式典型案例 summary as a printable page."""
    ctx, proposal = _proposal(session, user, leader_id, budget_wan, discount)
    return render(request, "chains/print.html", _proposal_context(ctx, proposal, budget_wan, discount))


@router.get("/chains/{leader_id}/proposal.xlsx", openapi_extra=requires(BUREAU | CHAIN_LEADER))
def proposal_xlsx(session: SessionDep, user: CurrentUser, leader_id: int,
                  budget_wan: Budget = PROPOSAL_BUDGET_DEFAULT_WAN, discount: Discount = DISCOUNT_DEFAULT) -> Response:
    """The proposal as a workbook: summary (典型案例), roll-out plan, group purchases."""
    ctx, proposal = _proposal(session, user, leader_id, budget_wan, discount)
    body = proposal_workbook(ctx, proposal)
    headers = {"Content-Disposition": f"attachment; filename=chain-proposal-{leader_id}.xlsx"}
    return Response(body, media_type=XLSX, headers=headers)


def _sheet(book: Book, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.sheet(title)
    sheet.header(header)
    for row in rows:
        sheet.append(row)


def proposal_workbook(ctx: ChainContext, p: ChainProposal) -> bytes:
    """The proposal as xlsx bytes (sheets: 链式典型案例, 推进计划, 集采清单)."""
    book = Book()
    t = p.totals
    summary: list[list[Any]] = [
        ["链主企业", ctx.leader.name], ["预算（万元）", p.budget_wan], ["集采折扣", p.discount],
        ["链上成员（家）", t["members"]], ["纳入方案（家）", t["members_reached"]],
        ["接入链主系统（家）", t["connected"]], ["按原价合计（万元）", t["list_total_wan"]],
        ["集采价合计（万元）", t["group_total_wan"]], ["集采节省（万元）", t["group_saving_wan"]],
        ["预计补贴（万元）", t["subsidy_wan"]], ["成员自付（万元）", t["net_wan"]],
        ["预计提升到二级（家）", t["lifted_to_bar"]], ["方案说明", p.explanation_zh],
    ]
    _sheet(book, "链式典型案例", ["项目", "内容"], summary)
    _sheet(book, "推进计划", ["顺序", "批次", "成员", "层级", "关系", "城市", "当前水平", "预计水平",
                          "产品", "费用（万元）", "补贴（万元）", "自付（万元）", "说明"],
           [[m.order, m.wave, m.name, tier_label(m.tier), m.relation, m.city, m.level_before, m.level_after,
             "；".join(o.name for o in m.offerings), m.cost_wan, m.subsidy_wan, m.net_wan, m.reason_zh]
            for m in p.members])
    _sheet(book, "集采清单", ["产品", "成员数", "原单价（万元）", "集采单价（万元）", "合计（万元）", "节省（万元）"],
           [[g.name, g.members, g.list_unit_wan, g.unit_wan, g.total_wan, g.saving_wan]
            for g in p.group_purchases])
    return book.to_bytes()
