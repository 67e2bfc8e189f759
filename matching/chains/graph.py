"""The supply-chain graph of a region: chains led by 链主 enterprises, their members and tiers.

Pure: plain records in (`EnterpriseRecord`, `LinkRecord`), a `Region` of `Chain`s out.
Each chain is a networkx `DiGraph` whose edges point from the buyer-side node (the
leader, or the `via` member for tier 2 and deeper) to the member. One enterprise may
sit in several chains; `Region.memberships` says in which.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from catalog.regions import city
from catalog.taxonomy import level_number, reaches_pilot_level, taxonomy
from matching.records import EnterpriseRecord

SUPPLIER, CUSTOMER, OUTSOURCING = "供应商", "客户", "外协"


@dataclass(frozen=True)
class LinkRecord:
    """One 产业链关系: `member_id` sits in the chain of `leader_id` (via a member for tier 2+)."""

    leader_id: str
    member_id: str
    relation: str
    via_id: str | None = None
    share: float | None = None


@dataclass(frozen=True)
class ChainMember:
    """A member as placed in one chain.

    `share` is the part of its buyer's purchases it supplies; `effective_share` the part
    of the leader's purchases that depends on it (the shares multiplied along the via path).
    """

    id: str
    tier: int
    relation: str
    via_id: str | None
    share: float | None
    effective_share: float | None
    chains: tuple[str, ...]  # leaders of every chain the enterprise sits in


@dataclass
class Chain:
    """One 链主 and its members, with the graph of their links."""

    leader_id: str
    members: dict[str, ChainMember]
    graph: nx.DiGraph
    warnings: list[str] = field(default_factory=list)

    def children(self, node_id: str) -> list[str]:
        """Members directly below `node_id` (its suppliers, customers, partners in this chain)."""
        return sorted(self.graph.successors(node_id))

    def descendants(self, node_id: str) -> set[str]:
        """Every member reached through `node_id`."""
        return set(nx.descendants(self.graph, node_id))


@dataclass
class Region:
    """All chains of a region, the enterprises they involve, and who sits where."""

    enterprises: dict[str, EnterpriseRecord]
    chains: dict[str, Chain]
    memberships: dict[str, tuple[str, ...]]  # enterprise id → leaders of the chains it is in

    def chain(self, leader_id: str) -> Chain | None:
        return self.chains.get(leader_id)




def industry_label(code: str | None) -> str:
    """A readable industry: code and name (C261 基础化学原料制造)."""
    if not code:
        return "未知行业"
    name = taxonomy().industries.get(code)
    return f"{code} {name}" if name and name != "*" else code


def _tier_of(member_id: str, via: Mapping[str, str | None], leader_id: str) -> tuple[int, str | None]:
    """Tier by following via pointers up to the leader; returns (tier, problem or None)."""
    tier, seen, node = 1, {member_id}, via.get(member_id)
    while node is not None and node != leader_id:
        if node in seen:
            return tier, "cycle"
        if node not in via:
            return tier + 1, "missing"
        seen.add(node)
        tier += 1
        node = via.get(node)
    return tier, None


def _effective_share(member_id: str, links: Mapping[str, LinkRecord], leader_id: str) -> float | None:
    """The share of the leader's purchases depending on a supplier: shares multiplied upward."""
    product, seen = 1.0, set()
    node: str | None = member_id
    while node is not None and node != leader_id and node not in seen:
        seen.add(node)
        link = links.get(node)
        if link is None or link.share is None:
            return None
        product *= link.share
        node = link.via_id
    return round(product, 6)


def _problem_zh(member: str, via_id: str | None, problem: str, names: Mapping[str, str]) -> str:
    who, up = names.get(member, member), names.get(via_id or "", via_id or "")
    if problem == "cycle":
        return f"{who} 的上游成员关系形成环路，已暂按一级配套处理"
    return f"{who} 的上游成员 {up} 不在本链中，已按二级配套处理"


def _chain_graph(leader: str, links: Mapping[str, LinkRecord], broken: set[str]) -> nx.DiGraph:
    """A tree rooted at the leader: a member hangs under its via, or under the leader."""
    graph = nx.DiGraph()
    graph.add_node(leader)
    for member_id, link in links.items():
        usable = link.via_id in links and member_id not in broken
        parent = link.via_id if usable and link.via_id else leader
        graph.add_edge(parent, member_id, relation=link.relation, share=link.share)
    return graph


