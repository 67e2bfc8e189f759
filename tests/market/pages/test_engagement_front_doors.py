"""An engagement starts on a publicly listed solution only (catalog/engagements/service.py), through
the progress page and the API alike: a solution waiting in 待审核 or suspended is refused."""

from __future__ import annotations

from page_helpers import flashes, login, post_form


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
    assert "请选择已入库的产品和解决方案" in flashes(page_client, "/progress/engagements")
    done = post_form(page_client, "/progress/engagements", {"solution_id": str(world.ids["sol_b"])})
    assert done.status_code == 303 and done.headers["location"].startswith("/progress/engagements/")
    assert "已登记对接意向：起重机远程运维" in flashes(page_client, done.headers["location"])
