"""GET /api/search and /api/search/suggest through the real ASGI app."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import meilisearch
import pytest
from fastapi.testclient import TestClient
from search_builders import add_provider, add_solution, sync
from sqlmodel import Session

from catalog.providers.models import ListingStatus
from market.app import create_app
from market.settings import Settings
from search_index.server import LocalMeilisearch

pytestmark = pytest.mark.meili


def _settings(database_url: str, meili_server: LocalMeilisearch, prefix: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, MEILI_URL=meili_server.url,  # type: ignore[call-arg]
                    MEILI_MASTER_KEY=meili_server.key, meili_index_prefix=prefix, var_dir=tmp_path,
                    secret_key="test-secret-key-for-search-tests")


@pytest.fixture
def api(database_url: str, meili_server: LocalMeilisearch, prefix: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(_settings(database_url, meili_server, prefix, tmp_path), migrate_db=False)) as client:
        yield client


def test_search_returns_highlighted_hits_facets_and_paging(
    api: TestClient, session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    for i in range(12):
        add_solution(session, provider, name=f"仓储管理系统{i}", scenarios=["仓储物流"],
                     description="扫码出入库与库存盘点", deployment="SaaS" if i % 2 else "私有化")
    add_solution(session, provider, name="未审核的仓储方案", status=ListingStatus.PENDING)
    session.commit()
    sync(database_url, meili, prefix)

    body = api.get("/api/search", params={"q": "倉儲管理", "per_page": 5, "page": 2, "facets": "true"}).json()
    assert body["total"] == 12 and body["pages"] == 3 and len(body["hits"]) == 5
    assert "<mark>仓储管理" in body["hits"][0]["highlight"]["name"]
    assert body["facets"]["deployment"] == {"SaaS": 6, "私有化": 6}
    assert body["took_ms"] >= 0
    assert all("未审核" not in hit["name"] for hit in body["hits"])

    filtered = api.get("/api/search", params={"q": "仓储", "deployment": "SaaS"}).json()
    assert filtered["total"] == 6 and all(h["deployment"] == "SaaS" for h in filtered["hits"])
    assert filtered["facets"] == {}  # counted only when asked for

    cheap = api.get("/api/search", params={"q": "", "sort": "price_asc"}).json()
    assert cheap["total"] == 12

    suggestions = api.get("/api/search/suggest", params={"q": "仓储"}).json()["suggestions"]
    assert any(s["kind"] == "solution" and "仓储管理系统" in s["text"] for s in suggestions)
    assert any(s == {"kind": "scenario", "text": "仓储物流"} for s in suggestions)
    halfway = api.get("/api/search/suggest", params={"q": "仓储管"}).json()["suggestions"]  # 管理 typed halfway
    assert any(s["kind"] == "solution" and "仓储管理系统" in s["text"] for s in halfway)
    first = api.get("/api/search", params={"q": "仓储管", "per_page": 3}).json()["hits"]
    assert [s["id"] for s in halfway if s["kind"] == "solution"][:3] == [h["id"] for h in first]


def test_search_unavailable_is_a_chinese_503(database_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, MEILI_URL="http://127.0.0.1:9",  # type: ignore[call-arg]
                        var_dir=tmp_path, secret_key="test-secret-key-for-search-tests")
    with TestClient(create_app(settings, migrate_db=False)) as client:
        response = client.get("/api/search", params={"q": "MES"})
    assert response.status_code == 503
    assert response.json()["message"] == "搜索服务暂时不可用，请稍后重试"


def test_search_page_shows_cards_facets_and_empty_state(
    api: TestClient, session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    add_solution(session, provider, name="设备点检保养系统", scenarios=["设备管理运维"], description="点检与保养计划")
    session.commit()
    sync(database_url, meili, prefix)
    page = api.get("/search", params={"q": "设备老是停机"}, headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "<mark>设备</mark>" in page.text and "设备管理运维" in page.text and "应用场景" in page.text
    empty = api.get("/search", params={"q": "直播带货"}, headers={"accept": "text/html"}).text
    assert "没有找到" in empty and "相近的应用场景" in empty and "营销销售" in empty


def test_a_served_worker_keeps_its_startup_objects_out_of_collections_until_it_stops(
    session: Session, database_url: str, meili: meilisearch.Client, meili_server: LocalMeilisearch, prefix: str,
    tmp_path: Path,
) -> None:
    add_solution(session, add_provider(session), name="设备联网平台", scenarios=["设备管理"])
    session.commit()
    sync(database_url, meili, prefix)
    app = create_app(_settings(database_url, meili_server, prefix, tmp_path), migrate_db=False, settle_heap=True)
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 10_000  # modules, routes, models, the segmenter's dictionary
        hits = client.get("/api/search", params={"q": "设备联网"}).json()["hits"]
        assert [h["name"] for h in hits] == ["设备联网平台"]
    assert gc.get_freeze_count() == 0


def test_the_api_answers_503_while_the_engine_is_down_and_recovers_when_it_is_back(
    api: TestClient, session: Session, database_url: str, meili: meilisearch.Client,
    meili_server: LocalMeilisearch, prefix: str,
) -> None:
    add_solution(session, add_provider(session), name="注塑机联网")
    session.commit()
    sync(database_url, meili, prefix)
    assert api.get("/api/search", params={"q": "注塑机"}).status_code == 200  # a connection is now pooled

    meili_server.stop()
    try:
        down = api.get("/api/search", params={"q": "注塑机"})
        assert down.status_code == 503 and down.json()["message"] == "搜索服务暂时不可用，请稍后重试"
    finally:
        meili_server.start()
    back = api.get("/api/search", params={"q": "注塑机"})
    assert back.status_code == 200 and [h["name"] for h in back.json()["hits"]] == ["注塑机联网"]
