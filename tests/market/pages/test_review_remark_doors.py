"""A review decision's remark follows one rule (catalog.providers.review.clean_remark, and a
rejection needs one) through the API and the page alike: a revision's and a provider
application's. Too long is refused with the same words by both, never cut short, and nothing
is decided."""

from __future__ import annotations

import re
from typing import Any

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, select

from catalog.db import get_engine
from catalog.providers.models import Provider
from catalog.revisions.models import Revision
from catalog.validation import make_uscc

TOO_LONG = "理" * 501
SAID = "审核意见不能超过 500 个字符（现为 501 个）"


def _revision(client: Any, world: Any, as_user: Any) -> int:
    sid = world.ids["sol_a"]
    version = client.get(f"/api/solutions/{sid}").json()["version"]
    edited = client.patch(f"/api/solutions/{sid}", headers=as_user("provider_a"),
                          json={"version": version, "price_wan": 9.5})
    assert edited.status_code == 200, edited.text
    return int(edited.json()["pending_revision_id"])


def _revision_status(database_url: str) -> str:
    with Session(get_engine(database_url)) as session:
        return session.exec(select(Revision)).one().status


def test_a_revision_decision_takes_its_remark_by_one_rule(client, world, as_user, database_url) -> None:
    rid = _revision(client, world, as_user)
    by_api = {decision: client.post(f"/api/revisions/{rid}/{decision}", headers=as_user("jj_bureau"),
                                    json={"remark": remark})
              for decision, remark in (("reject", ""), ("approve", TOO_LONG))}
    assert all(answer.status_code == 422 for answer in by_api.values())
    login(client, "jj_bureau")
    url = f"/bureau/revisions/{rid}"
    for decision, remark in (("reject", ""), ("approve", TOO_LONG)):
        assert post_form(client, url, {"decision": decision, "remark": remark}).status_code == 303
        assert flashes(client, url).strip() == by_api[decision].json()["message"]
    assert by_api["approve"].json()["message"] == SAID
    post_form(client, url, {"decision": "reject", "remark": TOO_LONG})
    assert flashes(client, url).strip() == SAID  # not cut to 500 and stored
    assert _revision_status(database_url) == "待审核"


def test_a_provider_application_decision_takes_its_reason_by_one_rule(client, world, as_user, database_url) -> None:
    name = "浔阳智联工业软件有限公司"
    made = client.post("/api/provider-applications", json={
        "name": name, "uscc": make_uscc(name), "kind": "专业服务商", "region": "江西省九江市浔阳区",
        "service_regions": ["江西省"], "industries": ["C26"], "scenarios": ["设备管理运维"],
        "description": "设备联网与点检", "contact_name": "王工", "contact_phone": "13800000000",
        "username": "xunyang_apply", "password": "apply-pass-123"})
    assert made.status_code == 201, made.text
    by_api = client.post(f"/api/provider-applications/{made.json()['id']}/decision", headers=as_user("jj_bureau"),
                         json={"approve": False, "reason": TOO_LONG})
    assert by_api.status_code == 422 and by_api.json()["message"] == SAID
    login(client, "jj_bureau")
    queue = client.get("/bureau/review", headers=HTML).text
    link = re.search(r'href="(/bureau/applications/\d+)"', queue).group(1)  # type: ignore[union-attr]
    assert post_form(client, link, {"decision": "reject", "reason": TOO_LONG}).status_code == 303
    assert flashes(client, link).strip() == SAID
    with Session(get_engine(database_url)) as session:
        provider = session.get(Provider, made.json()["provider_id"])
        assert provider is not None and provider.status == "待审核" and not provider.review_remark
