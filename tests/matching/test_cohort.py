"""A cohort over the dev set: shortlists kept, capacity respected, gaps grouped, progress told."""

from __future__ import annotations

from dataclasses import replace

from match_builders import DEV_DATA

from matching.cohort import gap_report, match_cohort
from matching.records import load_catalogue, load_enterprises
from matching.scoring import MatchContext


def test_dev_cohort_respects_capacity_and_keeps_alternatives() -> None:
    cat = load_catalogue(DEV_DATA / "catalog.json")
    providers = {pid: replace(p, capacity=3) for pid, p in cat.providers.items()}
    ctx = MatchContext(cat.solutions, providers)
    enterprises, needs = load_enterprises(DEV_DATA / "enterprises.json")
    calls: list[tuple[int, int]] = []
    result = match_cohort(enterprises=enterprises, needs=needs, ctx=ctx, k=5,
                          progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(needs), len(needs)) and len(calls) == len(needs)
    for provider, ents in result.allocation.provider_enterprises.items():
        assert len(ents) <= 3, provider
    assert all(len(result.shortlists[n.id]) == 5 for n in needs)
    assigned = [o for o in result.allocation.assigned.values() if o]
    assert 0 < len(assigned) < len(needs)  # 25 providers × 3 < 90 enterprises


def test_gap_report_groups_needs_without_a_good_offering() -> None:
    cat = load_catalogue(DEV_DATA / "catalog.json")
    ctx = MatchContext(cat.solutions, cat.providers)
    enterprises, needs = load_enterprises(DEV_DATA / "enterprises.json")
    result = match_cohort(enterprises=enterprises, needs=needs[:40], ctx=ctx)
    gaps = gap_report(needs[:40], {e.id: e for e in enterprises}, result.shortlists, 0.99, ctx)
    assert sum(len(g.need_ids) for g in gaps) == 40
    assert all(g.scenario and g.industry and g.examples for g in gaps)
    sizes = [len(g.need_ids) for g in gaps]
    assert sizes == sorted(sizes, reverse=True)
    assert gap_report(needs[:40], {}, result.shortlists, 0.0, ctx) == []


def test_an_empty_catalogue_leaves_every_need_a_gap() -> None:
    from matching.records import EnterpriseRecord, NeedRecord

    ctx = MatchContext([], {})
    need = NeedRecord(id="n1", enterprise_id="e1", text="车间设备老是突然停机")
    result = match_cohort(enterprises=[EnterpriseRecord(id="e1", industry="C343")], needs=[need],
                          ctx=ctx)
    assert result.allocation.assigned == {"n1": None}
    assert [(g.scenario, g.need_ids) for g in result.gaps] == [("设备管理运维", ["n1"])]
