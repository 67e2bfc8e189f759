"""Revisions through the JSON API: a provider's edit of a published listing waits for review
while the published version stays public and searchable; contact fields apply at once."""

from __future__ import annotations

from sqlmodel import Session, col, select

from catalog.audit.models import AuditEntry
from catalog.db import get_engine
from catalog.outbox import OutboxEntry
from catalog.providers.models import Provider
from catalog.revisions.models import Revision
from catalog.solutions.models import Solution
from search_index.documents import solution_document


def _edit_sol_a(client, world, as_user, **changes):  # type: ignore[no-untyped-def]
    sid = world.ids["sol_a"]
    version = client.get(f"/api/solutions/{sid}").json()["version"]
    return client.patch(f"/api/solutions/{sid}", headers=as_user("provider_a"), json={"version": version, **changes})


def test_provider_edit_of_a_published_listing_becomes_a_revision(client, world, as_user, database_url) -> None:
    edited = _edit_sol_a(client, world, as_user, name="设备点检云新版", price_wan=9.5)
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["status"] == "已入库" and body["name"] == "设备点检云" and body["price_wan"] == 8.0
    assert body["applied"] == [] and body["pending_revision_id"]
    public = client.get(f"/api/solutions/{world.ids['sol_a']}")
    assert public.status_code == 200 and public.json()["name"] == "设备点检云"
    with Session(get_engine(database_url)) as session:
        solution = session.get(Solution, world.ids["sol_a"])
        assert solution is not None and solution.name == "设备点检云"
        provider = session.get(Provider, solution.provider_id)
        assert provider is not None
        assert solution_document(solution, provider)["name"] == "设备点检云"  # the index gets the published version
        audited = session.exec(select(AuditEntry).where(AuditEntry.record_type == "revision")).all()
        assert [a.action for a in audited] == ["revision_propose"]
    revision = client.get(f"/api/revisions/{body['pending_revision_id']}", headers=as_user("jj_bureau")).json()
    assert revision["status"] == "待审核" and revision["record_name"] == "设备点检云"
    assert {d["field"]: (d["label"], d["before"], d["after"]) for d in revision["diff"]} == {
        "name": ("产品名称", "设备点检云", "设备点检云新版"), "price_wan": ("价格（万元）", 8.0, 9.5)}


def test_a_second_edit_updates_the_same_revision(client, world, as_user) -> None:
    first = _edit_sol_a(client, world, as_user, price_wan=9.5).json()
    second = _edit_sol_a(client, world, as_user, deploy_days=20).json()
    assert second["pending_revision_id"] == first["pending_revision_id"]
    revision = client.get(f"/api/revisions/{first['pending_revision_id']}", headers=as_user("provider_a")).json()
    assert revision["changes"] == {"price_wan": 9.5, "deploy_days": 20}
    back = _edit_sol_a(client, world, as_user, price_wan=8.0, deploy_days=30).json()
    assert back["pending_revision_id"] is None  # every change taken back: withdrawn
    assert client.get(f"/api/revisions/{first['pending_revision_id']}",
                      headers=as_user("provider_a")).json()["status"] == "已撤回"


