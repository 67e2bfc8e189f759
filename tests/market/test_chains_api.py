"""The chain API over the real app and database: graph, analysis, proposal, who sees what."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from catalog.chains import queries as chain_queries
from catalog.db import get_engine
from catalog.users.models import User


def test_leader_sees_its_chain_with_shared_needs_only(client, world, as_user) -> None:
    headers = as_user("chain_leader")
    leader = world.ids["leader"]
    graph = client.get(f"/api/chains/{leader}", headers=headers)
    assert graph.status_code == 200, graph.text
    data = graph.json()
    assert {n["id"] for n in data["nodes"]} == {str(leader), str(world.ids["member_sharing"]),
                                                str(world.ids["member_private"])}
    counts = {n["id"]: n["needs_count"] for n in data["nodes"]}
    assert counts[str(world.ids["member_sharing"])] == 1
    assert counts[str(world.ids["member_private"])] is None  # did not agree to share
    sharing = next(n for n in data["nodes"] if n["id"] == str(world.ids["member_sharing"]))
    assert sharing["progress"] == {"意向": 1}
    assert len(data["edges"]) == 2

    analysis = client.get(f"/api/chains/{leader}/analysis", headers=headers)
    assert analysis.status_code == 200, analysis.text
    text = json.dumps(analysis.json(), ensure_ascii=False)
    assert "停机" in text and analysis.json()["shared_needs"]["members_with_needs"] == 1
    assert "想上 MES" not in text  # the private member's need
    assert analysis.json()["shared_needs"]["members_hidden"] == 1
    assert "成员" in analysis.json()["glance"]["explanation_zh"]


def test_bureau_sees_all_needs_and_the_region_list(client, world, as_user) -> None:
    headers = as_user("jj_bureau")
    leader = world.ids["leader"]
    analysis = client.get(f"/api/chains/{leader}/analysis", headers=headers).json()
    assert analysis["shared_needs"]["members_with_needs"] == 2
    listing = client.get("/api/chains", headers=headers)
    assert listing.status_code == 200
    assert [c["leader_id"] for c in listing.json()["data"]] == [str(leader)]
    assert "产业链" in listing.json()["explanation_zh"]


def test_others_cannot_see_the_chain(client, world, as_user) -> None:
    leader = world.ids["leader"]
    response = client.get(f"/api/chains/{leader}", headers=as_user("xx_bureau"))
    assert response.status_code == 404 and "产业链" in response.json()["message"]  # not revealed
    for who in ("ent_sharing", "provider_a"):  # neither bureau nor chain leader: refused at the door
        response = client.get(f"/api/chains/{leader}", headers=as_user(who))
        assert response.status_code == 403 and response.json()["code"] == "wrong_role", who
    assert client.get(f"/api/chains/{leader}").status_code == 401
    assert client.get("/api/chains", headers=as_user("provider_a")).status_code == 403


def test_proposal_over_http(client, world, as_user) -> None:
    headers = as_user("chain_leader")
    leader = world.ids["leader"]
    response = client.post(f"/api/chains/{leader}/proposal", headers=headers,
                           json={"budget_wan": 50, "discount": 0.1})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["budget_wan"] == 50 and body["totals"]["group_total_wan"] <= 50
    assert "预算" in body["explanation_zh"]
    assert "想上 MES" not in json.dumps(body, ensure_ascii=False)
    bad = client.post(f"/api/chains/{leader}/proposal", headers=headers, json={"budget_wan": -1})
    assert bad.status_code == 422


def test_a_link_that_exists_already_is_a_conflict(client, world, as_user) -> None:
    body = {"leader_id": world.ids["leader"], "member_id": world.ids["member_sharing"], "relation": "供应商"}
    response = client.post("/api/chain-links", headers=as_user("jj_bureau"), json=body)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "duplicate_link" and "已存在" in response.json()["message"]


def test_the_link_list_is_catalogs_query_with_its_filter_and_orders(client, world, as_user, database_url) -> None:
    """GET /api/chain-links answers what catalog.chains.queries.list_links gives the same user,
    the one list a page or command would call; an order it does not offer is refused in Chinese."""
    headers = as_user("jj_bureau")
    listed = client.get("/api/chain-links", headers=headers, params={"sort": "-relation"}).json()
    with Session(get_engine(database_url)) as session:
        bureau = session.exec(select(User).where(User.username == "jj_bureau")).one()
        found = chain_queries.list_links(session=session, user=bureau,
                                         chosen=chain_queries.LinkFilter(sort="-relation"))
    assert [link["id"] for link in listed["data"]] == [link.id for link in found.rows] and listed["count"] == 2
    assert [link["relation"] for link in listed["data"]] == ["客户", "供应商"]
    suppliers = client.get("/api/chain-links", headers=headers, params={"relation": "供应商"}).json()
    assert [link["id"] for link in suppliers["data"]] == [world.ids["link_sharing"]]
    refused = client.get("/api/chain-links", headers=headers, params={"sort": "member_name"})
    assert refused.status_code == 422 and "不支持按“member_name”排序" in refused.json()["message"]
    assert client.get("/api/chain-links", headers=as_user("xx_bureau")).json()["count"] == 0
