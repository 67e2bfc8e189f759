"""Steps the browser tests share: logging in and out through the pages."""

from __future__ import annotations

from playwright.sync_api import Page

from seed.users import DEMO_PASSWORD


def log_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form and wait for the landing page."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    assert "登录" not in page.title(), "login failed"


def log_out(page: Page) -> None:
    """Log out with the header's 退出 button."""
    with page.expect_navigation():
        page.click("header form[action='/logout'] button")
