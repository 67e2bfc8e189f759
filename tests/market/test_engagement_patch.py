"""Engagements start as 意向 and move only through the workflow's actions: no create or update
body sets a state (status, rating, acceptance, cost split) — the probe's finding 1."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, func, select

from catalog.audit.models import AuditEntry
from catalog.db import get_engine
from catalog.engagements.models import Engagement, EngagementStatus


def _stored(database_url: str, engagement_id: int) -> Engagement:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        found = session.get(Engagement, engagement_id)
        assert found is not None
        return found


def _count(database_url: str) -> int:
    with Session(get_engine(database_url)) as session:
        return int(session.exec(select(func.count()).select_from(Engagement)).one())


STATE_BODIES = [
    {"status": EngagementStatus.ACCEPTED.value},
    {"status": EngagementStatus.IN_PROGRESS.value, "rating": 5},
    {"rating": 5},
    {"acceptance_date": "2025-06-01", "level_after": "四级"},
    {"cost_split": {"政府": 50.0}},
]


@pytest.mark.parametrize("state", STATE_BODIES)
def test_an_enterprise_cannot_create_an_accepted_engagement(client, world, as_user, database_url, state) -> None:
    before = _count(database_url)
    body = {"enterprise_id": world.ids["member_sharing"], "solution_id": world.ids["sol_a"], **state}
    response = client.post("/api/engagements", headers=as_user("ent_sharing"), json=body)
    assert response.status_code == 422, response.text
    assert "不能在此设置" in response.text
    assert _count(database_url) == before


def test_a_new_engagement_is_an_intention_whoever_records_it(client, world, as_user, database_url) -> None:
    body = {"enterprise_id": world.ids["member_sharing"], "solution_id": world.ids["sol_b"]}
    response = client.post("/api/engagements", headers=as_user("jj_bureau"), json=body)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == EngagementStatus.INTENT and response.json()["rating"] is None


def test_a_second_engagement_on_the_same_offering_waits_for_the_first(client, world, as_user, database_url) -> None:
    """The world's enterprise already has an engagement under way on sol_a: the API refuses
    another, as 申请对接 does."""
    before = _count(database_url)
    body = {"enterprise_id": world.ids["member_sharing"], "solution_id": world.ids["sol_a"]}
    for who in ("jj_bureau", "ent_sharing"):
        response = client.post("/api/engagements", headers=as_user(who), json=body)
        assert response.status_code == 409 and response.json()["code"] == "already_engaged", response.text
    assert _count(database_url) == before


@pytest.mark.parametrize("username", ["ent_sharing", "provider_a", "jj_bureau"])
@pytest.mark.parametrize("state", STATE_BODIES)
def test_no_party_sets_a_state_through_patch(client, world, as_user, database_url, username, state) -> None:
    gid = world.ids["engagement"]
    before = _stored(database_url, gid)
    response = client.patch(f"/api/engagements/{gid}", headers=as_user(username),
                            json={**state, "version": before.version})
    assert response.status_code == 422, response.text
    assert "不能在此设置" in response.json()["details"][0]["message"]
    after = _stored(database_url, gid)
    assert after.status == EngagementStatus.INTENT and after.version == before.version and after.rating is None


def test_figures_are_corrected_by_patch_and_the_status_moves_by_actions(client, world, as_user,
                                                                        database_url) -> None:
    gid = world.ids["engagement"]
    headers = as_user("ent_sharing")
    version = _stored(database_url, gid).version
    same = client.patch(f"/api/engagements/{gid}", headers=headers, json={"level_before": "二级", "version": version})
    assert same.status_code == 200, same.text
    assert same.json()["level_before"] == "二级"
    signed = client.post(f"/api/engagements/{gid}/sign", headers=headers,
                         json={"amount_wan": 30, "contract_date": "2025-03-01", "version": same.json()["version"]})
    assert signed.status_code == 200, signed.text
    assert _stored(database_url, gid).status == EngagementStatus.SIGNED
    with Session(get_engine(database_url)) as session:
        steps = session.exec(select(AuditEntry.action).where(
            AuditEntry.record_type == "engagement", AuditEntry.record_key == str(gid))
            .order_by(col(AuditEntry.id))).all()
    assert steps[-1] == "status"


def test_a_closed_engagement_is_not_corrected(client, world, as_user, database_url) -> None:
    gid = world.ids["engagement"]
    headers = as_user("ent_sharing")
    closed = client.post(f"/api/engagements/{gid}/terminate", headers=headers, json={"reason": "预算取消"})
    assert closed.status_code == 200, closed.text
    response = client.patch(f"/api/engagements/{gid}", headers=headers,
                            json={"contract_amount_wan": 99, "version": closed.json()["version"]})
    assert response.status_code == 409, response.text
    assert _stored(database_url, gid).contract_amount_wan is None