def test_bureau_approves_and_the_revision_replaces_the_published_version(client, world, as_user, database_url):
    rid = _edit_sol_a(client, world, as_user, name="设备点检云新版", price_wan=9.5).json()["pending_revision_id"]
    bureau = as_user("jj_bureau")
    queue = client.get("/api/revisions", params={"status": "待审核"}, headers=bureau).json()
    assert [r["id"] for r in queue["data"]] == [rid]
    of_sol_a = client.get("/api/revisions", params={"record_type": "solution", "record_id": world.ids["sol_a"]},
                          headers=bureau).json()
    assert of_sol_a["count"] == 1
    assert client.get("/api/revisions", params={"record_id": world.ids["sol_b"]}, headers=bureau).json()["count"] == 0
    approved = client.post(f"/api/revisions/{rid}/approve", headers=bureau, json={"remark": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "已通过"
    assert [(d["before"], d["after"]) for d in approved.json()["diff"]] == [("设备点检云", "设备点检云新版"), (8.0, 9.5)]
    public = client.get(f"/api/solutions/{world.ids['sol_a']}").json()
    assert public["name"] == "设备点检云新版" and public["price_wan"] == 9.5 and public["status"] == "已入库"
    again = client.post(f"/api/revisions/{rid}/approve", headers=bureau, json={})
    assert again.status_code == 409 and "已处理" in again.json()["message"]
    with Session(get_engine(database_url)) as session:
        enqueued = session.exec(select(OutboxEntry).where(OutboxEntry.record_type == "solution",
                                                          OutboxEntry.record_id == world.ids["sol_a"])).all()
        assert enqueued  # the index follows the approved version
        update = session.exec(select(AuditEntry).where(AuditEntry.record_type == "solution",
                                                       AuditEntry.action == "update")
                              .order_by(col(AuditEntry.id).desc())).first()
        assert update is not None and update.actor == "bureau:jj_bureau" and update.after == {
            "name": "设备点检云新版", "price_wan": 9.5}


def test_reject_needs_a_reason_the_provider_sees_and_can_edit_again(client, world, as_user) -> None:
    rid = _edit_sol_a(client, world, as_user, price_wan=9.5).json()["pending_revision_id"]
    bureau = as_user("jj_bureau")
    blank = client.post(f"/api/revisions/{rid}/reject", headers=bureau, json={"remark": "  "})
    assert blank.status_code == 422 and blank.json()["code"] == "remark_required"
    assert blank.json()["details"][0]["field"] == "remark"
    rejected = client.post(f"/api/revisions/{rid}/reject", headers=bureau, json={"remark": "价格口径与合同不符"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "已驳回"
    mine = client.get("/api/revisions", headers=as_user("provider_a")).json()["data"]
    assert [(r["status"], r["remark"]) for r in mine] == [("已驳回", "价格口径与合同不符")]
    assert client.get(f"/api/solutions/{world.ids['sol_a']}").json()["price_wan"] == 8.0
    redo = _edit_sol_a(client, world, as_user, price_wan=9.0).json()
    assert redo["pending_revision_id"] not in (None, rid)


def test_contact_fields_apply_at_once_and_the_rest_waits(client, world, as_user, database_url) -> None:
    pid = world.ids["provider_a"]
    version = client.get(f"/api/providers/{pid}").json()["version"]
    edited = client.patch(f"/api/providers/{pid}", headers=as_user("provider_a"), json={
        "version": version, "contact_name": "王工", "contact_phone": "0792-7654321", "description": "新的简介"})
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert sorted(body["applied"]) == ["contact_name", "contact_phone"] and body["pending_revision_id"]
    public = client.get(f"/api/providers/{pid}").json()
    assert public["contact_phone"] == "0792-7654321" and public["description"] != "新的简介"
    assert public["status"] == "已入库"
    with Session(get_engine(database_url)) as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.record_type == "provider",
                                                        AuditEntry.action == "update")).all()
        assert audited[-1].after == {"contact_name": "王工", "contact_phone": "0792-7654321"}
        assert session.exec(select(Revision)).one().changes == {"description": "新的简介"}


def test_a_bureau_edit_applies_at_once(client, world, as_user) -> None:
    sid = world.ids["sol_a"]
    edited = client.patch(f"/api/solutions/{sid}", headers=as_user("jj_bureau"), json={"version": 1, "price_wan": 7})
    assert edited.status_code == 200 and edited.json()["price_wan"] == 7 and edited.json()["pending_revision_id"] is None


def test_a_pending_listing_is_edited_in_place(client, world, as_user) -> None:
    sid = world.ids["sol_a_pending"]
    edited = client.patch(f"/api/solutions/{sid}", headers=as_user("provider_a"), json={"version": 1, "price_wan": 3})
    assert edited.status_code == 200 and edited.json()["price_wan"] == 3 and edited.json()["status"] == "待审核"
    assert edited.json()["pending_revision_id"] is None


def test_bad_input_names_the_field_and_stores_nothing(client, world, as_user, database_url) -> None:
    bad = _edit_sol_a(client, world, as_user, price_wan=-1)
    assert bad.status_code == 422 and "price_wan" in bad.json()["message"]
    taken = _edit_sol_a(client, world, as_user, code="JJ-002")
    assert taken.status_code == 409 and "JJ-002" in taken.json()["message"]
    stale = client.patch(f"/api/solutions/{world.ids['sol_a']}", headers=as_user("provider_a"),
                         json={"version": 0, "price_wan": 9})
    assert stale.status_code == 409
    with Session(get_engine(database_url)) as session:
        assert session.exec(select(Revision)).all() == []


def test_who_sees_and_decides_a_revision(client, world, as_user) -> None:
    rid = _edit_sol_a(client, world, as_user, price_wan=9.5).json()["pending_revision_id"]
    assert client.get(f"/api/revisions/{rid}", headers=as_user("provider_b")).status_code == 404
    assert client.get(f"/api/revisions/{rid}", headers=as_user("xx_bureau")).status_code == 404
    assert client.get("/api/revisions", headers=as_user("xx_bureau")).json()["count"] == 0
    assert client.get("/api/revisions", headers=as_user("ent_sharing")).json()["count"] == 0
    own = client.post(f"/api/revisions/{rid}/approve", headers=as_user("provider_a"), json={})
    assert own.status_code == 403 and "主管部门" in own.json()["message"]
    assert client.get(f"/api/revisions/{rid}").status_code == 401


def test_the_same_choices_in_another_order_are_no_change(client, world, as_user) -> None:
    sid = world.ids["sol_a"]
    both = client.patch(f"/api/solutions/{sid}", headers=as_user("jj_bureau"),
                        json={"version": 1, "scenarios": ["设备管理运维", "质量管控"]})
    assert both.status_code == 200 and both.json()["pending_revision_id"] is None
    edited = _edit_sol_a(client, world, as_user, scenarios=["质量管控", "设备管理运维"], price_wan=9)
    rid = edited.json()["pending_revision_id"]
    revision = client.get(f"/api/revisions/{rid}", headers=as_user("provider_a")).json()
    assert revision["changes"] == {"price_wan": 9.0}


def test_a_withdrawn_listing_leaves_the_queue_and_its_revision_cannot_go_live(client, world, as_user) -> None:
    rid = _edit_sol_a(client, world, as_user, price_wan=9.5).json()["pending_revision_id"]
    withdrawn = client.post(f"/api/solutions/{world.ids['sol_a']}/withdraw", headers=as_user("provider_a"), json={})
    assert withdrawn.status_code == 200
    approved = client.post(f"/api/revisions/{rid}/approve", headers=as_user("jj_bureau"), json={})
    assert approved.status_code == 409 and "已退出" in approved.json()["message"]
