"""One review rule behind every front door (catalog/providers/review.py): the review page, the
status API and the bulk actions all approve, send back or refuse a listing in 待审核 the same
way, ask a remark to send back or refuse, and tell the provider the outcome."""

from __future__ import annotations

from typing import Any

from page_helpers import flashes, login, post_form
from sqlmodel import Session

from catalog.db import get_engine
from catalog.providers.models import Provider
from catalog.solutions.models import Solution


def _state(url: str, model: type, record_id: int) -> tuple[str, str | None]:
    with Session(get_engine(url)) as session:
        record = session.get(model, record_id)
        assert record is not None
        return str(record.status), record.review_remark


def _titles(client: Any, headers: dict[str, str]) -> list[str]:
    response = client.get("/api/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return [m["title"] for m in response.json()["data"]]


def test_refusing_or_returning_needs_a_remark_through_the_api(client, world, as_user, database_url) -> None:
    bureau, sid = as_user("jj_bureau"), world.ids["sol_a_pending"]
    for status in ("退出", "待审核"):
        refused = client.post(f"/api/solutions/{sid}/status", headers=bureau, json={"status": status})
        assert refused.status_code == 422 and refused.json()["code"] == "remark_required", refused.text
    assert client.post(f"/api/solutions/{sid}/status", headers=bureau, json={"status": "暂停"}).status_code == 409
    assert _state(database_url, Solution, sid) == ("待审核", None)
    assert _titles(client, as_user("provider_a")) == []


def test_the_api_sends_back_as_the_page_does(client, world, as_user, database_url) -> None:
    sid = world.ids["sol_a_pending"]
    returned = client.post(f"/api/solutions/{sid}/status", headers=as_user("jj_bureau"),
                           json={"status": "待审核", "remark": "请补充案例"})
    assert returned.status_code == 200, returned.text
    assert _state(database_url, Solution, sid) == ("待审核", "请补充案例")
    assert _titles(client, as_user("provider_a")) == ["产品“能耗监测平台”被退回修改"]
    approved = client.post(f"/api/solutions/{sid}/status", headers=as_user("jj_bureau"), json={"status": "已入库"})
    assert approved.status_code == 200 and _state(database_url, Solution, sid) == ("已入库", None)
    assert _titles(client, as_user("provider_a"))[0] == "产品“能耗监测平台”已通过审核"


def test_the_page_refuses_and_tells_the_provider(page_client, world, as_user, database_url) -> None:
    login(page_client, "jj_bureau")
    url = f"/bureau/review/provider/{world.ids['provider_pending']}"
    post_form(page_client, url, {"decision": "refuse", "remark": ""})
    assert "需要填写审核意见" in flashes(page_client, url)
    assert _state(database_url, Provider, world.ids["provider_pending"]) == ("待审核", None)
    response = post_form(page_client, url, {"decision": "refuse", "remark": "资料不实"})
    assert response.status_code == 303 and response.headers["location"] == "/bureau/review"
    assert _state(database_url, Provider, world.ids["provider_pending"]) == ("退出", "资料不实")
    again = post_form(page_client, url, {"decision": "approve", "remark": ""})
    assert again.headers["location"] == "/bureau/review"
    assert "已不在待审核状态" in flashes(page_client, "/bureau/review")


def test_bulk_retiring_a_pending_listing_is_a_refusal(page_client, world, as_user, database_url) -> None:
    login(page_client, "jj_bureau")
    sid = str(world.ids["sol_a_pending"])
    post_form(page_client, "/bureau/solutions/bulk", {"ids": [sid], "action": "retire"}, page="/bureau/solutions")
    assert "需要填写审核意见" in flashes(page_client, "/bureau/solutions")
    assert _state(database_url, Solution, int(sid)) == ("待审核", None)
    post_form(page_client, "/bureau/solutions/bulk", {"ids": [sid], "action": "retire", "remark": "不符合遴选条件"},
              page="/bureau/solutions")
    assert _state(database_url, Solution, int(sid)) == ("退出", "不符合遴选条件")
    assert _titles(page_client, as_user("provider_a")) == ["产品“能耗监测平台”未通过审核"]
