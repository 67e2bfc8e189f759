"""For an enterprise, an offering whose provider does not serve its region does not exist:
not in recommendations, cohort allocations or chain proposals; a need only such offerings
would meet is a gap of its own kind; asked for explicitly, they come marked."""

from __future__ import annotations

from matching.chains.graph import LinkRecord, build_region
from matching.chains.proposal import propose_chain
from matching.cohort import NO_LOCAL_PROVIDER, NO_OFFERING, match_cohort
from matching.records import EnterpriseRecord, NeedRecord, ProviderRecord, SolutionRecord
from matching.scoring import MatchContext, rank

JIUJIANG = "江西省九江市濂溪区"
PROVIDERS = {
    "near": ProviderRecord(id="near", name="九江服务商", region="江西省九江市", service_regions=("江西省",)),
    "far": ProviderRecord(id="far", name="新疆服务商", region="新疆维吾尔自治区昌吉回族自治州",
                          service_regions=("新疆维吾尔自治区",)),
    "all": ProviderRecord(id="all", name="全国服务商", region="北京市"),
}


def _offering(code: str, provider: str, name: str, scenario: str, description: str) -> SolutionRecord:
    return SolutionRecord(id=code, name=name, provider_id=provider, industries=("通用",), scenarios=(scenario,),
                          description=description, price_wan=5.0)


SOLUTIONS = [
    _offering("S1", "far", "设备联网数据采集网关", "设备管理运维", "设备联网、数据采集、停机分析"),
    _offering("S2", "near", "设备点检保养系统", "设备管理运维", "点检计划、保养提醒、设备联网看板"),
    _offering("S3", "all", "设备联网上云套件", "设备管理运维", "设备联网、数据采集上云"),
    _offering("S4", "far", "电解槽槽电压监控系统", "生产过程管控", "电解槽槽电压在线监控与效应预警"),
    _offering("S5", "far", "供应链协同平台", "供应链协同", "链主与供应商订单协同、送货单、对账"),
]


def _ctx() -> MatchContext:
    return MatchContext(SOLUTIONS, PROVIDERS)


def _plant(eid: str = "E1", region: str = JIUJIANG) -> EnterpriseRecord:
    return EnterpriseRecord(id=eid, name=f"{eid}厂", region=region, industry="C26", size="规下", level="一级")


def test_recommendations_leave_out_providers_that_do_not_serve_the_region_unless_asked() -> None:
    ctx = _ctx()
    need = NeedRecord(id="N1", enterprise_id="E1", text="设备联网 数据采集")
    found = rank(need, _plant(), ctx, k=5)
    assert {m.solution_id for m in found} <= {"S2", "S3"} and found
    reasons = {c.reason_zh for m in found for c in m.components if c.name == "region"}
    assert reasons == {"服务商覆盖江西省", "服务商面向全国服务"}
    everywhere = rank(need, _plant(), ctx, k=5, outside=True)
    far = [m for m in everywhere if m.solution_id == "S1"]
    assert far and next(c for c in far[0].components if c.name == "region").value == 0
    assert rank(need, _plant(region="新疆维吾尔自治区昌吉回族自治州昌吉市"), ctx, k=5)[0].solution_id in {"S1", "S3"}


def test_a_cohort_never_allocates_outside_the_region_and_names_the_gap() -> None:
    ctx = _ctx()
    plants = [_plant(f"E{i}") for i in range(4)]
    needs = [NeedRecord(id=f"N{i}", enterprise_id=f"E{i}", text="设备联网 数据采集") for i in range(3)]
    needs.append(NeedRecord(id="N3", enterprise_id="E3", text="电解槽槽电压监控"))
    result = match_cohort(enterprises=plants, needs=needs, ctx=ctx)
    chosen = {n: o.solution_id for n, o in result.allocation.assigned.items() if o is not None}
    assert chosen and not {"S1", "S4", "S5"} & set(chosen.values())
    assert all(m.solution_id not in {"S1", "S4", "S5"} for ms in result.shortlists.values() for m in ms)
    gap = next(g for g in result.gaps if "N3" in g.need_ids)
    assert gap.reason_zh == NO_LOCAL_PROVIDER  # a 新疆 provider has it: the gap is local
    nowhere = match_cohort(enterprises=plants[:1], needs=[NeedRecord(id="N9", enterprise_id="E0",
                                                                      text="船舶焊接机器人离线编程")], ctx=ctx)
    assert [g.reason_zh for g in nowhere.gaps] == [NO_OFFERING]


def test_a_chain_proposal_places_only_offerings_whose_provider_serves_the_member() -> None:
    members = [_plant("L"), _plant("A"), _plant("B", region="新疆维吾尔自治区昌吉回族自治州昌吉市")]
    region = build_region(enterprises=members, links=[LinkRecord("L", "A", "供应商", share=0.5),
                                                      LinkRecord("L", "B", "供应商", share=0.3)])
    needs = {"A": [NeedRecord(id="A/1", enterprise_id="A", text="设备联网 数据采集", scenario="设备管理运维")],
             "B": [NeedRecord(id="B/1", enterprise_id="B", text="设备联网 数据采集", scenario="设备管理运维")]}
    scores = {(n.id, s.id): 0.9 for ns in needs.values() for n in ns for s in SOLUTIONS}
    proposal = propose_chain(region, region.chains["L"], needs=needs, solutions=SOLUTIONS, scores=scores,
                             budget_wan=100, providers=PROVIDERS)
    placed = {p.id: {o.solution_id for o in p.offerings} for p in proposal.members}
    assert placed["A"] and not placed["A"] & {"S1", "S4", "S5"}  # 九江: no 新疆-only product, collaboration included
    assert placed["B"] and not placed["B"] & {"S2"}  # 昌吉: the 江西-only one never
