"""PATCH /api/engagements/{id} edits figures only: status moves through the workflow endpoints."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from catalog.db import get_engine
from catalog.models import Engagement, EngagementStatus


def _stored(database_url: str, engagement_id: int) -> Engagement:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        found = session.get(Engagement, engagement_id)
        assert found is not None
        return found


@pytest.mark.parametrize("username", ["ent_sharing", "provider_a", "jj_bureau"])
@pytest.mark.parametrize("status", [EngagementStatus.ACCEPTED, EngagementStatus.SIGNED])
def test_status_change_through_patch_is_refused(client, world, as_user, database_url, username, status) -> None:
    gid = world.ids["engagement"]
    before = _stored(database_url, gid)
    response = client.patch(f"/api/engagements/{gid}", headers=as_user(username),
                            json={"status": status.value, "version": before.version})
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "status_via_workflow" and "对接流程" in body["message"]
    after = _stored(database_url, gid)
    assert after.status == EngagementStatus.INTENT and after.version == before.version


def test_patch_of_figures_still_works_and_workflow_moves_status(client, world, as_user, database_url) -> None:
    gid = world.ids["engagement"]
    headers = as_user("ent_sharing")
    version = _stored(database_url, gid).version
    same = client.patch(f"/api/engagements/{gid}", headers=headers,
                        json={"status": EngagementStatus.INTENT.value, "level_before": "二级", "version": version})
    assert same.status_code == 200, same.text
    assert same.json()["level_before"] == "二级"
    signed = client.post(f"/api/engagements/{gid}/sign", headers=headers,
                         json={"amount_wan": 30, "contract_date": "2025-03-01", "version": same.json()["version"]})
    assert signed.status_code == 200, signed.text
    assert _stored(database_url, gid).status == EngagementStatus.SIGNED
