"""Browser tests: Debian's Chromium driven by Playwright against the real app, served by
uvicorn on a free loopback port over a fresh database holding the demo data (seed/).

Chromium missing is a failure, not a skip: CI installs it (scripts/install_system.sh).

Each journey runs on one database: PostgreSQL, the production one, when the suite has it
(always on CI), else SQLite. What a browser adds is the pages' forms, scripts and layout,
which do not depend on the database; what does, the SQL behind every page and API call, is
run on both databases by the TestClient tests (tests/market/pages over every page,
tests/market/pages/test_walk_with_history.py over the demo data and its history, and the
API tests of each feature), so a second browser run on the other database checks nothing new.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from database_copies import POSTGRES_URL, copy_postgres, copy_sqlite
from fixtures_demo import demo_postgres_template, demo_sqlite_template  # noqa: F401
from playwright.sync_api import Browser, Page

from market.app import create_app
from market.settings import PROJECT_ROOT, Settings
from search_index.client import make_client
from search_index.server import LocalMeilisearch
from search_index.sync import reindex

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The base URL of the real app with `settings`, served by uvicorn in a background
    thread (a start that hangs is ended by pytest-timeout)."""
    config = uvicorn.Config(create_app(settings, migrate_db=False), host="127.0.0.1", port=_free_port(),
                            log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("uvicorn 未能启动")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{config.port}"
    server.should_exit = True
    thread.join(timeout=15)


BROWSER_BACKEND = "postgres" if POSTGRES_URL else "sqlite"


@pytest.fixture(params=[BROWSER_BACKEND])
def demo_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Like fixtures_demo's, a fresh database holding the demo data, on one backend only (see above)."""
    if request.param == "sqlite":
        yield from copy_sqlite(request.getfixturevalue("demo_sqlite_template"), tmp_path / "demo.db")
    else:
        yield from copy_postgres(request.getfixturevalue("demo_postgres_template"), "szt_d_")


@pytest.fixture
def live_server(demo_database_url: str, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """The real app over the demo data, without a search server (search pages say so)."""
    with serving(Settings(database_url=demo_database_url, var_dir=tmp_path / "var",
                          secret_key="browser-test-secret", meili_url="")) as url:
        yield url


@contextmanager
def searching(database_url: str, directory: Path) -> Iterator[str]:
    """The base URL of the real app over `database_url` with a real Meilisearch, its index built first."""
    binary = PROJECT_ROOT / "vendor" / "meilisearch" / "meilisearch"
    with LocalMeilisearch(binary=binary, data_dir=directory / "meili", key=secrets.token_urlsafe(24)) as meili:
        reindex(database_url=database_url, client=make_client(meili.url, meili.key), prefix="szt")
        with serving(Settings(database_url=database_url, var_dir=directory / "var",
                              secret_key="browser-test-secret", meili_url=meili.url,
                              meili_master_key=meili.key, meili_index_prefix="szt")) as url:
            yield url


@pytest.fixture
def searchable_server(demo_database_url: str, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """The real app over the demo data with a real Meilisearch, its index built first."""
    with searching(demo_database_url, tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def read_only_searchable_server(request: pytest.FixtureRequest,
                                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like searchable_server, but one per module, for tests that only search and browse
    without signing in (nothing they do writes); a test that signs in or changes anything
    takes searchable_server."""
    directory = tmp_path_factory.mktemp("search_site")
    if BROWSER_BACKEND == "sqlite":
        copies = copy_sqlite(request.getfixturevalue("demo_sqlite_template"), directory / "demo.db")
    else:
        copies = copy_postgres(request.getfixturevalue("demo_postgres_template"), "szt_d_")
    database_url = next(copies)
    with searching(database_url, directory) as url:
        yield url
    next(copies, None)  # the copy's cleanup


def _page(browser: Browser, viewport: dict[str, int], mobile: bool) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=mobile, has_touch=mobile)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the pages' "are you sure?" confirmations
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A laptop-sized tab in a fresh browser context (no cookies)."""
    yield from _page(browser, LAPTOP, mobile=False)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A 390px-wide phone tab in a fresh browser context."""
    yield from _page(browser, PHONE, mobile=True)


@pytest.fixture
def shoot():  # type: ignore[no-untyped-def]
    """shoot(page, "name") saves a full-page screenshot to test-output/screenshots/."""
    suffix = "" if BROWSER_BACKEND == "sqlite" else "-postgres"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(tab: Page, name: str) -> None:
        tab.screenshot(path=str(SCREENSHOTS / f"{name}{suffix}.png"), full_page=True)

    return take
