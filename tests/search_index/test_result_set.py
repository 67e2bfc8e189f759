"""One result set through the API: sort keeps it, facets count it, typos and 繁體 are
understood, a query with meaning never comes back empty, and the searcher's region decides
which providers can answer. The tests that only search share the API of their module; those
that sign in have their own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import meilisearch
import pytest
from fastapi.testclient import TestClient
from search_builders import add_provider, add_solution, sync
from sqlmodel import Session

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.users.service import create_user
from market.app import create_app
from market.settings import Settings
from search_index.client import index_uid
from search_index.server import LocalMeilisearch
from search_index.textual import snapshots

pytestmark = pytest.mark.meili


@contextmanager
def catalogue_api(session: Session, database_url: str, meili_server: LocalMeilisearch, meili: meilisearch.Client,
                  prefix: str, directory: Path) -> Iterator[TestClient]:
    """The API over a small catalogue: two providers, one serving only 新疆."""
    local = add_provider(session, service_regions=["江西省"])
    far = add_provider(session, region="新疆维吾尔自治区昌吉回族自治州", service_regions=["新疆维吾尔自治区"])
    for i, (billing, price) in enumerate([("年订阅", 3), ("一次性", 30), ("年订阅", 8), ("按量", 1)]):
        add_solution(session, local, name=f"质量追溯系统{i}", scenarios=["质量管控"], billing=billing,
                     price_wan=price, description="批次追溯、来料检验与不合格品处理")
    add_solution(session, far, name="质量追溯云", scenarios=["质量管控"], description="批次追溯与质量档案")
    add_solution(session, local, name="设备点检保养系统", scenarios=["设备管理运维"],
                 description="点检计划、保养提醒、停机预警")
    add_solution(session, local, name="网店营销助手", scenarios=["营销销售"], description="短视频引流与会员营销")
    add_solution(session, local, name="维修工单助手", scenarios=["设备管理运维"], description="报修派工与维修记录")
    plant = Enterprise(name="九江测试化工有限公司", uscc="91360400MA35TEST01", region="江西省九江市湖口县",
                       industry="C26", size="规下")
    session.add(plant)
    session.flush()
    create_user(session=session, actor="tester", username="plant", password="plant-password-1", role="enterprise",
                enterprise_id=plant.id)
    session.commit()
    sync(database_url, meili, prefix)
    settings = Settings(database_url=database_url, var_dir=directory / "var", secret_key="t" * 32,
                        meili_url=meili_server.url, meili_master_key=meili_server.key, meili_index_prefix=prefix)
    with TestClient(create_app(settings, migrate_db=False)) as client:
        # The API's first search learns the catalogue's text in the background and answers
        # meanwhile from the engine's hits, scored on the fly.
        first = client.get("/api/search", params={"q": "质量追溯"})
        assert first.status_code == 200 and first.json()["total"] > 0
        uid = index_uid(prefix, "solutions")
        while snapshots.peek(uid) is None:  # pytest-timeout bounds the wait
            time.sleep(0.02)
        yield client


@pytest.fixture(scope="module")
def api(module_database_url: str, meili_server: LocalMeilisearch, module_meili: meilisearch.Client,
        module_prefix: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One per module and backend, for the tests that search without signing in: they only read."""
    with Session(get_engine(module_database_url), expire_on_commit=False) as session, \
            catalogue_api(session, module_database_url, meili_server, module_meili, module_prefix,
                          tmp_path_factory.mktemp("api")) as client:
        yield client


@pytest.fixture
def signed_in_api(session: Session, database_url: str, meili_server: LocalMeilisearch, meili: meilisearch.Client,
                  prefix: str, tmp_path: Path) -> Iterator[TestClient]:
    """Its own per test, for the tests that sign in (a sign-in writes)."""
    with catalogue_api(session, database_url, meili_server, meili, prefix, tmp_path) as client:
        yield client


