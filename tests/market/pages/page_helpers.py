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
    """POST a form the way the page at `page` (default: `url`) would, CSRF token included, and
    the version of the record its form to `url` was shown with (unless `data` names one)."""
    html = client.get(page or url, headers=HTML).text
    sent = {**(data or {}), "csrf_token": csrf_of(html)}
    shown = _shown_version(html, url)
    if shown is not None and "version" not in sent:
        sent["version"] = shown
    return client.post(url, data=sent, headers=HTML, follow_redirects=False, **kw)


def _shown_version(html: str, url: str) -> str | None:
    """The hidden `version` of the page's form that posts to `url`, as a browser sends it."""
    for action, body in re.findall(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', html, re.S):
        found = re.search(r'name="version" value="(\d+)"', body)
        if action == url and found:
            return found.group(1)
    return None


def flashes(client: TestClient, url: str = "/") -> str:
    """The text of the flash messages the next page shows."""
    html = client.get(url, headers=HTML).text
    return " ".join(re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', html))
