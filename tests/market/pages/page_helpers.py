"""Helpers for the page tests: log in through the login form, post forms with their CSRF token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_builders import PASSWORD

HTML = {"accept": "text/html"}


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Log in through the login page, as a browser does."""
    token = csrf_of(client.get("/login", headers=HTML).text)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                           headers=HTML, follow_redirects=False)
    assert response.status_code == 303, response.text


def post_form(client: TestClient, url: str, data: dict | None = None, page: str | None = None, **kw):  # type: ignore[no-untyped-def]
    """POST a form the way the page at `page` (default: `url`) would, CSRF token included."""
    token = csrf_of(client.get(page or url, headers=HTML).text)
    return client.post(url, data={**(data or {}), "csrf_token": token}, headers=HTML, follow_redirects=False, **kw)


def flashes(client: TestClient, url: str = "/") -> str:
    """The text of the flash messages the next page shows."""
    html = client.get(url, headers=HTML).text
    return " ".join(re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', html))