def _search(api: TestClient, **params: object) -> dict:  # type: ignore[type-arg]
    answer = api.get("/api/search", params={"per_page": 50, **params})
    assert answer.status_code == 200
    return answer.json()  # type: ignore[no-any-return]


def test_sorting_reorders_the_set_without_changing_it(api: TestClient) -> None:
    relevant = _search(api, q="质量追溯")
    cheap = _search(api, q="质量追溯", sort="price_asc")
    assert cheap["total"] == relevant["total"] >= 5
    assert {h["id"] for h in cheap["hits"]} == {h["id"] for h in relevant["hits"]}
    prices = [h["price_wan"] for h in cheap["hits"]]
    assert prices == sorted(prices)


def test_an_unknown_sort_is_refused_naming_the_choices_as_every_list_refuses_one(api: TestClient) -> None:
    refused = api.get("/api/search", params={"q": "质量追溯", "sort": "cheapest"})
    assert refused.status_code == 422 and refused.json()["code"] == "bad_sort"
    assert "不支持按“cheapest”排序，可选：price_asc" in refused.json()["message"]


def test_a_search_run_blocking_in_a_thread_answers_as_the_steps_on_the_event_loop_do(api: TestClient) -> None:
    """settings.search_in_thread (the path bench/search.py weighs the steps against) is the same search."""
    settings = api.app.state.settings  # type: ignore[attr-defined]
    for params in ({"q": "质量追溯", "facets": "true"}, {"q": "設備連網", "sort": "price_asc"}, {"q": ""}):
        on_loop = _search(api, **params)
        settings.search_in_thread = True
        try:
            in_thread = _search(api, **params)
        finally:
            settings.search_in_thread = False
        for key in ("hits", "total", "facets", "understood"):
            assert in_thread[key] == on_loop[key], (params, key)


def test_facet_counts_describe_the_whole_result_set(api: TestClient) -> None:
    body = _search(api, q="质量追溯", facets="true")
    assert sum(body["facets"]["billing"].values()) == body["total"]
    assert "*" not in body["facets"].get("industries", {})
    picked = _search(api, q="质量追溯", billing="年订阅")
    assert picked["total"] == body["facets"]["billing"]["年订阅"]


def test_a_homophone_typo_and_traditional_script_are_understood(api: TestClient) -> None:
    typed_right = _search(api, q="质量追溯")
    typo = _search(api, q="质量追述")
    assert typo["understood"]["corrections"] == [["追述", "追溯"]]
    assert typo["total"] == typed_right["total"] and "追溯" in typo["hits"][0]["name"]
    assert [h["id"] for h in _search(api, q="質量追溯")["hits"]] == [h["id"] for h in typed_right["hits"]]


def test_a_concept_finds_listings_in_other_words(api: TestClient) -> None:
    body = _search(api, q="想做直播带货")  # 直播带货 ≡ 网店 (one synonym group)
    assert body["hits"][0]["name"] == "网店营销助手" and body["understood"]["concepts"] == ["电商"]


def test_a_query_with_meaning_is_never_answered_with_nothing(api: TestClient) -> None:
    body = _search(api, q="业务员跑单全靠微信")  # no listing shares a word with it
    assert body["total"] > 0 and body["understood"]["relaxed"] == "scenario"
    assert body["hits"][0]["name"] == "网店营销助手"


def test_the_region_leaves_out_providers_that_do_not_serve_it(api: TestClient) -> None:
    names = {h["name"] for h in _search(api, q="质量追溯", location="江西省九江市濂溪区")["hits"]}
    assert "质量追溯云" not in names and {f"质量追溯系统{i}" for i in range(4)} <= names
    far = {h["name"] for h in _search(api, q="质量追溯", location="新疆昌吉市")["hits"]}
    assert far == {"质量追溯云"}


