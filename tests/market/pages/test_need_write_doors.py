"""A need list's writes are refused by catalog.enterprises.service (add_need, edit_need,
remove_need, rearrange_needs, shift_need) through the API and the pages alike: a chain leader
sees a sharing member's needs, never changes them, and a refusal is 403 at every door."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from page_helpers import HTML, login, post_form
from web_builders import World

NEEDS_URL = "/enterprise/needs"


def test_a_chain_leader_sees_a_sharing_members_need_and_changes_it_through_no_door(
        page_client: TestClient, world: World, as_user: Any) -> None:
    leader, need_id, eid = as_user("chain_leader"), world.ids["need_sharing"], world.ids["member_sharing"]
    seen = page_client.get(f"/api/needs/{need_id}", headers=leader)
    assert seen.status_code == 200
    version = seen.json()["version"]
    assert page_client.patch(f"/api/needs/{need_id}", headers=leader,
                             json={"text": "改掉", "version": version}).status_code == 403
    assert page_client.delete(f"/api/needs/{need_id}", headers=leader).status_code == 403
    assert page_client.post(f"/api/enterprises/{eid}/needs", headers=leader, json={"text": "加一条"}).status_code == 403
    assert page_client.post(f"/api/enterprises/{eid}/needs/order", headers=leader,
                            json={"need_ids": [need_id]}).status_code == 403
    login(page_client, "chain_leader")
    assert page_client.get(f"{NEEDS_URL}/{need_id}/edit", headers=HTML).status_code == 403
    for action, form in (("edit", {"text": "改掉", "version": str(version)}), ("delete", {}),
                         ("move", {"direction": "down"})):
        response = post_form(page_client, f"{NEEDS_URL}/{need_id}/{action}", form, page=NEEDS_URL)
        assert response.status_code == 403, (action, response.status_code)
    after = page_client.get(f"/api/needs/{need_id}", headers=leader).json()
    assert (after["version"], after["text"]) == (version, seen.json()["text"])
