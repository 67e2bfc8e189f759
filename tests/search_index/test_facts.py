"""The search filters, counts and sorts a result set in the process (`search_index.facts`):
it must agree with Meilisearch on the same documents, and follow writes made to the index
by another process (edits, new listings, deletions) within a probe."""

from __future__ import annotations

import random
import time
from typing import Any

import meilisearch
import pytest
from search_builders import add_provider, add_solution, names, sync
from sqlmodel import Session

from catalog.providers.models import ListingStatus, Provider
from catalog.solutions.models import Solution
from search_index.client import index_uid, run, search, wait_or_raise
from search_index.documents import solution_document
from search_index.facts import Filter, admits, count_facets, render, sort_key
from search_index.query import SearchRequest, build_filter, search_solutions
from search_index.settings import SOLUTION_FACETS, SORTS
from search_index.textual import FIELDS, PROBE_S, probe, snapshots

pytestmark = pytest.mark.meili

SCENARIOS = ["质量管控", "设备管理运维", "能源管理", "营销销售"]


def _catalogue(session: Session) -> None:
    rng = random.Random(3)
    providers = [
        add_provider(session, service_regions=["江西省"]),
        add_provider(session, region="新疆维吾尔自治区昌吉回族自治州", service_regions=["新疆维吾尔自治区"]),
        add_provider(session, region="河南省新乡市红旗区", service_regions=[]),
        add_provider(session, region="江西省赣州市兴国县", status=ListingStatus.PENDING),
    ]
    for i in range(40):
        add_solution(session, rng.choice(providers), name=f"质量追溯与设备点检{i}",
                     scenarios=rng.sample(SCENARIOS, rng.randint(1, 2)),
                     industries=rng.choice([["通用"], ["C26"], ["C17", "C26"]]),
                     billing=rng.choice(["年订阅", "一次性", "按量"]), deployment=rng.choice(["SaaS", "私有化"]),
                     price_wan=rng.choice([0.5, 3.0, 8.0, 30.0, 80.0]), deploy_days=rng.randint(3, 90),
                     size_fit=rng.choice(["规下", "规上", "均可"]), excellent=rng.random() < 0.3,
                     status=rng.choice([ListingStatus.PUBLISHED] * 4 + [ListingStatus.PENDING]))


def _filters(rng: random.Random, provider_ids: list[int]) -> list[Filter]:
    out = [build_filter({}, public_only=True), build_filter({}, public_only=False),
           build_filter({}, public_only=True, region="江西省九江市濂溪区"),
           build_filter({}, public_only=True, regions=("江西省赣州",)),
           build_filter({}, public_only=True, own_provider_id=provider_ids[-1], region="新疆维吾尔自治区")]
    values = {"scenarios": SCENARIOS, "industries": ["C26", "C17", "通用"], "billing": ["年订阅", "按量"],
              "deployment": ["SaaS"], "price_band": ["1–5万元", "50万元以上"], "size_fit": ["规下", "均可"],
              "excellent": ["true"], "region": ["江西省九江市濂溪区"]}
    for _ in range(25):
        picked = {f: rng.sample(v, rng.randint(1, min(2, len(v)))) for f, v in rng.sample(sorted(values.items()), 2)}
        out.append(build_filter(picked, public_only=rng.random() < 0.7, region=rng.choice([None, "江西省", "新疆"])))
    return out