def build_chain(
    *, leader_id: str, links: Iterable[LinkRecord], memberships: Mapping[str, tuple[str, ...]],
    names: Mapping[str, str] | None = None,
) -> Chain:
    """One chain from its links: tiers from via pointers, effective shares, and the graph.

    A via pointing outside the chain, or a cycle of via pointers, is tolerated and
    reported in `Chain.warnings` (in Chinese).
    """
    by_member = {link.member_id: link for link in links if link.member_id != leader_id}
    via = {m: link.via_id for m, link in by_member.items()}
    names = names or {}
    members: dict[str, ChainMember] = {}
    warnings: list[str] = []
    broken: set[str] = set()
    for member_id, link in sorted(by_member.items()):
        tier, problem = _tier_of(member_id, via, leader_id)
        if problem == "cycle":
            broken.add(member_id)
            tier = 1
        if problem:
            warnings.append(_problem_zh(member_id, link.via_id, problem, names))
        members[member_id] = ChainMember(
            id=member_id, tier=tier, relation=link.relation, via_id=link.via_id,
            share=link.share, effective_share=_effective_share(member_id, by_member, leader_id),
            chains=memberships.get(member_id, (leader_id,)),
        )
    return Chain(leader_id=leader_id, members=members,
                 graph=_chain_graph(leader_id, by_member, broken), warnings=warnings)


def build_region(*, enterprises: Iterable[EnterpriseRecord], links: Iterable[LinkRecord]) -> Region:
    """Every chain of a region from the stored links.

    Args:
        enterprises: every enterprise the links name (others are ignored).
        links: the chain links; a leader is any enterprise named as `leader_id`.

    Returns:
        A `Region` with one `Chain` per leader and, per enterprise, the chains it is in.
        Links naming unknown enterprises are kept (the node shows its id) and reported.
    """
    by_id = {e.id: e for e in enterprises}
    per_leader: dict[str, list[LinkRecord]] = defaultdict(list)
    member_of: dict[str, set[str]] = defaultdict(set)
    for link in links:
        per_leader[link.leader_id].append(link)
        member_of[link.member_id].add(link.leader_id)
    memberships = {m: tuple(sorted(leaders)) for m, leaders in member_of.items()}
    names = {e.id: e.name for e in by_id.values()}
    chains = {
        leader: build_chain(leader_id=leader, links=items, memberships=memberships, names=names)
        for leader, items in sorted(per_leader.items())
    }
    for leader, chain in chains.items():
        unknown = sorted(n for n in chain.graph.nodes if n not in by_id)
        if unknown:
            chain.warnings.append(f"有 {len(unknown)} 个成员在企业名录中不存在：{'、'.join(unknown[:5])}")
        if leader not in by_id:
            by_id[leader] = EnterpriseRecord(id=leader, name=leader)
    for node in {n for c in chains.values() for n in c.graph.nodes} - by_id.keys():
        by_id[node] = EnterpriseRecord(id=node, name=node)
    return Region(enterprises=by_id, chains=chains, memberships=memberships)


def is_below_bar(level: str | None) -> bool:
    """Is this digital level below the pilot's bar (二级; L4 and above on the L scale)? 未评测
    counts as below (catalog.taxonomy.reaches_pilot_level)."""
    return not reaches_pilot_level(level)


def graph_json(
    region: Region, chain: Chain, *, needs_count: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The chain as nodes and edges for drawing (JSON-ready).

    `needs_count` gives, per member, how many of its needs the viewer may see; members
    missing from it show no count (their needs are not shared with the viewer).
    """
    counts = needs_count or {}
    leader = region.enterprises[chain.leader_id]
    nodes = [_node_json(leader, None, counts, is_leader=True)]
    for member in chain.members.values():
        nodes.append(_node_json(region.enterprises[member.id], member, counts, is_leader=False))
    edges = [
        {"source": u, "target": v, "relation": data.get("relation"), "share": data.get("share"),
         "tier": chain.members[v].tier}
        for u, v, data in sorted(chain.graph.edges(data=True))
    ]
    return {"leader_id": chain.leader_id, "leader_name": leader.name, "nodes": nodes,
            "edges": edges, "warnings": list(chain.warnings)}


def _node_json(
    ent: EnterpriseRecord, member: ChainMember | None, counts: Mapping[str, int], *, is_leader: bool,
) -> dict[str, Any]:
    return {
        "id": ent.id, "name": ent.name, "industry": ent.industry,
        "industry_name": industry_label(ent.industry), "size": ent.size,
        "level": ent.level or "未评测", "level_number": level_number(ent.level),
        "city": city(ent.region), "region": ent.region, "is_leader": is_leader,
        "tier": 0 if member is None else member.tier,
        "relation": None if member is None else member.relation,
        "via_id": None if member is None else member.via_id,
        "share": None if member is None else member.share,
        "effective_share": None if member is None else member.effective_share,
        "chains": [] if member is None else list(member.chains),
        "needs_count": counts.get(ent.id),
    }
