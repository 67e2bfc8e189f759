"""Each form post of the event page declares the roles its API twin does, so a user of another
role is turned away at the door alike: on the page with the Chinese refusal page (403), never a
500, and nothing changes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from page_helpers import login, post_form
from sqlmodel import Session
from web_builders import JIUJIANG, World

from catalog.db import get_engine
from catalog.events.models import Event
from market.app import route_table
from market.permissions.declared import declared

API = "/api/events/{event_id}"
TWINS = {  # the page's form post → the API route it does the same as
    "/events/{event_id}/status": f"{API}/status",
    "/events/{event_id}/register": f"{API}/participants",
    "/events/{event_id}/participants/import": f"{API}/participants/import",
    "/events/{event_id}/consent": f"{API}/participants/{{participant_id}}/consent",
    "/events/{event_id}/participants/{participant_id}/validate": f"{API}/participants/{{participant_id}}/validate",
    "/events/{event_id}/requests": f"{API}/requests",
    "/events/{event_id}/requests/{request_id}/respond": f"{API}/requests/{{request_id}}/respond",
    "/events/{event_id}/requests/{request_id}/withdraw": f"{API}/requests/{{request_id}}/withdraw",
    "/events/{event_id}/schedule": f"{API}/schedule",
    "/events/{event_id}/move": f"{API}/meetings/move",
    "/events/{event_id}/swap": f"{API}/meetings/swap",
    "/events/{event_id}/unschedule": f"{API}/meetings/{{meeting_id}}/unschedule",
    "/events/{event_id}/publish": f"{API}/publish",
    "/events/{event_id}/meetings/{meeting_id}/outcome": f"{API}/meetings/{{meeting_id}}/outcome",
}
SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]


def test_each_event_form_post_declares_the_roles_of_its_api_twin(client: TestClient) -> None:
    routes = {(method, path): declared(route) for method, path, route in route_table(client.app)}
    posts = {path for method, path in routes if method == "POST" and path.startswith("/events/")}
    assert posts == set(TWINS)  # a new form post gets its twin here
    wrong = [f"{page}: {routes[('POST', page)]} ≠ {routes[('POST', api)]}" for page, api in TWINS.items()
             if routes[("POST", page)] != routes[("POST", api)]]
    assert wrong == []


def _status(database_url: str, event_id: int) -> str:
    with Session(get_engine(database_url)) as session:
        event = session.get(Event, event_id)
        assert event is not None
        return event.status


def test_a_user_of_another_role_is_refused_a_form_post_with_the_refusal_page(
        client: TestClient, world: World, as_user: Any, database_url: str) -> None:
    bureau = as_user("jj_bureau")
    body = {"title": "角色校验对接会", "region": JIUJIANG, "sessions": SESSIONS, "tables": 2}
    event_id = client.post("/api/events", json=body, headers=bureau).json()["id"]
    assert client.post(f"/api/events/{event_id}/status", json={"status": "报名中"}, headers=bureau).status_code == 200
    url = f"/events/{event_id}"
    login(client, "provider_a")
    for path, form in (("status", {"status": "约见中"}), ("schedule", {}), ("publish", {}),
                       ("move", {"request_id": "1", "slot": "1", "table": "1"})):
        answer = post_form(client, f"{url}/{path}", form, page=url)
        assert answer.status_code == 403, (path, answer.status_code)
        assert "text/html" in answer.headers["content-type"]
        assert "仅限主管部门（工信局）用户操作" in answer.text, path
    assert _status(database_url, event_id) == "报名中"
    client.cookies.clear()
    login(client, "jj_bureau")  # a consent is the party's own: the bureau's is refused at the door
    answer = post_form(client, f"{url}/consent", page=url)
    assert answer.status_code == 403 and "仅限服务商、试点企业用户操作" in answer.text