def test_the_provider_list_finds_providers_by_what_they_offer(api: TestClient) -> None:
    html = api.get("/providers", params={"q": "停机预警 保养"}, headers={"Accept": "text/html"}).text
    assert 'id="result-total">1<' in html and "按其产品" in html  # only the local provider offers it
    both = api.get("/providers", params={"q": "批次追溯"}, headers={"Accept": "text/html"}).text
    assert 'id="result-total">2<' in both
    named = api.get("/providers", params={"q": "测试服务商"}, headers={"Accept": "text/html"}).text
    assert 'id="result-total">2<' in named  # names hold it, though no listing does


def test_the_provider_api_lists_the_providers_the_page_lists_for_a_text(api: TestClient) -> None:
    """One ranking under both doors (market.search.ranking): names first, then by what they offer."""
    import re

    for q in ("停机预警 保养", "批次追溯", "测试服务商"):
        html = api.get("/providers", params={"q": q}, headers={"Accept": "text/html"}).text
        on_page = list(dict.fromkeys(int(i) for i in re.findall(r'href="/providers/(\d+)"', html)))
        listed = api.get("/api/providers", params={"q": q}).json()
        assert [p["id"] for p in listed["data"]] == on_page and listed["count"] == len(on_page), q


def test_a_short_result_set_is_followed_by_its_scenarios_other_listings(api: TestClient) -> None:
    body = _search(api, q="停机预警", facets="true")
    names = [h["name"] for h in body["hits"]]
    assert names[0] == "设备点检保养系统" and names[-1] == "维修工单助手"  # no word of the query, its scenario
    assert body["understood"]["relaxed"] == "widened"
    assert sum(body["facets"]["billing"].values()) == body["total"] == len(names)


def test_a_signed_in_enterprise_searches_and_gets_suggestions_for_its_region(signed_in_api: TestClient) -> None:
    token = signed_in_api.post("/api/auth/token", json={"username": "plant", "password": "plant-password-1"})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    found = signed_in_api.get("/api/search", params={"q": "质量追溯", "per_page": 50}, headers=headers)
    assert found.status_code == 200
    assert "质量追溯云" not in {h["name"] for h in found.json()["hits"]}  # its provider serves 新疆 only
    suggested = signed_in_api.get("/api/search/suggest", params={"q": "质量"}, headers=headers)
    assert suggested.status_code == 200
    texts = [s["text"] for s in suggested.json()["suggestions"]]
    assert texts and "质量追溯云" not in texts



def test_a_signed_in_enterprise_may_ask_for_providers_from_elsewhere_and_sees_them_marked(signed_in_api: TestClient) -> None:
    token = signed_in_api.post("/api/auth/token", json={"username": "plant", "password": "plant-password-1"})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}", "Accept": "text/html"}
    local = signed_in_api.get("/search", params={"q": "质量追溯"}, headers=headers).text
    assert "</mark>云" not in local and "也看外地服务商的方案" in local  # 质量追溯云 (highlighted) serves 新疆
    wider = signed_in_api.get("/search", params={"q": "质量追溯", "outside": "1"}, headers=headers).text
    assert "</mark>云" in wider and wider.count("外地服务商</span>") == 1 and "只看服务本地区的" in wider


def test_an_enterprise_gets_the_same_region_scope_from_the_api_and_the_page(signed_in_api: TestClient) -> None:
    token = signed_in_api.post("/api/auth/token", json={"username": "plant", "password": "plant-password-1"})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    totals = {}
    for outside in ("0", "1"):
        api = signed_in_api.get("/api/search", params={"q": "质量追溯", "outside": outside}, headers=headers)
        page = signed_in_api.get("/search", params={"q": "质量追溯", "outside": outside},
                                 headers={**headers, "Accept": "text/html"}).text
        totals[outside] = api.json()["total"]
        assert f'id="result-total">{totals[outside]}<' in page
    assert totals["1"] == totals["0"] + 1  # 质量追溯云 serves 新疆 only
