"""An engagement is looked up in one place (catalog.engagements.service.get_engagement): the API,
its workflow and messages, and the progress page answer a missing engagement and one the user
may not see with the same 404 and the same text naming the id."""

from __future__ import annotations

import pytest
from page_helpers import HTML, login


def _api_urls(engagement_id: int) -> list[str]:
    return [f"/api/engagements/{engagement_id}", f"/api/engagements/{engagement_id}/flow",
            f"/api/engagements/{engagement_id}/messages"]


@pytest.mark.parametrize("which", ["missing", "hidden"])
def test_the_api_names_the_engagement_it_cannot_find(client, world, as_user, which) -> None:
    engagement_id = 999_999 if which == "missing" else world.ids["engagement"]
    for url in _api_urls(engagement_id):
        response = client.get(url, headers=as_user("xx_bureau"))  # 新乡's bureau: a 九江 engagement is not its own
        assert response.status_code == 404, (url, response.text)
        assert response.json()["message"] == f"未找到编号为 {engagement_id} 的对接记录", url


@pytest.mark.parametrize("which", ["missing", "hidden"])
def test_the_page_names_the_engagement_it_cannot_find(page_client, world, which) -> None:
    engagement_id = 999_999 if which == "missing" else world.ids["engagement"]
    login(page_client, "xx_bureau")
    response = page_client.get(f"/progress/engagements/{engagement_id}", headers=HTML)
    assert response.status_code == 404
    assert f"未找到编号为 {engagement_id} 的对接记录" in response.text


def test_whoever_may_see_it_still_reaches_it(client, page_client, world, as_user) -> None:
    engagement_id = world.ids["engagement"]
    for url in _api_urls(engagement_id):
        assert client.get(url, headers=as_user("jj_bureau")).status_code == 200, url
    login(page_client, "ent_sharing")
    assert page_client.get(f"/progress/engagements/{engagement_id}", headers=HTML).status_code == 200
