"""The search as a visitor reaches it: the header's box on any page → results → sort →
a facet; 繁體 and typos understood; the same box for a signed-in enterprise."""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from conftest import _free_port
from flows import log_in
from playwright.sync_api import Page, expect

from market.app import create_app
from market.settings import PROJECT_ROOT, Settings
from search_index.client import make_client
from search_index.server import LocalMeilisearch
from search_index.sync import reindex

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(demo_database_url: str, tmp_path: Path) -> Iterator[str]:
    """The real app over the demo data with a real Meilisearch holding its index."""
    binary = PROJECT_ROOT / "vendor" / "meilisearch" / "meilisearch"
    with LocalMeilisearch(binary=binary, data_dir=tmp_path / "meili", key=secrets.token_urlsafe(24)) as meili:
        reindex(database_url=demo_database_url, client=make_client(meili.url, meili.key), prefix="szt")
        settings = Settings(database_url=demo_database_url, var_dir=tmp_path / "var", secret_key="browser-test-secret",
                            meili_url=meili.url, meili_master_key=meili.key, meili_index_prefix="szt")
        config = uvicorn.Config(create_app(settings, migrate_db=False), host="127.0.0.1", port=_free_port(),
                                log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn 未能启动"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{config.port}"
        server.should_exit = True
        thread.join(timeout=10)


def _search_from_header(page: Page, text: str) -> None:
    page.fill("#header-q", text)
    page.click(".header-search button[type=submit]")


def _total(page: Page) -> int:
    return int(page.locator("#result-total").inner_text())


def _search_until_indexed(page: Page, text: str) -> None:
    """The app indexes the demo data right after it starts: ask again until it is there."""
    deadline = time.monotonic() + 60
    _search_from_header(page, text)
    while page.locator("#result-total").count() == 0 or _total(page) == 0:
        assert time.monotonic() < deadline, "搜索一直没有结果"
        time.sleep(0.5)
        page.reload()


def test_header_search_sort_and_facet_describe_one_result_set(page: Page, live_server: str, shoot) -> None:
    page.goto(live_server + "/providers")
    _search_until_indexed(page, "車間設備老是停機")  # 繁體, as a visitor may type it
    expect(page).to_have_url(re.compile(r"/search\?q="))
    total = _total(page)
    assert total > 0
    shoot(page, "search-results")
    page.click("text=价格从低到高")
    expect(page.locator(".result-count strong").first).to_have_text(str(total))
    prices = [float(p) for p in re.findall(r"([\d.]+)\s*万元", page.locator("#search-results").inner_text())]
    assert prices == sorted(prices)
    facet = page.locator(".facet-value").first
    count = int(facet.locator(".count").inner_text())
    facet.click()
    expect(page.locator("#result-total")).to_have_text(str(count))
    shoot(page, "search-facet")


def test_a_typo_is_corrected_and_can_be_searched_as_typed(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    _search_until_indexed(page, "质量追述")
    expect(page.locator(".did-you-mean")).to_contain_text("已按“追溯”搜索")
    page.click("text=仍搜索“追述”")
    expect(page.locator(".did-you-mean")).to_have_count(0)


def test_a_signed_in_enterprise_has_the_same_search_box(page: Page, live_server: str) -> None:
    log_in(page, live_server, "enterprise_hualun")
    _search_until_indexed(page, "仓库找料全靠人记")
    assert _total(page) > 0
