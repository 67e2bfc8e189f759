"""Every page a user can reach, over a pilot in its second year (the demo data and its history,
as `market seed` loads them): each role signs in and follows the links from the home page, as
a user would, then opens every work list and export. A walk fails on any 5xx, on any error
logged while it ran (an exception that escaped a route), and on any page that says it has
nothing to show where the seed holds records for it."""

from __future__ import annotations

import logging
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from page_helpers import HTML, csrf_of
from sqlmodel import Session, col, func, select

from catalog.db import get_engine
from catalog.engagements.models import Engagement
from catalog.enterprises.models import Need
from catalog.events.models import Event, EventStatus
from catalog.solutions.models import Solution
from catalog.users.models import User
from market.app import create_app
from market.settings import Settings
from seed.users import DEMO_PASSWORD

ROLES = ["jiujiang_bureau", "admin_bureau", "provider_xunzhi", "provider_pending", "enterprise_hualun", "leader_changlu",
         None]
LINK = re.compile(r'href="(/[^"#]*)"')
GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*action="(/[^"]*)"[^>]*>(.*?)</form>', re.S)
FIELD = re.compile(r'<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"')
SKIP = ("/static/", "/logout", "/api/docs", "/api/openapi.json")
PER_PATTERN = 3  # pages of one shape (/solutions/{id}) opened per role
PER_SHAPE = {"/events/{id}": 12}  # every event: each stage renders differently
EXPORT = re.compile(r"(\.xlsx|\.ics|/download)(\?|$)")
LISTS = ("tasks", "enterprises", "providers", "excellent", "policies", "finance")

# Pages that must show records once the pilot has a history: (path pattern, what an empty one
# says); the signed-in party's own pages only when the seed gave it engagements.
MUST_SHOW = [
    (r"^/progress/engagements$", "暂无对接项目。</td>"),
    (r"^/progress/evaluations$", "暂无服务商。</td>"),
    (r"^/lists/\w+$", "class=\"muted\">暂无记录</td>"),
    (r"^/events$", "<p>暂无对接活动。</p>"),
    (r"^/chains(/\d+)?$", "<p>暂无可查看的产业链"),
    (r"^/bureau/review$", "没有待审核的产品。"),  # each city's demo provider has submitted one ...
    (r"^/bureau/review$", "没有待审核的修改。"),  # ... and edited a published one (seed/history_listings.py)
]
OWN_RECORDS = [
    (r"^/enterprise/engagements$", "<p>暂无对接记录。"),
    (r"^/provider$", ">暂无对接记录。</p>"),
]


@dataclass
class Walk:
    """What one role's walk saw."""

    client: TestClient
    own_engagements: int = 0  # of the enterprise or provider signed in
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    shapes: Counter[str] = field(default_factory=Counter)


@pytest.fixture
def history_client(history_database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=history_database_url, var_dir=tmp_path / "var", secret_key="walk", meili_url="")
    with TestClient(create_app(settings, migrate_db=False), base_url="http://testserver") as client:
        yield client


def sign_in(client: TestClient, username: str) -> None:
    token = csrf_of(client.get("/login", headers=HTML).text)
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
                           headers=HTML, follow_redirects=False)
    assert response.status_code == 303, response.text


def shape(url: str) -> str:
    """A page's shape: ids replaced, query keys kept (/solutions/{id}?page)."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query)})
    return re.sub(r"/\d+", "/{id}", parts.path) + ("?" + "&".join(keys) if keys else "")


def links(html: str) -> list[str]:
    """The page's links, and its GET forms submitted as they stand (a button the user presses)."""
    found = [unescape(href) for href in LINK.findall(html)]
    for action, body in GET_FORM.findall(html):
        fields = "&".join(f"{name}={value}" for name, value in FIELD.findall(body) if value)
        found.append(unescape(action) + (f"?{unescape(fields)}" if fields else ""))
    return [url for url in found if not url.startswith(SKIP)]


def check_export(walk: Walk, url: str, body: bytes) -> None:
    if not body:
        walk.problems.append(f"{url}: empty export")
    elif ".xlsx" in url or body[:2] == b"PK":
        book = load_workbook(BytesIO(body))
        if not any((sheet.max_row or 0) > 1 for sheet in book.worksheets):
            walk.problems.append(f"{url}: workbook without rows")


def check_page(walk: Walk, url: str, html: str, database_url: str) -> None:
    path = urlsplit(url).path
    for pattern, empty in [*MUST_SHOW, *(OWN_RECORDS if walk.own_engagements else [])]:
        if re.match(pattern, path) and empty in html:
            walk.problems.append(f"{url}: shows “{empty}” though the seed has records")
    event = re.match(r"^/events/(\d+)$", path)
    if event and event_status(database_url, int(event.group(1))) == EventStatus.CLOSED:
        offered = re.findall(r'action="/events/\d+/(requests|register|status|schedule|publish)"', html)
        if offered:
            walk.problems.append(f"{url}: a closed event still offers {sorted(set(offered))}")
    found = re.match(r"^/bureau/enterprises/(\d+)$", path)
    if found:
        for empty, count in enterprise_records(database_url, int(found.group(1))).items():
            if count and empty in html:
                walk.problems.append(f"{url}: shows “{empty}” with {count} records")
        missing = [name for name in engaged_solutions(database_url, int(found.group(1))) if name not in html]
        if missing:
            walk.problems.append(f"{url}: engagements not named: {missing}")


