"""修改待审核 is one filter (catalog/revisions/queries.py): the review page and the revisions
API with `to_review` list the same revisions, those in the bureau's regions still waiting,
without the edits of a listing withdrawn meanwhile; a provider's own list is no queue."""

from __future__ import annotations

import re
from typing import Any

from page_helpers import HTML, login


def _edit(client: Any, headers: dict[str, str], url: str, **changes: Any) -> int:
    version = client.get(url, headers=headers).json()["version"]
    response = client.patch(url, headers=headers, json={"version": version, **changes})
    assert response.status_code == 200, response.text
    return int(response.json()["pending_revision_id"])


def _api_queue(client: Any, headers: dict[str, str]) -> list[int]:
    response = client.get("/api/revisions", headers=headers, params={"to_review": "true", "per_page": 100})
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["data"]]


def _page_queue(client: Any, username: str) -> list[int]:
    client.cookies.clear()
    login(client, username)
    html = client.get("/bureau/review", headers=HTML).text
    return list(dict.fromkeys(int(i) for i in re.findall(r'data-revision="(\d+)"', html)))


def test_the_page_and_the_api_list_the_same_queue(page_client, world, as_user) -> None:
    provider = as_user("provider_a")
    kept = _edit(page_client, provider, f"/api/solutions/{world.ids['sol_a']}", price_wan=9.5)
    profile = _edit(page_client, provider, f"/api/providers/{world.ids['provider_a']}", description="新的机构简介")
    other = _edit(page_client, as_user("provider_b"), f"/api/solutions/{world.ids['sol_b']}", price_wan=7.0)
    assert _api_queue(page_client, as_user("jj_bureau")) == [kept, profile]  # the one waiting longest first
    assert _page_queue(page_client, "jj_bureau") == [kept, profile]
    withdrawn = page_client.post(f"/api/solutions/{world.ids['sol_a']}/withdraw", headers=provider, json={})
    assert withdrawn.status_code == 200, withdrawn.text
    assert _api_queue(page_client, as_user("jj_bureau")) == [profile]
    assert _page_queue(page_client, "jj_bureau") == [profile]
    assert _api_queue(page_client, as_user("xx_bureau")) == _page_queue(page_client, "xx_bureau") == [other]
    assert _api_queue(page_client, provider) == []
    everything = page_client.get("/api/revisions", headers=provider).json()
    assert [r["id"] for r in everything["data"]] == [profile, kept]  # its own list: both, the latest first
