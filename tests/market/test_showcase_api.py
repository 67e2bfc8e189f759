"""The product page's record through the API: cases its provider keeps, ratings only from
the enterprise that accepted (once, with its words), and 申请对接 with messages that the
enterprise, the provider and the bureau share."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from web_builders import World


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_a_provider_keeps_the_cases_of_its_product(client: TestClient, world: World, as_user: Any) -> None:
    url = f"/api/solutions/{world.ids['sol_a']}/cases"
    case = {"client_industry": "化学原料和化学制品制造业", "problem": "循环泵突发停机", "result": "停机次数减少三成"}
    made = _ok(client.post(url, json=case, headers=as_user("provider_a")), 201)
    assert _ok(client.get(url))["cases"] == [made]  # the public sees it on the product page
    assert client.post(url, json=case, headers=as_user("provider_b")).status_code in (403, 404)
    unproven = client.post(url, json={**case, "engagement_id": world.ids["engagement"]}, headers=as_user("provider_a"))
    assert unproven.status_code == 422 and "已验收" in unproven.json()["message"]  # still 意向
    empty = client.post(url, json={**case, "problem": " "}, headers=as_user("provider_a"))
    assert empty.status_code == 422 and "problem" in empty.text
    assert client.delete(f"{url}/{made['id']}", headers=as_user("provider_a")).status_code == 204
    assert _ok(client.get(url))["cases"] == []


def test_an_enterprise_asks_for_contact_and_both_sides_and_the_bureau_talk(
        client: TestClient, world: World, as_user: Any) -> None:
    url = f"/api/solutions/{world.ids['sol_b']}/contact"
    asked = _ok(client.post(url, json={"message": "想了解起重机远程运维"}, headers=as_user("ent_private")), 201)
    assert asked["status"] == "意向"
    again = client.post(url, json={"message": "再问一次"}, headers=as_user("ent_private"))
    assert again.status_code == 409
    assert client.post(url, json={"message": "x"}, headers=as_user("provider_a")).status_code == 403
    messages = f"/api/engagements/{asked['engagement_id']}/messages"
    _ok(client.post(messages, json={"text": "您好，明天电话联系"}, headers=as_user("provider_b")), 201)
    seen = _ok(client.get(messages, headers=as_user("ent_private")))["messages"]
    assert [(m["side"], m["text"]) for m in seen] == [("企业", "想了解起重机远程运维"), ("服务商", "您好，明天电话联系")]
    assert _ok(client.get(messages, headers=as_user("jj_bureau")))["messages"] == seen  # the firm is in 九江
    assert client.get(messages, headers=as_user("ent_sharing")).status_code == 404
    assert client.post(messages, json={"text": "长" * 501}, headers=as_user("ent_private")).status_code == 422


def test_ratings_come_once_from_the_accepting_enterprise_and_show_on_the_product(
        client: TestClient, world: World, as_user: Any) -> None:
    gid = world.ids["engagement"]  # 九江化工配套 × 设备点检云, 意向
    ent, provider, bureau = as_user("ent_sharing"), as_user("provider_a"), as_user("jj_bureau")
    for headers, step, body in [
        (provider, "sign", {"amount_wan": 12, "contract_date": "2026-03-01"}), (ent, "start", {}),
        (ent, "acceptance", {"acceptance_date": "2026-06-01", "level_before": "一级", "level_after": "二级"}),
        (bureau, "acceptance/confirm", {}),
    ]:
        _ok(client.post(f"/api/engagements/{gid}/{step}", headers=headers, json=body))
    assert client.post(f"/api/engagements/{gid}/rating", json={"rating": 5}, headers=provider).status_code == 403
    _ok(client.post(f"/api/engagements/{gid}/rating", json={"rating": 4, "review": "上线快，点检不再漏项"}, headers=ent))
    twice = client.post(f"/api/engagements/{gid}/rating", json={"rating": 1}, headers=ent)
    assert twice.status_code == 409
    reviews = _ok(client.get(f"/api/solutions/{world.ids['sol_a']}/reviews"))
    assert (reviews["average"], reviews["count"]) == (4.0, 1)
    assert reviews["items"][0]["review"] == "上线快，点检不再漏项" and "九江化工" not in reviews["items"][0]["by"]
    proven = client.post(f"/api/solutions/{world.ids['sol_a']}/cases", headers=provider, json={
        "client_industry": "化工", "problem": "点检漏项", "result": "点检覆盖率 100%", "engagement_id": gid})
    assert proven.status_code == 201
