"""Matching API through the real app: matches, bundle, and the provider-leads privacy rule."""

from __future__ import annotations

from sqlmodel import Session
from web_builders import World, need, serve_only, solution

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise


def _update_enterprise(database_url: str, enterprise_id: int, **fields: object) -> None:
    with Session(get_engine(database_url)) as session:
        record = session.get(Enterprise, enterprise_id)
        assert record is not None
        for key, value in fields.items():
            setattr(record, key, value)
        session.add(record)
        session.commit()


def test_enterprise_sees_its_matches_with_explanations(client, world: World, as_user) -> None:
    response = client.get(f"/api/enterprises/{world.ids['member_sharing']}/matches?k=3",
                          headers=as_user("ent_sharing"))
    assert response.status_code == 200, response.text
    body = response.json()
    matches = body["needs"][0]["matches"]
    assert matches[0]["solution_id"] == world.ids["sol_a"]  # 设备点检云 for 设备老是突然停机
    assert {c["name"] for c in matches[0]["components"]} >= {"text", "scenario", "industry"}
    assert all(c["reason"] for c in matches[0]["components"])
    shown = {m["solution_id"] for n in body["needs"] for m in n["matches"]}
    assert not shown & {world.ids["sol_a_pending"], world.ids["sol_a_suspended"], world.ids["sol_pp"]}


def test_others_cannot_see_an_enterprises_matches(client, world: World, as_user) -> None:
    url = f"/api/enterprises/{world.ids['member_sharing']}/matches"
    assert client.get(url, headers=as_user("ent_private")).status_code == 404
    assert client.get(url, headers=as_user("provider_a")).status_code in (403, 404)
    assert client.get(url).status_code == 401


