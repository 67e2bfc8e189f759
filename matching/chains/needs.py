"""Members' shared needs (the "N+X" of the plans) and the leader's systems members must join.

Pure: needs come in already filtered to what the viewer may see (see
`matching.chains.analysis.visible_needs`). Needs are grouped by scenario (a blank scenario is
inferred from the text with the lexicon, or from the most similar labelled need of
the chain), and inside a scenario by text similarity (rapidfuzz on normalised text).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from catalog.language.text import normalize
from matching.chains.graph import CUSTOMER, OUTSOURCING, SUPPLIER, Chain, Region
from matching.records import NeedRecord, SolutionRecord

UNKNOWN = "未分类"
SIMILAR = 50  # fuzz.ratio on normalised text at which two needs say the same thing
COMMON_SHARE = 0.15  # a scenario is a common need when this share of members (≥ 2) raise it
INFER_MIN = 0.4  # lexicon share a scenario needs to be taken for a blank one
MAX_TOPICS = 8

Infer = Callable[[str], list[tuple[str, float]]]


@dataclass
class NeedTopic:
    """Needs of one scenario that say nearly the same thing."""

    label: str  # the representative need text
    member_count: int
    need_ids: list[str]


@dataclass
class NeedCluster:
    """The needs of one scenario across the chain's members."""

    scenario: str
    member_count: int
    member_ids: list[str]
    need_ids: list[str]
    inferred: int  # needs whose scenario was blank and inferred
    weight: float  # sum of priority weights
    cues: list[str]
    topics: list[NeedTopic]
    explanation_zh: str = ""


@dataclass
class SharedNeeds:
    """N common needs (scenarios many members raise) and X specific ones."""

    members_with_needs: int
    members_hidden: int  # members whose needs the viewer may not see
    threshold: int  # members a scenario needs to count as common
    common: list[NeedCluster]
    specific: list[NeedCluster]
    scenario_of: dict[str, str] = field(default_factory=dict)  # need id → scenario used
    explanation_zh: str = ""


def _default_infer() -> Infer | None:
    try:
        from catalog.language.lexicon import infer_scenarios
    except ImportError:  # the lexicon is optional
        return None
    return infer_scenarios


def _cues() -> Callable[[str], list[str]]:
    try:
        from catalog.language.lexicon import scenario_cues
    except ImportError:
        return lambda _text: []
    return scenario_cues


def assign_scenarios(needs: Sequence[NeedRecord], *, infer: Infer | None) -> tuple[dict[str, str], set[str]]:
    """Scenario per need id: given, else inferred by the lexicon, else by the nearest labelled need.

    Returns:
        (need id → scenario, the ids whose scenario was inferred). Needs nothing can
        place get 未分类.
    """
    chosen: dict[str, str] = {}
    inferred: set[str] = set()
    blank = []
    for need in needs:
        if need.scenario:
            chosen[need.id] = need.scenario
            continue
        guesses = infer(need.text) if infer else []
        if guesses and guesses[0][1] >= INFER_MIN:
            chosen[need.id] = guesses[0][0]
            inferred.add(need.id)
        else:
            blank.append(need)
    labelled = {n.id: normalize(n.text) for n in needs if n.scenario}
    for need in blank:
        best = process.extractOne(normalize(need.text), labelled, scorer=fuzz.ratio,
                                  score_cutoff=SIMILAR) if labelled else None
        chosen[need.id] = chosen[best[2]] if best else UNKNOWN
        if best:
            inferred.add(need.id)
    return chosen, inferred


def _topics(group: Sequence[NeedRecord]) -> list[NeedTopic]:
    """Leader clustering: each need joins the most similar topic (≥ SIMILAR) or starts one."""
    ordered = sorted(group, key=lambda n: (-n.priority_weight, n.id))
    texts = [normalize(n.text) for n in ordered]
    matrix = process.cdist(texts, texts, scorer=fuzz.ratio, dtype=np.uint8, workers=1)
    reps: list[int] = []
    members: list[list[int]] = []
    for i in range(len(ordered)):
        if reps:
            scores = matrix[i, reps]
            best = int(scores.argmax())
            if scores[best] >= SIMILAR:
                members[best].append(i)
                continue
        reps.append(i)
        members.append([i])
    topics = [
        NeedTopic(label=ordered[rep].text,
                  member_count=len({ordered[j].enterprise_id for j in idx}),
                  need_ids=[ordered[j].id for j in idx])
        for rep, idx in zip(reps, members, strict=True)
    ]
    topics.sort(key=lambda t: (-t.member_count, -len(t.need_ids), t.label))
    return topics[:MAX_TOPICS]


