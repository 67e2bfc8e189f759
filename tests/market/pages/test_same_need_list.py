"""An enterprise's need list is one query (catalog.enterprises.queries: list_needs under the
API, visible_needs_of under the enterprise's and the bureau's pages): the same needs in the
same order through every door, however the list was reordered."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient
from page_helpers import HTML, login, post_form
from web_builders import World

NEEDS_URL = "/enterprise/needs"
TEXTS = {"财务报销全靠纸质单据": "低", "订单交期总是延误": "高", "仓库找货全靠人记": "中"}


def _api(client: TestClient, headers: dict[str, str], enterprise_id: int) -> list[tuple[str, str]]:
    response = client.get("/api/needs", params={"enterprise_id": enterprise_id, "per_page": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [(n["code"], n["text"]) for n in response.json()["data"]]


def _enterprise_page(client: TestClient) -> list[tuple[str, str]]:
    response = client.get(NEEDS_URL, headers=HTML)
    assert response.status_code == 200, response.text
    listed = re.findall(r'<li data-code="([^"]+)">\s*<span class="rank">\d+</span>\s*<div>\s*'
                        r'<div class="text">([^<]*)</div>', response.text)
    return [(code, html.unescape(text)) for code, text in listed]


def _bureau_page(client: TestClient, enterprise_id: int) -> list[str]:
    response = client.get(f"/bureau/enterprises/{enterprise_id}", headers=HTML)
    assert response.status_code == 200, response.text
    return [html.unescape(t) for t in re.findall(r"<tr><td>\d+</td><td>([^<]*)</td>", response.text)]


def _agree(client: TestClient, as_user: Any, enterprise_id: int) -> list[tuple[str, str]]:
    """The list as the enterprise's API and page show it, and the bureau's page (texts): all alike."""
    login(client, "ent_sharing")
    listed = _api(client, as_user("ent_sharing"), enterprise_id)
    assert _enterprise_page(client) == listed
    assert _api(client, as_user("jj_bureau"), enterprise_id) == listed
    client.cookies.clear()
    login(client, "jj_bureau")
    assert _bureau_page(client, enterprise_id) == [text for _, text in listed]
    client.cookies.clear()
    login(client, "ent_sharing")
    return listed


def test_the_api_and_the_pages_list_an_enterprises_needs_alike(page_client: TestClient, world: World,
                                                               as_user: Any) -> None:
    eid, headers = world.ids["member_sharing"], as_user("ent_sharing")
    for text, priority in TEXTS.items():
        added = page_client.post(f"/api/enterprises/{eid}/needs", headers=headers,
                                 json={"text": text, "priority": priority})
        assert added.status_code == 201, added.text
    first = _agree(page_client, as_user, eid)
    assert len(first) == 4 and first[0][1].startswith("车间设备老是突然停机")  # as added
    ids = [n["id"] for n in page_client.get("/api/needs", params={"enterprise_id": eid}, headers=headers).json()["data"]]
    reordered = [ids[2], ids[0], ids[3], ids[1]]
    assert page_client.post(f"/api/enterprises/{eid}/needs/order", headers=headers,
                            json={"need_ids": reordered}).status_code == 200
    assert [code for code, _ in _agree(page_client, as_user, eid)] == [first[i][0] for i in (2, 0, 3, 1)]
    moved = post_form(page_client, f"{NEEDS_URL}/{ids[1]}/move", {"direction": "up"}, page=NEEDS_URL)
    assert moved.status_code == 303
    assert [code for code, _ in _agree(page_client, as_user, eid)] == [first[i][0] for i in (2, 0, 1, 3)]
    assert post_form(page_client, f"{NEEDS_URL}/sort", page=NEEDS_URL).status_code == 303
    ranked = _agree(page_client, as_user, eid)
    assert [TEXTS.get(text, "中") for _, text in ranked] == ["高", "中", "中", "低"]

