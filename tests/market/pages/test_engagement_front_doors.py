"""An engagement starts on a publicly listed solution only (catalog/engagements/service.py), through
the progress page and the API alike: a solution waiting in 待审核 or suspended is refused. A step
taken from the engagement page carries the version the page showed, as the API's steps do."""

from __future__ import annotations

import re

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session

from catalog.db import get_engine
from catalog.engagements.models import Engagement


def test_only_a_listed_solution_is_engaged_through_the_api(client, world, as_user) -> None:
    ent = world.ids["member_sharing"]
    for unlisted in (world.ids["sol_a_pending"], world.ids["sol_a_suspended"]):
        for who in ("jj_bureau", "ent_sharing"):
            refused = client.post("/api/engagements", headers=as_user(who),
                                  json={"enterprise_id": ent, "solution_id": unlisted})
            assert refused.status_code in (404, 422), refused.text
            if who == "jj_bureau":  # the bureau sees the listing: the refusal is the rule, not visibility
                assert refused.status_code == 422 and refused.json()["code"] == "solution_not_listed"
    listed = client.post("/api/engagements", headers=as_user("jj_bureau"),
                         json={"enterprise_id": ent, "solution_id": world.ids["sol_b"]})
    assert listed.status_code == 201, listed.text


def test_only_a_listed_solution_is_engaged_through_the_page(page_client, world) -> None:
    login(page_client, "ent_sharing")
    refused = post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids["sol_a_pending"])})
    assert refused.headers["location"] == "/progress/engagements"
    assert "未找到编号为" in flashes(page_client, "/progress/engagements")  # not listed: the enterprise cannot see it
    done = post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids["sol_b"])})
    assert done.status_code == 303 and done.headers["location"].startswith("/progress/engagements/")
    assert "已登记对接意向：起重机远程运维" in flashes(page_client, done.headers["location"])


def _version_in(html: str, form_id: str) -> str:
    form = html.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    match = re.search(r'name="version" value="(\d+)"', form)
    assert match, f"{form_id} carries no version"
    return match.group(1)


def test_a_step_from_a_stale_engagement_page_is_refused(page_client, world, database_url) -> None:
    """Two tabs on one engagement: a step taken from the older one is refused, nothing changes."""
    login(page_client, "ent_sharing")
    url = post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids["sol_b"])}).headers["location"]
    first_tab = page_client.get(url, headers=HTML).text
    read = _version_in(first_tab, "form-sign")
    signed = post_form(page_client, f"{url}/sign", {"amount_wan": "12", "contract_date": "2026-03-01",
                                                    "version": read}, page=url)
    assert signed.status_code == 303 and "已登记签约" in flashes(page_client, url)
    second_tab = page_client.get(url, headers=HTML).text
    assert int(_version_in(second_tab, "form-start")) > int(read)
    stale = post_form(page_client, f"{url}/terminate", {"reason": "预算调整", "version": read}, page=url)
    assert stale.status_code == 303 and "已被他人修改" in flashes(page_client, url)
    with Session(get_engine(database_url)) as session:
        engagement = session.get(Engagement, int(url.rsplit("/", 1)[1]))
        assert engagement is not None and engagement.status == "签约"


def _listed(html: str) -> list[int]:
    seen: list[int] = []
    for found in re.findall(r'href="/progress/engagements/(\d+)"', html):
        if int(found) not in seen:
            seen.append(int(found))
    return seen


def test_every_list_of_engagements_holds_the_same_rows_in_the_same_order(page_client, world, as_user) -> None:
    """The API, the progress list and the enterprise's own list: the engagement moved last first."""
    login(page_client, "ent_sharing")
    made = [post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids[s])}).headers["location"]
            for s in ("sol_b", "sol_a")]
    first = made[0]
    post_form(page_client, f"{first}/sign", {"amount_wan": "8", "contract_date": "2026-03-01"}, page=first)
    api = [g["id"] for g in page_client.get("/api/engagements", headers=as_user("ent_sharing")).json()["data"]]
    assert api[0] == int(first.rsplit("/", 1)[1]) and len(api) >= 2
    assert _listed(page_client.get("/progress/engagements", headers=HTML).text) == api
    assert _listed(page_client.get("/enterprise/engagements", headers=HTML).text) == api


def test_a_second_intention_on_the_same_offering_is_refused_on_the_page(page_client, world) -> None:
    login(page_client, "ent_sharing")
    first = post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids["sol_b"])})
    assert first.status_code == 303 and first.headers["location"].startswith("/progress/engagements/")
    again = post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids["sol_b"])})
    assert again.headers["location"] == "/progress/engagements"
    assert "已就这一产品登记过对接" in flashes(page_client, "/progress/engagements")


def test_a_termination_reason_past_the_bound_is_refused_not_cut(page_client, world, as_user, database_url) -> None:
    """501 characters: the API and the page both refuse (the page once stored the first 500)."""
    login(page_client, "ent_sharing")
    url = post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids["sol_b"])}).headers["location"]
    gid = int(url.rsplit("/", 1)[1])
    too_long = "预" * 501
    api = page_client.post(f"/api/engagements/{gid}/terminate", headers=as_user("ent_sharing"), json={"reason": too_long})
    assert api.status_code == 422, api.text
    page = post_form(page_client, f"{url}/terminate", {"reason": too_long}, page=url)
    assert page.status_code == 303 and "不能超过 500 字" in flashes(page_client, url)
    with Session(get_engine(database_url)) as session:
        engagement = session.get(Engagement, gid)
        assert engagement is not None and engagement.status == "意向" and engagement.termination_reason is None


def test_a_bureau_registers_an_intention_for_its_enterprise_on_the_page_as_through_the_api(
        page_client, world, as_user) -> None:
    """The page offers a bureau the enterprises of its regions, from the enterprise's page on; one of
    another city is refused as the API refuses it (the enterprise is not found)."""
    login(page_client, "jj_bureau")
    ent = world.ids["member_private"]
    detail = page_client.get(f"/bureau/enterprises/{ent}", headers=HTML).text
    assert f'href="/progress/engagements?enterprise_id={ent}"' in detail
    form = page_client.get(f"/progress/engagements?enterprise_id={ent}", headers=HTML).text
    offered = form.split('id="enterprise_id"', 1)[1].split("</select>", 1)[0]
    assert f'value="{ent}" selected' in offered and f'value="{world.ids["ent_xx"]}"' not in offered
    done = post_form(page_client, "/progress/engagements", {"enterprise_id": str(ent), "solution_id": str(world.ids["sol_b"])})
    assert done.status_code == 303 and done.headers["location"].startswith("/progress/engagements/")
    other = {"enterprise_id": str(world.ids["ent_xx"]), "solution_id": str(world.ids["sol_b"])}
    refused = post_form(page_client, "/progress/engagements", other)
    assert refused.headers["location"] == "/progress/engagements"
    assert "未找到编号为" in flashes(page_client, "/progress/engagements")
    api = page_client.post("/api/engagements", headers=as_user("jj_bureau"),
                           json={"enterprise_id": world.ids["ent_xx"], "solution_id": world.ids["sol_b"]})
    assert api.status_code == 404