def test_bundle_names_the_city_policy_and_splits_the_cost(client, world: World, as_user,
                                                          database_url: str) -> None:
    _update_enterprise(database_url, world.ids["ent_xx"], level="二级", budget_wan=20)
    response = client.get(f"/api/enterprises/{world.ids['ent_xx']}/bundle",
                          headers=as_user("xx_bureau"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert "新乡" in body["policy"]
    assert abs(body["total_wan"] - body["subsidy_wan"] - body["net_wan"]) < 1e-6
    assert body["budget_wan"] == 20


def test_leads_only_from_enterprises_that_opted_in_and_budget_only_if_shared(
        client, world: World, as_user, database_url: str) -> None:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        private = session.get(Enterprise, world.ids["member_private"])
        need(session, private, "循环水泵和风机老是坏，想做设备点检和预测性维护", budget_wan=12)
        solution(session, world.ids["provider_a"], "JJ-009", "设备预测性维护")
        session.commit()
    url = f"/api/providers/{world.ids['provider_a']}/leads"
    # nobody opted in yet: no leads, although the sharing member's need fits perfectly
    response = client.get(url, headers=as_user("provider_a"))
    assert response.status_code == 200, response.text
    assert response.json()["leads"] == []
    _update_enterprise(database_url, world.ids["member_private"], findable_by_providers=True,
                       budget_wan=80)
    leads = client.get(url, headers=as_user("provider_a")).json()["leads"]
    assert leads and {lead["enterprise_id"] for lead in leads} == {world.ids["member_private"]}
    assert all("budget" not in key for lead in leads for key in lead)
    assert all("预算" not in reason for lead in leads for reason in lead["reasons"])
    _update_enterprise(database_url, world.ids["member_private"], share_budget=True)
    shared = client.get(url, headers=as_user("provider_a")).json()["leads"]
    assert any(lead.get("enterprise_budget_wan") == 80 for lead in shared)


def test_a_provider_cannot_read_another_providers_leads(client, world: World, as_user) -> None:
    url = f"/api/providers/{world.ids['provider_a']}/leads"
    assert client.get(url, headers=as_user("provider_b")).status_code == 403
    assert client.get(url, headers=as_user("ent_sharing")).status_code == 403


def test_an_enterprise_sharing_an_event_with_the_provider_is_a_lead(
        client, world: World, as_user, database_url: str) -> None:
    from catalog.events.models import Event, EventParticipant

    url = f"/api/providers/{world.ids['provider_a']}/leads"
    assert client.get(url, headers=as_user("provider_a")).json()["leads"] == []
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        sharing = session.get(Enterprise, world.ids["member_sharing"])
        left_home = need(session, sharing, "循环水泵和风机老是坏，想做设备点检和预测性维护")  # fits, not brought
        event = Event(title="设备运维供需对接会", region="江西省九江市")
        session.add(event)
        session.flush()
        session.add(EventParticipant(event_id=event.id, side="provider",
                                     provider_id=world.ids["provider_a"]))
        session.add(EventParticipant(event_id=event.id, side="enterprise", enterprise_id=world.ids["member_sharing"],
                                     consented=True, need_ids=[world.ids["need_sharing"]]))
        session.commit()
    leads = client.get(url, headers=as_user("provider_a")).json()["leads"]
    assert [lead["need_id"] for lead in leads] == [world.ids["need_sharing"]]  # only the need it brought
    assert all("budget" not in key for lead in leads for key in lead)
    refused = client.post(f"{url}/{left_home.id}", json={"answer": "已联系"}, headers=as_user("provider_a"))
    assert refused.status_code == 404, refused.text


def test_matches_leave_out_providers_that_do_not_serve_the_enterprise_unless_asked(
        client, world: World, as_user, database_url: str) -> None:
    serve_only(database_url, world.ids["provider_a"], ["新疆维吾尔自治区"])
    url = f"/api/enterprises/{world.ids['member_sharing']}/matches"
    body = client.get(url, headers=as_user("ent_sharing")).json()
    shown = {m["solution_id"] for n in body["needs"] for m in n["matches"]}
    assert world.ids["sol_a"] not in shown  # 九江云联 now serves only 新疆
    wider = client.get(url, params={"outside": "true"}, headers=as_user("ent_sharing")).json()
    far = [m for n in wider["needs"] for m in n["matches"] if m["solution_id"] == world.ids["sol_a"]]
    assert far and far[0]["outside_region"] is True
    assert all(not m["outside_region"] for n in body["needs"] for m in n["matches"])


def test_a_provider_gets_no_leads_from_regions_it_does_not_serve(client, world: World, as_user,
                                                                   database_url: str) -> None:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        private = session.get(Enterprise, world.ids["member_private"])
        need(session, private, "循环水泵和风机老是坏，想做设备点检和预测性维护")
        session.commit()
    _update_enterprise(database_url, world.ids["member_private"], findable_by_providers=True)
    url = f"/api/providers/{world.ids['provider_a']}/leads"
    assert client.get(url, headers=as_user("provider_a")).json()["leads"]  # 九江 and an opted-in 九江 firm
    serve_only(database_url, world.ids["provider_a"], ["河南省"])
    assert client.get(url, headers=as_user("provider_a")).json()["leads"] == []


def test_a_provider_answers_its_leads_and_the_bureau_sees_who_contacted_whom(
        client, world: World, as_user, database_url: str) -> None:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        private = session.get(Enterprise, world.ids["member_private"])
        lead_need = need(session, private, "循环水泵和风机老是坏，想做设备点检和预测性维护")
        session.commit()
    url = f"/api/providers/{world.ids['provider_a']}/leads"
    answer = f"{url}/{lead_need.id}"
    not_yet = client.post(answer, json={"answer": "已联系"}, headers=as_user("provider_a"))
    assert not_yet.status_code == 404  # the firm has not agreed to be found: not a lead
    _update_enterprise(database_url, world.ids["member_private"], findable_by_providers=True)
    bad = client.post(answer, json={"answer": "已签约"}, headers=as_user("provider_a"))
    assert bad.status_code == 422 and "answer" in bad.text
    long_note = client.post(answer, json={"answer": "已联系", "note": "长" * 501}, headers=as_user("provider_a"))
    assert long_note.status_code == 422
    done = client.post(answer, json={"answer": "已联系", "note": "已电话沟通，下周上门"}, headers=as_user("provider_a"))
    assert done.status_code == 200, done.text
    lead = next(x for x in client.get(url, headers=as_user("provider_a")).json()["leads"]
                if x["need_id"] == lead_need.id)
    assert (lead["answer"], lead["answer_note"]) == ("已联系", "已电话沟通，下周上门")
    seen = client.get("/api/leads/contacts", headers=as_user("jj_bureau")).json()["contacts"]
    assert [(c["provider_id"], c["enterprise_id"], c["answer"]) for c in seen] == [
        (world.ids["provider_a"], world.ids["member_private"], "已联系")]
    assert client.get("/api/leads/contacts", headers=as_user("xx_bureau")).json()["contacts"] == []
    assert client.post(answer, json={"answer": "不相关"}, headers=as_user("jj_bureau")).status_code == 403
    again = client.post(answer, json={"answer": "不相关"}, headers=as_user("provider_a"))
    assert again.json()["answer"] == "不相关"
    assert len(client.get("/api/leads/contacts", headers=as_user("jj_bureau")).json()["contacts"]) == 1


def test_a_providers_leads_are_bounded_by_the_lead_rule(client, world, as_user) -> None:  # type: ignore[no-untyped-def]
    from catalog.leads.models import LEADS_MAX

    url = f"/api/providers/{world.ids['provider_a']}/leads"
    headers = as_user("provider_a")
    too_many = client.get(url, params={"limit": LEADS_MAX + 1}, headers=headers)
    assert too_many.status_code == 422 and "limit" in too_many.text
    assert client.get(url, params={"limit": LEADS_MAX}, headers=headers).status_code == 200
