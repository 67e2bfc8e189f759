"""Where the engagement's front doors once disagreed, catalog's rule now answers through both
(catalog/engagements/service.py, `sign_as` … `rate_as`): a rating that is no number (the page
answered 500), and the roles a form post admits (those of its API twin)."""

from __future__ import annotations

import io

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session

from catalog.db import get_engine
from catalog.engagements.models import Engagement


def _page(world) -> str:  # type: ignore[no-untyped-def]
    return f"/progress/engagements/{world.ids['engagement']}"


def _stored(database_url: str, engagement_id: int) -> Engagement:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        found = session.get(Engagement, engagement_id)
        assert found is not None
        return found


def test_a_rating_that_is_no_number_is_refused_on_the_page_as_the_api_refuses_one_out_of_range(
        page_client, world, as_user, database_url) -> None:
    url, gid = _page(world), world.ids["engagement"]
    login(page_client, "ent_sharing")
    post_form(page_client, f"{url}/terminate", {"reason": "预算调整"}, page=url)
    assert "已终止该对接" in flashes(page_client, url)
    api = page_client.post(f"/api/engagements/{gid}/rating", headers=as_user("ent_sharing"), json={"rating": 9})
    assert api.status_code == 422 and api.json()["message"] == "评价须为 1 至 5 分", api.text
    for typed in ("好", "", "4.5", "9"):
        page = post_form(page_client, f"{url}/rate", {"rating": typed}, page=url)
        assert page.status_code == 303, (typed, page.text)
        assert "评价须为 1 至 5 分" in flashes(page_client, url), typed
    assert _stored(database_url, gid).rating is None
    done = post_form(page_client, f"{url}/rate", {"rating": "４", "review": "响应及时"}, page=url)
    assert done.status_code == 303 and "感谢评价" in flashes(page_client, url)
    assert _stored(database_url, gid).rating == 4


def test_a_providers_share_that_is_no_number_is_refused_on_the_page_as_by_the_api(
        page_client, world, as_user, database_url) -> None:
    """The page once read 让利 “abc” as 0 and proposed the acceptance; the API refuses it (422)."""
    url, gid = _page(world), world.ids["engagement"]
    login(page_client, "ent_sharing")
    post_form(page_client, f"{url}/sign", {"amount_wan": "10", "contract_date": "2026-03-01"}, page=url)
    post_form(page_client, f"{url}/start", {}, page=url)
    assert _stored(database_url, gid).status == "实施中"
    proposal = {"acceptance_date": "2026-06-30", "level_before": "二级", "level_after": "三级"}
    api = page_client.post(f"/api/engagements/{gid}/acceptance", headers=as_user("ent_sharing"),
                           json={**proposal, "provider_share_wan": "abc"})
    assert api.status_code == 422, api.text
    for typed in ("abc", "nan"):
        page = post_form(page_client, f"{url}/propose", {**proposal, "provider_share_wan": typed}, page=url)
        assert page.status_code == 303
        assert "让利" in flashes(page_client, url), typed
    assert _stored(database_url, gid).status == "实施中"


def _refused(response, message: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403, response.text
    assert message in response.text and "text/html" in response.headers["content-type"]


def test_a_form_post_refuses_the_roles_its_api_twin_refuses_with_a_clear_page(page_client, world) -> None:
    url, bureau_only = _page(world), "仅限主管部门（工信局）用户操作"
    login(page_client, "provider_a")  # a party of the engagement, but no bureau and no enterprise
    _refused(post_form(page_client, f"{url}/confirm", {}, page=url), bureau_only)
    _refused(post_form(page_client, f"{url}/rate", {"rating": "5"}, page=url), "仅限试点企业用户操作")
    _refused(post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids["sol_b"])},
                       page="/messages"), "仅限主管部门（工信局）、试点企业用户操作")
    _refused(post_form(page_client, f"/solutions/{world.ids['sol_b']}/contact", {"message": "想了解价格"},
                       page="/messages"), "仅限试点企业用户操作")
    login(page_client, "ent_sharing")
    _refused(post_form(page_client, "/lists/finance", {"name": "数转贷", "lender": "九江银行"}, page="/messages"),
             bureau_only)
    upload = {"file": ("targets.xlsx", io.BytesIO(b"not a workbook"), "application/octet-stream")}
    _refused(post_form(page_client, "/progress/targets/import", {}, page="/messages", files=upload), bureau_only)
    login(page_client, "jj_bureau")  # the bureau may see the engagement but never rates it
    _refused(post_form(page_client, f"{url}/rate", {"rating": "5"}, page=url), "仅限试点企业用户操作")
    assert page_client.get(url, headers=HTML).status_code == 200
