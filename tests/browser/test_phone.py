"""The main pages on a 390px-wide phone: nothing wider than the screen; screenshots."""

from __future__ import annotations

import pytest
from flows import log_in
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _fits(phone: Page) -> None:
    width = phone.evaluate("document.documentElement.scrollWidth")
    screen = (phone.viewport_size or {}).get("width", 0)
    assert width <= screen, f"{phone.url}: page is {width}px wide on a {screen}px screen"


def test_public_pages_fit_a_phone(phone: Page, live_server: str, shoot) -> None:
    for path, name in (("/", "home"), ("/solutions", "solutions"), ("/providers", "providers"),
                       ("/login", "login")):
        phone.goto(live_server + path)
        _fits(phone)
        shoot(phone, f"phone-{name}")
    phone.goto(live_server + "/solutions")
    phone.locator("#solution-results h3 a").first.click()
    expect(phone.locator("h1")).to_be_visible()
    _fits(phone)
    shoot(phone, "phone-solution-detail")
    phone.goto(live_server + "/no-such-page")
    expect(phone.locator("h1")).to_have_text("页面不存在")
    shoot(phone, "phone-error-404")


def test_role_pages_fit_a_phone(phone: Page, live_server: str, shoot) -> None:
    log_in(phone, live_server, "enterprise_hualun")
    phone.goto(live_server + "/enterprise/needs")
    _fits(phone)
    shoot(phone, "phone-enterprise-needs")
    phone.context.clear_cookies()
    log_in(phone, live_server, "jiujiang_bureau")
    for path in ("/bureau/review", "/bureau/solutions"):
        phone.goto(live_server + path)
        _fits(phone)  # wide tables scroll inside their own box
        shoot(phone, "phone-bureau-" + path.rsplit("/", 1)[1])