def _cluster(scenario: str, group: Sequence[NeedRecord], inferred: set[str],
             cue_of: Callable[[str], list[str]]) -> NeedCluster:
    owners = sorted({n.enterprise_id for n in group})
    cues = Counter(c for n in group for c in dict.fromkeys(cue_of(n.text)))  # each once, in the order said
    cluster = NeedCluster(
        scenario=scenario, member_count=len(owners), member_ids=owners,
        need_ids=[n.id for n in group], inferred=sum(1 for n in group if n.id in inferred),
        weight=round(sum(n.priority_weight for n in group), 2),
        cues=[c for c, _ in cues.most_common(5)], topics=_topics(group),
    )
    said = "、".join(cluster.cues[:3])
    cluster.explanation_zh = (f"{scenario}：{cluster.member_count} 家成员提出 {len(group)} 条需求"
                              + (f"，常见说法有{said}" if said else "")
                              + (f"（其中 {cluster.inferred} 条场景由系统按描述推断）" if cluster.inferred else ""))
    return cluster


def shared_needs(
    region: Region, chain: Chain, *, needs: Mapping[str, Sequence[NeedRecord]],
    infer: Infer | None = None, common_share: float = COMMON_SHARE,
) -> SharedNeeds:
    """Members' needs clustered by scenario and text: N common needs plus X specific ones.

    Args:
        needs: member id → the needs the viewer may see (the leader's are not included).
        infer: scenario inference for blank scenarios; defaults to `catalog.language.lexicon`.
        common_share: a scenario raised by at least this share of the members with
            visible needs (and at least 2) is a common need.

    Returns:
        `SharedNeeds`, common clusters first by members covered, with explanations.
    """
    flat = [n for m in chain.members for n in needs.get(m, ())]
    infer = infer if infer is not None else _default_infer()
    scenario_of, inferred = assign_scenarios(flat, infer=infer)
    groups: dict[str, list[NeedRecord]] = defaultdict(list)
    for need in flat:
        groups[scenario_of[need.id]].append(need)
    cue_of = _cues()
    clusters = [_cluster(s, g, inferred, cue_of) for s, g in groups.items()]
    clusters.sort(key=lambda c: (-c.member_count, -c.weight, c.scenario))
    with_needs = len({n.enterprise_id for n in flat})
    threshold = max(2, math.ceil(with_needs * common_share))
    common = [c for c in clusters if c.member_count >= threshold and c.scenario != UNKNOWN]
    specific = [c for c in clusters if c not in common]
    result = SharedNeeds(
        members_with_needs=with_needs, members_hidden=len(chain.members) - with_needs,
        threshold=threshold, common=common, specific=specific, scenario_of=scenario_of,
    )
    result.explanation_zh = _shared_text(result, len(flat))
    return result


def _shared_text(s: SharedNeeds, total: int) -> str:
    if not s.members_with_needs:
        return "链上成员尚未向链主开放需求，暂无法汇总共性需求。"
    top = "、".join(f"{c.scenario}（{c.member_count} 家）" for c in s.common[:5])
    x_needs = sum(len(c.need_ids) for c in s.specific)
    text = (f"{s.members_with_needs} 家成员共提出 {total} 条需求，归纳为 {len(s.common)} 类共性需求"
            f"（至少 {s.threshold} 家提出）" + (f"：{top}" if top else "")
            + f"；另有 {x_needs} 条个性需求。")
    if s.members_hidden:
        text += f"{s.members_hidden} 家成员未开放需求或尚未填报，未计入。"
    return text


CHAIN_SCENARIOS = frozenset({"供应链协同", "采购供应", "仓储物流", "营销销售"})
_CHAIN_CUES = ("链主", "供应商", "配套", "上下游", "上游", "下游", "协同", "打通", "接入", "带动", "客户")
_SUPPLY_CUES = ("供应商", "配套", "物料", "交付", "发货", "采购", "原料", "上游", "铜材", "辅料")
_CUSTOMER_CUES = ("客户", "下游", "要货", "订单", "销售", "售后", "经销")
_DATA_ITEMS = ("订单", "要货预测", "预测", "发货", "交付", "库存", "图纸", "质量数据", "质量",
               "检测报告", "物料", "对账", "结算", "计划", "运维数据", "产能")
