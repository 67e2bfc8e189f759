"""Who sees an enterprise's needs at an event (catalog.events.permissions) and what counts as
a provider's lead (catalog.leads), through the API and the pages alike: a provider is shown,
scored and cited only the needs an enterprise brought and consented to show; proposals come
only from published offerings of published providers; a provider answers only its leads."""

from __future__ import annotations

from typing import Any

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, select
from web_builders import JIUJIANG, World, need

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.leads.models import LeadResponse
from catalog.providers.models import ListingStatus, Provider

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3}]
NEED_TEXTS = ("车间设备老是突然停机", "想上 MES")  # need_sharing, need_private


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _as(client: Any, username: str) -> None:
    client.cookies.clear()
    login(client, username)


def _event_in_requests(client: Any, as_user: Any, world: World) -> dict[str, int]:
    """A 九江 event in 约见中: provider_a registered itself with 设备点检云; the bureau registered
    member_sharing bringing need_sharing (not yet consented); ent_private registered itself
    bringing no need. Everyone validated."""
    bureau = as_user("jj_bureau")
    event = _ok(client.post("/api/events", json={"title": "设备运维对接会", "region": JIUJIANG, "sessions": SESSIONS,
                                                 "tables": 2}, headers=bureau), 201)
    event_id = int(event["id"])
    _ok(client.post(f"/api/events/{event_id}/status", json={"status": "报名中"}, headers=bureau))
    ids = {"event": event_id}
    for key, username, body in (
            ("seller", "provider_a", {"provider_id": world.ids["provider_a"], "solution_ids": [world.ids["sol_a"]]}),
            ("sharing", "jj_bureau", {"enterprise_id": world.ids["member_sharing"],
                                      "need_ids": [world.ids["need_sharing"]]}),
            ("private", "ent_private", {"enterprise_id": world.ids["member_private"]})):
        person = _ok(client.post(f"/api/events/{event_id}/participants", json=body, headers=as_user(username)), 201)
        _ok(client.post(f"/api/events/{event_id}/participants/{person['id']}/validate", json={}, headers=bureau))
        ids[key] = int(person["id"])
    _ok(client.post(f"/api/events/{event_id}/status", json={"status": "约见中"}, headers=bureau))
    return ids


def _proposals(client: Any, headers: dict[str, str], event_id: int, **params: Any) -> dict[int, dict[str, Any]]:
    rows = _ok(client.get(f"/api/events/{event_id}/proposals", params=params, headers=headers))["data"]
    return {p["participant_id"]: p for p in rows}


def test_a_provider_is_shown_no_need_an_enterprise_has_not_consented_to_show_and_brought(
        client: Any, world: World, as_user: Any) -> None:
    ids = _event_in_requests(client, as_user, world)
    event_id = ids["event"]
    for headers, params in ((as_user("provider_a"), {}), (as_user("jj_bureau"), {"participant_id": ids["seller"]})):
        seen = _proposals(client, headers, event_id, **params)
        for firm in (ids["sharing"], ids["private"]):  # not consented; consented but brought nothing
            assert seen[firm]["need_id"] is None and seen[firm]["score"] is None, seen[firm]
            assert not any(text in seen[firm]["reason"] for text in NEED_TEXTS)
    listed = _ok(client.get(f"/api/events/{event_id}/participants", headers=as_user("provider_a")))["data"]
    brought = {p["id"]: p.get("need_ids") for p in listed}
    assert (brought[ids["sharing"]], brought[ids["private"]]) == (None, [])  # not shown; shown: nothing
    _as(client, "provider_a")
    page = client.get(f"/events/{event_id}", headers=HTML).text
    assert not any(text in page for text in NEED_TEXTS)

    _ok(client.post(f"/api/events/{event_id}/participants/{ids['sharing']}/consent", headers=as_user("ent_sharing")))
    shown = _proposals(client, as_user("provider_a"), event_id)[ids["sharing"]]
    assert shown["need_id"] == world.ids["need_sharing"] and "车间设备老是突然停机" in shown["reason"]
    listed = _ok(client.get(f"/api/events/{event_id}/participants", headers=as_user("provider_a")))["data"]
    assert [p["need_ids"] for p in listed if p["id"] == ids["sharing"]] == [[world.ids["need_sharing"]]]
    assert "车间设备老是突然停机" in client.get(f"/events/{event_id}", headers=HTML).text
    others = _ok(client.get(f"/api/events/{event_id}/participants", headers=as_user("ent_private")))["data"]
    assert all("need_ids" not in p for p in others if p["id"] != ids["private"])  # another enterprise: none
    own = _proposals(client, as_user("ent_private"), event_id)[ids["seller"]]
    assert own["need_id"] == world.ids["need_private"]  # its own needs, all of them, brought or not


def test_a_suspended_providers_offerings_are_not_proposed(
        client: Any, world: World, as_user: Any, database_url: str) -> None:
    ids = _event_in_requests(client, as_user, world)
    before = _proposals(client, as_user("ent_private"), ids["event"])[ids["seller"]]
    assert before["solution_id"] == world.ids["sol_a"]
    with Session(get_engine(database_url)) as session:
        provider = session.get(Provider, world.ids["provider_a"])
        assert provider is not None
        provider.status = ListingStatus.SUSPENDED
        session.add(provider)
        session.commit()
    after = _proposals(client, as_user("ent_private"), ids["event"])[ids["seller"]]
    assert (after["solution_id"], after["score"]) == (None, None)
    assert "设备点检云" not in after["reason"]


def _answers(database_url: str) -> list[tuple[int, str]]:
    with Session(get_engine(database_url)) as session:
        return [(r.need_id, r.answer) for r in session.exec(select(LeadResponse))]


def test_a_provider_answers_only_needs_its_lead_list_shows_through_both_doors(
        client: Any, world: World, as_user: Any, database_url: str) -> None:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        firm = session.get(Enterprise, world.ids["member_private"])
        assert firm is not None
        firm.findable_by_providers = True  # every need may be shown; only fitting ones are leads
        fitting = need(session, firm, "循环水泵和风机老是坏，想做设备点检和预测性维护")
        session.commit()
    url = f"/api/providers/{world.ids['provider_a']}/leads"
    listed = {lead["need_id"] for lead in _ok(client.get(url, headers=as_user("provider_a")))["leads"]}
    assert fitting.id in listed and world.ids["need_private"] not in listed  # 想上 MES: 设备点检云 does not fit
    refused = client.post(f"{url}/{world.ids['need_private']}", json={"answer": "已联系"}, headers=as_user("provider_a"))
    assert refused.status_code == 404 and refused.json()["code"] == "lead_not_found"
    _as(client, "provider_a")
    page = "/provider/leads"
    post_form(client, f"{page}/{world.ids['need_private']}", {"answer": "已联系"}, page=page)
    assert "不在本服务商的商机中" in flashes(client, page)
    assert _answers(database_url) == []
    post_form(client, f"{page}/{fitting.id}", {"answer": "已联系"}, page=page)
    assert "已标记为“已联系”" in flashes(client, page)
    _ok(client.post(f"{url}/{fitting.id}", json={"answer": "不相关"}, headers=as_user("provider_a")))
    assert _answers(database_url) == [(fitting.id, "不相关")]
