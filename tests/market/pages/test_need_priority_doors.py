"""A need's priority follows catalog/enterprises/service.py through the page and the API alike:
a new need given none is 中, an edit that leaves it blank keeps the one it has."""

from __future__ import annotations

from page_helpers import login, post_form
from sqlmodel import Session

from catalog.db import get_engine
from catalog.enterprises.models import Need


def _priority(url: str, need_id: int) -> str:
    with Session(get_engine(url)) as session:
        need = session.get(Need, need_id)
        assert need is not None
        return need.priority


def test_blank_priority_is_the_default_on_create_and_unchanged_on_edit(page_client, world, as_user,
                                                                      database_url) -> None:
    ent, headers = world.ids["member_sharing"], as_user("ent_sharing")
    created = page_client.post(f"/api/enterprises/{ent}/needs", headers=headers,
                               json={"text": "仓库找货全靠人记", "priority": ""})
    assert created.status_code == 201 and created.json()["priority"] == "中", created.text
    need_id, version = created.json()["id"], created.json()["version"]
    raised = page_client.patch(f"/api/needs/{need_id}", headers=headers, json={"priority": "高", "version": version})
    assert raised.status_code == 200, raised.text
    blank = page_client.patch(f"/api/needs/{need_id}", headers=headers,
                              json={"priority": "", "text": "仓库找货全靠人工记忆", "version": raised.json()["version"]})
    assert blank.status_code == 200 and blank.json()["priority"] == "高", blank.text
    login(page_client, "ent_sharing")
    edited = post_form(page_client, f"/enterprise/needs/{need_id}/edit",
                       {"text": "仓库找货全靠人工", "priority": "", "version": str(blank.json()["version"])})
    assert edited.status_code == 303
    assert _priority(database_url, need_id) == "高"
    added = post_form(page_client, "/enterprise/needs", {"text": "订单交期总是延误", "priority": ""})
    assert added.status_code == 303
    listed = page_client.get("/api/needs", headers=headers, params={"per_page": 100}).json()["data"]
    assert [n["priority"] for n in listed if n["text"] == "订单交期总是延误"] == ["中"]