_ACRONYMS = re.compile(r"\b(SRM|EDI|ERP|MES|WMS|TMS|CRM|PLM|QMS|SCM|VMI)\b", re.IGNORECASE)
_SYSTEM = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{1,14}?)(平台|系统|门户)")
_LEAD_IN = re.compile(r"^.*(?:一个|一套|搭建|建设|接入|打通|搭|建|上|做|要|想|进|的)")


@dataclass
class LeaderSystem:
    """A system of the leader that members must connect to."""

    name: str
    source: str  # 链主需求 N1 / 在用方案 D-012
    scenario: str
    connects: list[str]  # relations that connect: 供应商 / 客户 / 外协
    member_count: int
    data_items: list[str]
    explanation_zh: str


def _system_name(text: str, scenario: str) -> str:
    acronym = _ACRONYMS.search(text)
    for match in _SYSTEM.finditer(text):
        stem = _LEAD_IN.sub("", match.group(1))
        if len(stem) >= 2:
            return stem + match.group(2)
    if acronym:
        return acronym.group(1).upper() + "系统"
    return f"{scenario}平台" if scenario else "链主协同平台"


def _connects(text: str, scenario: str) -> list[str]:
    supply = any(c in text for c in _SUPPLY_CUES) or scenario == "采购供应"
    customer = any(c in text for c in _CUSTOMER_CUES) or scenario == "营销销售"
    if supply == customer:
        return [SUPPLIER, CUSTOMER, OUTSOURCING]
    return [SUPPLIER, OUTSOURCING] if supply else [CUSTOMER]


def _data_items(text: str) -> list[str]:
    found = [item for item in _DATA_ITEMS if item in text]
    return [item for item in found if not any(item != o and item in o for o in found)]


def _system(chain: Chain, name: str, source: str, scenario: str, text: str) -> LeaderSystem:
    connects = _connects(text, scenario)
    count = sum(1 for m in chain.members.values() if m.relation in connects)
    items = _data_items(text)
    who = "、".join(connects)
    data = f"，交换{'、'.join(items)}等数据" if items else ""
    return LeaderSystem(
        name=name, source=source, scenario=scenario, connects=connects, member_count=count,
        data_items=items,
        explanation_zh=f"{name}（来自{source}）：链上 {count} 家{who}需要接入{data}。",
    )


def leader_systems(
    region: Region, chain: Chain, *, leader_needs: Sequence[NeedRecord],
    solutions_in_use: Sequence[SolutionRecord] = (),
) -> list[LeaderSystem]:
    """The leader's systems its members must connect to (an SRM portal, an order platform …).

    Read from the leader's own needs and the offerings it already runs: an item counts
    when its scenario faces the chain (供应链协同, 采购供应, 仓储物流, 营销销售) or its
    text speaks of suppliers, customers or 协同. The system's name is taken from the
    text (…平台 / …系统 / …门户, or SRM, EDI …); who connects (suppliers, customers)
    and the data exchanged are read from the text too.
    """
    found: list[LeaderSystem] = []
    for sol in solutions_in_use:
        text = normalize(" ".join((sol.name, sol.description, *sol.keywords)))
        scenario = next((s for s in sol.scenarios if s in CHAIN_SCENARIOS), "")
        if scenario or any(c in text for c in ("供应商", "协同", "上下游")):
            found.append(_system(chain, sol.name, f"在用方案 {sol.id}", scenario or "供应链协同",
                                 sol.name + sol.description))
    for need in leader_needs:
        text = need.text
        scenario = need.scenario or ""
        facing = scenario in CHAIN_SCENARIOS or sum(c in text for c in _CHAIN_CUES) >= 2
        if facing:
            found.append(_system(chain, _system_name(text, scenario or "供应链协同"),
                                 f"链主需求 {need.id.split('/')[-1]}", scenario or "供应链协同", text))
    unique: dict[str, LeaderSystem] = {}
    for system in found:
        unique.setdefault(system.name, system)
    return list(unique.values())
