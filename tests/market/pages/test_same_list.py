"""The API and the browse pages list through one query: the same filter gives the same rows, in
the same order, over real HTTP on the app. The region filter means "the provider is located
there or serves it" (catalog.regions.located_or_served) on both."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from web_builders import JIUJIANG, XINXIANG, World, provider, solution

from catalog.db import get_engine
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution


@pytest.fixture
def listed(database_url: str, world: World) -> dict[str, int]:
    """Beside the test pilot: a Shanghai provider serving 江西 only, a Wuhan one serving the
    whole country, and solutions that differ by industry, price, deployment and excellence."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        serving = provider(session, "上海数研工业软件有限公司", "上海市松江区", service_regions=["江西省"])
        nationwide = provider(session, "武汉全域智能科技有限公司", "湖北省武汉市洪山区")
        local = provider(session, "九江本地软件有限公司", f"{JIUJIANG}浔阳区", service_regions=[JIUJIANG])
        ids = {
            "serving": solution(session, serving.id, "SH-001", "排产优化云", industries=["C261"],
                                scenarios=["生产计划排程"], price_wan=20.0, deployment="私有化").id,
            "nationwide": solution(session, nationwide.id, "WH-001", "能耗看板", industries=["C30"],
                                   scenarios=["能源能耗管理"], price_wan=3.5).id,
            "local": solution(session, local.id, "JJ-201", "设备台账小程序", industries=["C26"],
                              price_wan=1.0, deploy_days=7).id,
        }
        solution_service.set_solution_excellent(session=session, solution=session.get(Solution, ids["nationwide"]),
                                                excellent=True, actor="test")
        session.commit()
    return ids


FILTERS = [
    {},
    {"region": "江西省"},
    {"region": JIUJIANG},
    {"region": "江西"},
    {"region": XINXIANG},
    {"region": "上海市"},
    {"region": "广东省广州市"},
    {"industry": "C26"},
    {"industry": "C261"},
    {"industry": "C30"},
    {"scenario": "设备管理运维"},
    {"deployment": "SaaS"},
    {"price_min": "5"},
    {"price_max": "8"},
    {"price_min": "2", "price_max": "10", "region": JIUJIANG},
    {"sort": "price"},
    {"sort": "-price"},
    {"sort": "days"},
    {"sort": "new"},
    {"region": "江西省", "industry": "C26", "sort": "-price"},
]
API_NAMES = {"price_min": "min_price", "price_max": "max_price"}


def _api_ids(client: TestClient, chosen: dict[str, str]) -> list[int]:
    params = {API_NAMES.get(k, k): v for k, v in chosen.items()} | {"per_page": "100"}
    response = client.get("/api/solutions", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["data"])
    return [row["id"] for row in body["data"]]


def _page_ids(client: TestClient, chosen: dict[str, str]) -> list[int]:
    response = client.get("/solutions", params=chosen)
    assert response.status_code == 200, response.text
    return [int(i) for i in re.findall(r'<h3><a href="/solutions/(\d+)">', response.text)]


@pytest.mark.parametrize("chosen", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_api_and_page_list_the_same_solutions(page_client: TestClient, listed: dict[str, int],
                                              chosen: dict[str, str]) -> None:
    assert _api_ids(page_client, chosen) == _page_ids(page_client, chosen)


def test_a_region_holds_the_providers_located_there_and_those_serving_it(
        page_client: TestClient, listed: dict[str, int]) -> None:
    def ids(region: str) -> set[int]:
        return set(_api_ids(page_client, {"region": region})) & set(listed.values())

    # 江西: the Shanghai provider serves it, the Wuhan one serves everywhere, the local one is there
    assert ids("江西省") == ids("江西") == {listed["serving"], listed["nationwide"], listed["local"]}
    assert ids("上海市") == {listed["serving"], listed["nationwide"]}  # located there / nationwide
    assert ids("广东省广州市") == {listed["nationwide"]}
    assert ids(XINXIANG) == {listed["nationwide"]}
    providers = {row["name"] for row in page_client.get("/api/providers", params={"region": "江西省"}).json()["data"]}
    assert {"上海数研工业软件有限公司", "九江本地软件有限公司"} <= providers  # serving it / located there


PROVIDER_FILTERS = [
    {},
    {"region": "江西省"},
    {"region": JIUJIANG},
    {"region": "上海市"},
    {"region": "广东省"},
    {"industry": "C26"},
    {"industry": "C261"},
    {"scenario": "设备管理运维"},
    {"kind": "专业服务商"},
    {"q": "九江"},  # the search is off in these tests: the page, like the API, matches names
    {"q": "科技", "region": XINXIANG},
]


def _provider_ids(client: TestClient, path: str, chosen: dict[str, str]) -> list[int]:
    response = client.get(path, params=chosen | ({"per_page": "100"} if path.startswith("/api") else {}))
    assert response.status_code == 200, response.text
    if path.startswith("/api"):
        return [row["id"] for row in response.json()["data"]]
    return [int(i) for i in re.findall(r'<h3><a href="/providers/(\d+)">', response.text)]


@pytest.mark.parametrize("chosen", PROVIDER_FILTERS,
                         ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_api_and_page_list_the_same_providers(page_client: TestClient, listed: dict[str, int],
                                              chosen: dict[str, str]) -> None:
    assert _provider_ids(page_client, "/api/providers", chosen) == _provider_ids(page_client, "/providers", chosen)
