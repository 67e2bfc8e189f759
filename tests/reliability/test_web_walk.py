"""Walk every GET route (API and pages) as each kind of outsider and check what comes back:
no enterprise need reaches a provider or an anonymous visitor, no 5xx, the security headers
on every response, and hostile listing names shown as text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from page_helpers import login
from sqlmodel import Session, select
from web_builders import PASSWORD, World, need, provider, solution

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise, Need
from market.app import route_table

XSS = "<script>alert(1)</script>"
HTML = {"Accept": "text/html"}
PARAM = re.compile(r"\{(\w+)\}")
KINDS = ("solution", "provider", "need", "enterprise")


def _urls(client, world: World) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Every GET route with each id of the pilot in its path and in the usual query parameters."""
    ids = sorted(set(world.ids.values()))
    for method, path, _endpoint in route_table(client.app):
        if method != "GET" or path in ("/api/openapi.json", "/api/docs"):
            continue
        for value in ids:
            query = f"enterprise_id={value}&need_id={value}&provider_id={value}&q=设备&event_id={value}"
            filled = PARAM.sub(lambda m, v=value: _param(m.group(1), v), path)
            yield f"{filled}?{query}"
            if "{" not in path:
                break


def _param(name: str, value: int) -> str:
    if name == "kind":
        return KINDS[value % len(KINDS)]
    if name == "name":
        return ("providers", "solutions", "enterprises", "needs")[value % 4]
    return str(value)


def _need_texts(database_url: str) -> list[str]:
    with Session(get_engine(database_url)) as session:
        return [n.text for n in session.exec(select(Need)).all()]


def _check_headers(url: str, headers) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    csp = headers.get("content-security-policy", "")
    script = next((p for p in csp.split(";") if p.strip().startswith(("script-src", "default-src"))), "")
    if not csp or "unsafe-inline" in script or "frame-ancestors" not in csp:
        problems.append(f"{url}: CSP {csp!r}")
    if headers.get("x-content-type-options") != "nosniff":
        problems.append(f"{url}: no nosniff")
    return problems


@pytest.mark.parametrize("who", ["anonymous", "provider_a"])
def test_no_route_shows_an_enterprise_need_to_outsiders(client, world: World, database_url: str, who: str) -> None:  # type: ignore[no-untyped-def]
    if who != "anonymous":
        login(client, who, PASSWORD)
    secrets = _need_texts(database_url)
    leaks, failures, header_problems = [], [], []
    for url in _urls(client, world):
        response = client.get(url, headers=HTML if not url.startswith("/api/") else {}, follow_redirects=False)
        if response.status_code >= 500 and not (response.status_code == 503 and "/search" in url):
            failures.append(f"{url}: {response.status_code}")
        header_problems += _check_headers(url, response.headers)
        body = response.content.decode("utf-8", "replace")
        leaks += [f"{url}: {text}" for text in secrets if text in body]
    assert not leaks, "\n".join(leaks[:20])
    assert not failures, "\n".join(failures[:20])
    assert not header_problems, "\n".join(header_problems[:20])


def test_hostile_listing_names_are_shown_as_text_everywhere(client, world: World, database_url: str) -> None:  # type: ignore[no-untyped-def]
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        bad = provider(session, f'九江"><img src=x onerror=alert(1)>{XSS}科技有限公司', "江西省九江市濂溪区")
        item = solution(session, bad.id, "JJ-666", f"{XSS}点检云", description=XSS, keywords=[XSS])
        need(session, session.get(Enterprise, world.ids["member_sharing"]), f"需求{XSS}")
        session.commit()
    login(client, "jj_bureau", PASSWORD)
    pages = ["/", "/solutions", f"/solutions/{item.id}", "/providers", f"/providers/{bad.id}",
             f"/search?q={XSS}", "/bureau/solutions", "/bureau/providers", "/bureau/review",
             f"/bureau/review/solution/{item.id}", f"/bureau/enterprises/{world.ids['member_sharing']}"]
    for url in pages:
        response = client.get(url, headers=HTML)
        assert response.status_code < 500, url
        assert XSS not in response.text and "<img src=x" not in response.text, url
    shown = client.get(f"/solutions/{item.id}", headers=HTML).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_the_walk_would_see_a_need_where_it_is_allowed(client, world: World, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Control for the walk above: the enterprise itself does see its need text on its pages."""
    login(client, "ent_sharing", PASSWORD)
    body = client.get("/enterprise/needs", headers=HTML).text
    assert "车间设备老是突然停机" in body
