"""Accounts over the API follow catalog/users/service.py, as the CLI and /join do: one username
rule, and an edit that cleans a bureau account's regions, refuses to disable oneself or to give
regions to another role, and leaves an audit entry, as a new account does."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from web_builders import JIUJIANG, World

from catalog.audit.models import AuditEntry
from catalog.db import get_engine
from catalog.users import queries as user_queries
from catalog.users.models import User

PASSWORD = "initial-pass-1"


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/api/users", headers=headers, json={"password": PASSWORD, **body})


def test_the_api_takes_the_usernames_the_service_takes(client: TestClient, world: World, as_user: Any) -> None:
    bureau = as_user("jj_bureau")
    for username in ("li.ming@jj-gxj", "x" * 64):
        created = _create(client, bureau, username=username, role="bureau", regions=[JIUJIANG])
        assert created.status_code == 201, created.text
        assert created.json()["username"] == username
    for username in ("ab", "x" * 65, "王明"):
        refused = _create(client, bureau, username=username, role="bureau", regions=[JIUJIANG])
        assert refused.status_code == 422 and refused.json()["code"] == "bad_username", refused.text


def test_an_edit_is_cleaned_checked_and_audited(client: TestClient, world: World, as_user: Any,
                                                 database_url: str) -> None:
    bureau = as_user("jj_bureau")
    created = _create(client, bureau, username="jj_colleague", role="bureau", regions=[JIUJIANG])
    uid = created.json()["id"]
    edited = client.patch(f"/api/users/{uid}", headers=bureau,
                          json={"regions": [f" {JIUJIANG}濂溪区 ", f"{JIUJIANG}濂溪区", f"{JIUJIANG}湖口县"],
                                "display_name": " 李明 "})
    assert edited.status_code == 200, edited.text
    assert edited.json()["regions"] == [f"{JIUJIANG}濂溪区", f"{JIUJIANG}湖口县"]
    assert edited.json()["display_name"] == "李明"
    wide = client.patch(f"/api/users/{uid}", headers=bureau, json={"regions": ["江西省"]})
    assert wide.status_code == 403 and wide.json()["code"] == "out_of_region"
    provider_user = client.patch(f"/api/users/{world.ids['user_provider_a']}", headers=bureau,
                                 json={"regions": [JIUJIANG]})
    assert provider_user.status_code == 422 and provider_user.json()["code"] == "regions_for_bureau"
    me = client.get("/api/auth/me", headers=bureau).json()
    myself = client.patch(f"/api/users/{me['id']}", headers=bureau, json={"active": False})
    assert myself.status_code == 422 and myself.json()["code"] == "self_disable"
    with Session(get_engine(database_url)) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.record_type == "user")
                               .order_by(col(AuditEntry.id))).all()
    assert [(e.actor, e.action, e.record_key) for e in entries] == [
        ("bureau:jj_bureau", "create", str(uid)), ("bureau:jj_bureau", "update", str(uid))]
    assert entries[1].after == {"regions": [f"{JIUJIANG}濂溪区", f"{JIUJIANG}湖口县"], "display_name": "李明"}


def test_a_new_account_is_audited_without_its_password(client: TestClient, world: World, as_user: Any,
                                                       database_url: str) -> None:
    created = _create(client, as_user("jj_bureau"), username="jj_provider_2", role="provider",
                      provider_id=world.ids["provider_a"], display_name="王工")
    assert created.status_code == 201, created.text
    refused = _create(client, as_user("jj_bureau"), username="jj_provider_2", role="provider",
                      provider_id=world.ids["provider_a"])
    assert refused.status_code == 409
    with Session(get_engine(database_url)) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.record_type == "user")).all()
    assert [(e.actor, e.action, e.record_key, e.before) for e in entries] == [
        ("bureau:jj_bureau", "create", str(created.json()["id"]), None)]
    assert entries[0].after == {"username": "jj_provider_2", "role": "provider", "display_name": "王工", "regions": [],
                                "provider_id": world.ids["provider_a"], "enterprise_id": None, "active": True}


def test_a_bureau_accounts_regions_follow_the_service_rule(client: TestClient, world: World, as_user: Any) -> None:
    bureau = as_user("jj_bureau")
    for regions in ([" 江 "], ["江" * 61], [f"{JIUJIANG}{i}区" for i in range(21)]):
        refused = _create(client, bureau, username="jj_short", role="bureau", regions=regions)
        assert refused.status_code == 422 and refused.json()["code"] in ("bad_region", "too_many_regions"), refused.text
    assert _create(client, bureau, username="jj_short", role="bureau", regions=[" 江 "]).json()["message"] == (
        "管辖地区“江”应为 2～60 个字符的地区名，如 江西省九江市")  # the CLI's words (tests/seed/test_seed_cli.py)
    uid = _create(client, bureau, username="jj_colleague", role="bureau", regions=[JIUJIANG]).json()["id"]
    edited = client.patch(f"/api/users/{uid}", headers=bureau, json={"regions": ["江"]})
    assert edited.status_code == 422 and edited.json()["code"] == "bad_region"


def test_the_account_list_is_catalogs_query_with_its_filter_and_orders(client: TestClient, world: World,
                                                                       as_user: Any, database_url: str) -> None:
    """GET /api/users answers what catalog.users.queries.list_users gives the same bureau (the
    accounts `visible_users` lets it see), filtered by role, in an order it offers; another order
    is refused in Chinese."""
    bureau = as_user("jj_bureau")
    listed = client.get("/api/users", headers=bureau, params={"sort": "-username", "role": "enterprise"}).json()
    with Session(get_engine(database_url)) as session:
        me = session.exec(select(User).where(col(User.username) == "jj_bureau")).one()
        found = user_queries.list_users(session=session, user=me,
                                        chosen=user_queries.UserFilter(role="enterprise", sort="-username"))
    assert [u["username"] for u in listed["data"]] == [u.username for u in found.rows] == ["ent_sharing", "ent_private"]
    assert listed["count"] == found.total == 2
    refused = client.get("/api/users", headers=bureau, params={"sort": "password_hash"})
    assert refused.status_code == 422 and "不支持按“password_hash”排序" in refused.json()["message"]