def enterprise_records(database_url: str, enterprise_id: int) -> dict[str, int]:
    with Session(get_engine(database_url)) as session:
        def count(model: type) -> int:
            query = select(func.count()).select_from(model).where(col(model.enterprise_id) == enterprise_id)  # type: ignore[attr-defined]
            return int(session.exec(query).one())
        return {">暂无对接记录。</p>": count(Engagement), ">暂无需求。</p>": count(Need)}


def own_engagements(database_url: str, username: str | None) -> int:
    """How many engagements the enterprise or provider a user signs in for has."""
    with Session(get_engine(database_url)) as session:
        user = session.exec(select(User).where(User.username == (username or ""))).first()
        if user is None or (user.enterprise_id is None and user.provider_id is None):
            return 0
        party = (col(Engagement.enterprise_id) == user.enterprise_id if user.enterprise_id
                 else col(Engagement.provider_id) == user.provider_id)
        return int(session.exec(select(func.count()).select_from(Engagement).where(party)).one())


def event_status(database_url: str, event_id: int) -> str | None:
    with Session(get_engine(database_url)) as session:
        event = session.get(Event, event_id)
        return event.status if event else None


def engaged_solutions(database_url: str, enterprise_id: int) -> set[str]:
    """The names of the solutions an enterprise has engagements with (its 一企一档 names them)."""
    with Session(get_engine(database_url)) as session:
        query = (select(Solution.name).join(Engagement, col(Engagement.solution_id) == Solution.id)
                 .where(Engagement.enterprise_id == enterprise_id))
        return set(session.exec(query).all())


def visit(walk: Walk, url: str, database_url: str) -> list[str]:
    """Open one URL; note problems; the links it offers."""
    response = walk.client.get(url, headers=HTML, follow_redirects=True)
    walk.visited.append(url)
    status = response.status_code
    if status >= 500 and not (status == 503 and url.startswith("/search")):
        walk.problems.append(f"{url}: {status} (request id {response.headers.get('x-request-id')})")
        return []
    kind = response.headers.get("content-type", "")
    if EXPORT.search(url) or "spreadsheet" in kind or "calendar" in kind:
        check_export(walk, url, response.content)
        return []
    if "text/html" not in kind or status >= 400:
        return []
    check_page(walk, str(response.url.path), response.text, database_url)
    return links(response.text)


def walk_from_home(walk: Walk, database_url: str, extra: list[str]) -> None:
    """Breadth first from the home page, a couple of pages of each shape."""
    queue, seen = deque(["/", *extra]), {"/", *extra}
    while queue:
        url = queue.popleft()
        walk.shapes[shape(url)] += 1
        if walk.shapes[shape(url)] > PER_SHAPE.get(shape(url), PER_PATTERN):
            continue
        for link in visit(walk, url, database_url):
            if link not in seen:
                seen.add(link)
                queue.append(link)


@pytest.mark.parametrize("username", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_page_renders_with_the_pilot_history(history_client: TestClient, history_database_url: str,
                                                    username: str | None, caplog: pytest.LogCaptureFixture) -> None:
    if username:
        sign_in(history_client, username)
    bureau = bool(username and username.endswith("_bureau"))
    lists = [f"/lists/{name}" for name in LISTS] if bureau else []
    walk = Walk(history_client, own_engagements(history_database_url, username))
    with caplog.at_level(logging.ERROR):
        walk_from_home(walk, history_database_url, lists)
    escaped = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]
    assert not walk.problems, "\n".join(walk.problems)
    assert not escaped, "\n".join(escaped)
    assert len(walk.visited) > (20 if username else 5), walk.visited


@pytest.mark.parametrize("username", ["jiujiang_bureau", "provider_xunzhi", "enterprise_hualun", "leader_changlu"])
def test_every_api_list_and_export_answers_with_the_pilot_history(history_client: TestClient, username: str,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    token = history_client.post("/api/auth/token", json={"username": username, "password": DEMO_PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    urls = [p for m, p, _ in _routes(history_client) if m == "GET" and p.startswith("/api/") and "{" not in p
            and not p.startswith(SKIP)]
    if username.endswith("_bureau"):
        urls += [f"/api/progress/lists/{name}{suffix}" for name in LISTS for suffix in ("", "/xlsx")]
    problems = []
    with caplog.at_level(logging.ERROR):
        for url in urls:
            response = history_client.get(url, headers=headers)
            if response.status_code >= 500 and not (response.status_code == 503 and "/search" in url):
                problems.append(f"{url}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    engagements = history_client.get("/api/engagements", headers=headers).json()
    assert engagements["count"] > 0, username


def _routes(client: TestClient) -> list[tuple[str, str, object]]:
    from market.app import route_table

    return route_table(client.app)  # type: ignore[arg-type]
