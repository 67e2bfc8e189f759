"""Reads of 产业链: the chain a user may view, the rows a chain view is built from (links,
enterprises, the needs shared with it), its members' progress, the chains a user may list, and
the list of chain links (its filter and the orders it allows)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, select

from catalog.chains import permissions as chain_rules
from catalog.chains.models import ChainLink
from catalog.engagements.models import CONTRACTED, Engagement
from catalog.enterprises import queries as enterprise_queries
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import NotFound
from catalog.filters import Rows, by_field, page_of
from catalog.solutions.models import Solution
from catalog.users.models import User

LINK_SORT_FIELDS = ("id", "leader_id", "member_id", "relation", "share", "created_at", "updated_at")


@dataclass
class ChainRows:
    """What one chain view is built from: the leader's links, the links of the other chains its
    members sit in, the enterprises these name (the leader, its members and their upstream
    members, the other chains' leaders) by id, and the needs of the chain the user may see."""

    leader: Enterprise
    links: list[ChainLink]
    other_links: list[ChainLink]
    enterprises: dict[int, Enterprise]
    needs: dict[int, list[Need]]


@dataclass(frozen=True)
class LinkFilter:
    """What a list of chain links is narrowed by (every field optional): a leader, a relation
    (供应商、客户、外协); `sort` a field of LINK_SORT_FIELDS ('-' for descending), or "" for id."""

    leader_id: int | None = None
    relation: str = ""
    sort: str = ""


@dataclass
class VisibleChains:
    """Every chain a user may view: their links, and the enterprises these name."""

    links: list[ChainLink]
    enterprises: list[Enterprise]


def has_members(*, session: Session, leader_id: int) -> bool:
    """Has any member been linked to the chain of this leader?"""
    found = session.exec(select(ChainLink.id).where(ChainLink.leader_id == leader_id).limit(1)).first()
    return found is not None


def load_leader(*, session: Session, user: User, leader_id: int) -> Enterprise:
    """The leader enterprise, if the user may view its chain (NotFound hides it otherwise) and
    the chain has members (NotFound: 尚未登记产业链成员)."""
    leader = session.get(Enterprise, leader_id)
    if leader is None or not chain_rules.can_view_chain(user, leader):
        raise NotFound("chain_not_found", "未找到该产业链，或无权查看")
    if not has_members(session=session, leader_id=leader_id):
        raise NotFound("chain_not_found", f"{leader.name} 尚未登记产业链成员")
    return leader


def chain_rows(*, session: Session, user: User, leader: Enterprise) -> ChainRows:
    """The leader's chain, the other chains its members sit in, and the needs the user may see
    (catalog.enterprises.queries.visible_needs_by_enterprise) of the leader and its members."""
    links = list(session.exec(select(ChainLink).where(ChainLink.leader_id == leader.id)).all())
    member_ids = {link.member_id for link in links}
    others = list(session.exec(select(ChainLink).where(col(ChainLink.member_id).in_(member_ids),
                                                       ChainLink.leader_id != leader.id)).all())
    ids = member_ids | {leader.id} | {o.leader_id for o in others}
    ids |= {link.via_id for link in links if link.via_id is not None}
    rows = {e.id: e for e in session.exec(select(Enterprise).where(col(Enterprise.id).in_(ids))).all()
            if e.id is not None}
    chain_ids = member_ids | {int(leader.id or 0)}
    needs = enterprise_queries.visible_needs_by_enterprise(session=session, user=user, enterprise_ids=chain_ids)
    return ChainRows(leader=leader, links=links, other_links=others, enterprises=rows, needs=needs)


def progress(*, session: Session, user: User, chain: ChainRows) -> dict[int, dict[str, int]]:
    """Per enterprise of the chain view but its leader, its engagements by status — for those
    whose progress the user may see (catalog/chains/permissions.py: can_see_progress)."""
    allowed = [i for i, e in chain.enterprises.items()
               if i != chain.leader.id and chain_rules.can_see_progress(user, e)]
    rows = session.exec(select(Engagement.enterprise_id, Engagement.status)
                        .where(col(Engagement.enterprise_id).in_(allowed))).all()
    counts: dict[int, Counter[str]] = {}
    for enterprise_id, status in rows:
        counts.setdefault(enterprise_id, Counter())[status] += 1
    return {k: dict(v) for k, v in counts.items()}


def visible_chains(*, session: Session, user: User) -> VisibleChains:
    """Every chain the user may view (Forbidden unless it may list chains at all): their links
    and the enterprises these name, leaders, members and upstream members."""
    chain_rules.require_list_chains(user)
    ids = [e.id for e in visible_leaders(session=session, user=user)]
    links = list(session.exec(select(ChainLink).where(col(ChainLink.leader_id).in_(ids))).all())
    ent_ids = {k.member_id for k in links} | set(ids) | {k.via_id for k in links if k.via_id}
    rows = list(session.exec(select(Enterprise).where(col(Enterprise.id).in_(ent_ids))).all())
    return VisibleChains(links=links, enterprises=rows)


def solutions_in_use(*, session: Session, enterprise_id: int) -> list[Solution]:
    """The offerings an enterprise uses: those of its engagements from signing on (签约, 实施中,
    已验收), each once, in id order."""
    stmt = (select(Solution).join(Engagement, col(Engagement.solution_id) == col(Solution.id))
            .where(Engagement.enterprise_id == enterprise_id,
                   col(Engagement.status).in_([s.value for s in CONTRACTED]))
            .order_by(col(Solution.id)))
    # each once: deduplicated here, as PostgreSQL compares no JSON columns for DISTINCT
    return list({s.id: s for s in session.exec(stmt).all()}.values())


def visible_leaders(*, session: Session, user: User) -> list[Enterprise]:
    """The leaders of the chains `user` may view (catalog/chains/permissions.py), by id."""
    ids = set(session.exec(chain_rules.visible_chain_links(user, select(ChainLink.leader_id).distinct())).all())
    leaders = session.exec(select(Enterprise).where(col(Enterprise.id).in_(ids)).order_by(col(Enterprise.id)))
    return [e for e in leaders.all() if chain_rules.can_view_chain(user, e)]


def list_links(*, session: Session, user: User | None, chosen: LinkFilter = LinkFilter(), page: int = 1,
               per_page: int = 20) -> Rows[ChainLink]:
    """One page of the chain links `user` may see that match `chosen`, and how many match in all."""
    statement = chain_rules.visible_chain_links(user, select(ChainLink))
    if chosen.leader_id is not None:
        statement = statement.where(col(ChainLink.leader_id) == chosen.leader_id)
    if chosen.relation:
        statement = statement.where(col(ChainLink.relation) == chosen.relation.strip())
    ordered = by_field(statement, ChainLink, chosen.sort.strip() or "id", LINK_SORT_FIELDS)
    found, total, served = page_of(session, ordered, page=page, per_page=per_page)
    return Rows(rows=found, total=total, page=served, per_page=per_page)
