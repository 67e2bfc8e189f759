"""The one Chromium of the test session: Debian's /usr/bin/chromium driven by Playwright.

Registered in tests/conftest.py, so page tests anywhere share a single sync Playwright
instance (two in one process clash). Chromium missing is a failure, never a skip: CI
installs it (scripts/install_system.sh).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--lang=zh-CN"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded one)."""
    if not CHROMIUM.exists():
        pytest.fail("找不到 /usr/bin/chromium：请运行 scripts/install_system.sh（apt-get install chromium fonts-noto-cjk）")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
