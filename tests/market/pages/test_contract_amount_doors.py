"""The contract amount has one bound (limits.CONTRACT_WAN, more than 0), whether it is signed
through the API or the page, or corrected through PATCH /api/engagements/{id}."""

from __future__ import annotations

from page_helpers import flashes, login, post_form
from sqlmodel import Session

from catalog.db import get_engine
from catalog.engagements.models import Engagement
from catalog.limits import CONTRACT_WAN


def _stored(database_url: str, engagement_id: int) -> Engagement:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        found = session.get(Engagement, engagement_id)
        assert found is not None
        return found


def _version(client, gid: int, headers: dict) -> int:  # type: ignore[no-untyped-def]
    return int(client.get(f"/api/engagements/{gid}", headers=headers).json()["version"])


def test_the_contract_amount_has_one_bound_whether_signed_or_corrected(page_client, world, as_user,
                                                                      database_url) -> None:
    """More than 0 and at most limits.CONTRACT_WAN: signing (API, page) and the PATCH correction
    (which once let 0 and up to 1 000 000 万元 through) refuse the same amounts."""
    gid, who = world.ids["engagement"], as_user("ent_sharing")
    url = f"/progress/engagements/{gid}"
    over = CONTRACT_WAN + 1
    api = page_client.post(f"/api/engagements/{gid}/sign", headers=who,
                           json={"amount_wan": over, "contract_date": "2026-03-01"})
    assert api.status_code == 422 and f"{CONTRACT_WAN:.0f}" in api.json()["message"], api.text
    login(page_client, "ent_sharing")
    page = post_form(page_client, f"{url}/sign", {"amount_wan": str(over), "contract_date": "2026-03-01"}, page=url)
    assert page.status_code == 303 and f"不超过 {CONTRACT_WAN:.0f} 万元" in flashes(page_client, url)
    for amount in (0, over, -1):
        patch = page_client.patch(f"/api/engagements/{gid}", headers=who,
                                  json={"contract_amount_wan": amount, "version": _version(page_client, gid, who)})
        assert patch.status_code == 422 and f"大于 0、不大于 {CONTRACT_WAN:.0f}" in patch.text, (amount, patch.text)
    assert _stored(database_url, gid).contract_amount_wan is None
    signed = page_client.post(f"/api/engagements/{gid}/sign", headers=who,
                              json={"amount_wan": CONTRACT_WAN, "contract_date": "2026-03-01"})
    assert signed.status_code == 200, signed.text
    corrected = page_client.patch(f"/api/engagements/{gid}", headers=who,
                                  json={"contract_amount_wan": 12.5, "version": _version(page_client, gid, who)})
    assert corrected.status_code == 200 and corrected.json()["contract_amount_wan"] == 12.5, corrected.text
    again = page_client.patch(f"/api/engagements/{gid}", headers=who,
                              json={"contract_amount_wan": 0, "version": _version(page_client, gid, who)})
    assert again.status_code == 422 and _stored(database_url, gid).contract_amount_wan == 12.5
    for cleared in ({"contract_amount_wan": None}, {"contract_date": None}):  # a signed one keeps its contract
        emptied = page_client.patch(f"/api/engagements/{gid}", headers=who,
                                    json={**cleared, "version": _version(page_client, gid, who)})
        assert emptied.status_code == 422 and "不能清空" in emptied.json()["message"], emptied.text
    stored = _stored(database_url, gid)
    assert stored.contract_amount_wan == 12.5 and stored.contract_date is not None


def test_no_number_or_a_rounded_away_amount_signs_no_contract(page_client, world, as_user, database_url) -> None:
    """NaN (which every comparison lets through) and an amount that rounds to 0 are refused by the
    API and the page alike; the engagement stays 意向 with no amount."""
    gid, who = world.ids["engagement"], as_user("ent_sharing")
    url = f"/progress/engagements/{gid}"
    for amount in ("NaN", "0.00001"):
        body = f'{{"amount_wan": {amount}, "contract_date": "2026-03-01"}}'
        api = page_client.post(f"/api/engagements/{gid}/sign", headers={**who, "Content-Type": "application/json"},
                               content=body)
        assert api.status_code == 422, (amount, api.text)
    login(page_client, "ent_sharing")
    for amount in ("nan", "0.00004"):
        page = post_form(page_client, f"{url}/sign", {"amount_wan": amount, "contract_date": "2026-03-01"}, page=url)
        assert page.status_code == 303 and "合同金额须大于 0" in flashes(page_client, url), amount
    stored = _stored(database_url, gid)
    assert stored.status == "意向" and stored.contract_amount_wan is None