def test_filters_counts_and_sorts_agree_with_meilisearch(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    _catalogue(session)
    session.commit()
    sync(database_url, meili, prefix)
    uid = index_uid(prefix, "solutions")
    snapshots.forget(uid)
    snap = run(meili, snapshots.get(uid))
    docs = meili.index(uid).get_documents({"limit": 1000, "fields": FIELDS}).results
    full = {d.id: dict(d) for d in docs}
    provider_ids = sorted({d["provider_id"] for d in full.values()})
    for flt in _filters(random.Random(5), provider_ids):
        answer = search(meili, uid, {"q": "", "filter": render(flt), "limit": 1000, "attributesToRetrieve": ["id"],
                                     "facets": list(SOLUTION_FACETS)})
        engine = {h["id"] for h in answer["hits"]}
        ours = {snap.ids[p] for p in snap.facts.mask(flt).nonzero()[0].tolist()}
        assert ours == engine, render(flt)
        assert {i for i, d in full.items() if admits(d, flt)} == engine, render(flt)
        counted = count_facets(snap.facts.row(snap.position[i]) for i in engine)
        assert counted == {f: v for f, v in answer["facetDistribution"].items() if v}, render(flt)
    for sort, spec in SORTS.items():
        answer = search(meili, uid, {"q": "", "sort": [spec], "limit": 1000, "attributesToRetrieve": ["id"]})
        engine_keys = [sort_key(full[h["id"]], sort) for h in answer["hits"]]
        assert engine_keys == sorted(sort_key(snap.facts.row(p), sort) for p in range(snap.facts.size)), sort


def _write_directly(meili: meilisearch.Client, uid: str, session: Session, solution: Solution) -> None:
    """Write a document to the index as another process's index worker would (this
    process's snapshot is not told)."""
    provider = session.get(Provider, solution.provider_id)
    assert provider is not None
    wait_or_raise(meili, meili.index(uid).add_documents([solution_document(solution, provider)]))



def _eventually(check: Any, polls: int = 100) -> None:
    """Poll `check` a bounded number of times (a few probes' worth), then require it."""
    for _ in range(polls):
        if check():
            return
        time.sleep(PROBE_S / 5)
    assert check()


def test_a_search_follows_writes_of_another_process_within_a_probe(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session, service_regions=["江西省"])
    kept = add_solution(session, provider, name="来料检验质量追溯", scenarios=["质量管控"])
    gone = add_solution(session, provider, name="批次质量追溯看板", scenarios=["质量管控"])
    session.commit()
    sync(database_url, meili, prefix)
    uid = index_uid(prefix, "solutions")
    snapshots.forget(uid)
    assert set(names(meili, prefix, "质量追溯")) == {"来料检验质量追溯", "批次质量追溯看板"}

    kept.name = "来料检验质量追溯二期"
    fresh = add_solution(session, provider, name="能耗监测质量追溯一体机", scenarios=["能源管理"])
    session.commit()
    _write_directly(meili, uid, session, kept)
    _write_directly(meili, uid, session, fresh)
    wait_or_raise(meili, meili.index(uid).delete_document(gone.id or 0))
    want = {"来料检验质量追溯二期", "能耗监测质量追溯一体机"}
    _eventually(lambda: set(names(meili, prefix, "质量追溯")) == want)
    result = search_solutions(client=meili, prefix=prefix, request=SearchRequest(q="质量追溯", sort="price_asc"))
    assert result.total == 2 and sum(result.facets["scenarios"].values()) == 2


def test_an_edit_right_after_a_full_reindex_of_a_large_catalogue_shows_within_a_probe(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    from search_index.sync import reindex
    from search_index.textual import MAX_CHANGES

    provider = add_provider(session, service_regions=["江西省"])
    rows = [Solution(code=f"R-{i:04d}", name=f"设备点检系统{i}", provider_id=provider.id or 0, industries=["通用"],
                     scenarios=["设备管理运维"], description="点检计划与保养提醒", deployment="SaaS", price_wan=1.0,
                     billing="年订阅", deploy_days=7, keywords=[], status=ListingStatus.PUBLISHED)
            for i in range(MAX_CHANGES + 20)]  # more documents written just now than a probe folds in
    session.add_all(rows)
    session.commit()
    reindex(database_url=database_url, client=meili, prefix=prefix)
    uid = index_uid(prefix, "solutions")
    snapshots.forget(uid)
    snap = run(meili, snapshots.get(uid))  # learnt right after the rebuild
    edited = rows[7]
    edited.name = "设备点检系统七号改名"
    session.add(edited)
    session.commit()
    _write_directly(meili, uid, session, edited)
    assert run(meili, probe(uid, snap)) == "folded"  # the edit is folded in, not lost among the rebuilt documents
    assert [d["name"] for d in snap.changes.docs] == ["设备点检系统七号改名"] and edited.id in snap.changes.gone
    assert "设备点检系统七号改名" in names(meili, prefix, "七号改名")
