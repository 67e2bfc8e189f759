"""The record rules of catalog/<feature>/permissions.py, on lists (scoping) and on single records."""

from __future__ import annotations

from sqlmodel import Session, select

from catalog import access
from catalog.chains import permissions as chain_rules
from catalog.db import get_engine
from catalog.events import permissions as event_rules
from catalog.exchange import permissions as exchange_rules
from catalog.leads import permissions as lead_rules
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution
from catalog.users.models import User


def _ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return {row["id"] for row in response.json()["data"]}


def test_public_sees_published_listings_of_published_providers_only(client, world) -> None:
    assert _ids(client.get("/api/providers")) == {world.ids["provider_a"], world.ids["provider_b"]}
    assert _ids(client.get("/api/solutions")) == {world.ids["sol_a"], world.ids["sol_b"]}
    assert _ids(client.get("/api/enterprises")) == set()


def test_bureau_sees_its_regions_only(client, world, as_user) -> None:
    jj, xx = as_user("jj_bureau"), as_user("xx_bureau")
    jj_enterprises = {world.ids[k] for k in ("leader", "member_sharing", "member_private")}
    assert _ids(client.get("/api/enterprises", headers=jj)) == jj_enterprises
    assert _ids(client.get("/api/enterprises", headers=xx)) == {world.ids["ent_xx"]}
    assert world.ids["sol_pp"] in _ids(client.get("/api/solutions", params={"per_page": 100}, headers=jj))
    assert world.ids["sol_pp"] not in _ids(client.get("/api/solutions", params={"per_page": 100}, headers=xx))
    assert _ids(client.get("/api/needs", headers=xx)) == {world.ids["need_xx"]}


def test_provider_sees_its_own_unpublished_listings(client, world, as_user) -> None:
    seen = _ids(client.get("/api/solutions", params={"per_page": 100}, headers=as_user("provider_a")))
    assert seen == {world.ids[k] for k in ("sol_a", "sol_a_pending", "sol_a_suspended", "sol_b")}


def test_chain_leader_sees_members_and_only_shared_needs(client, world, as_user) -> None:
    leader = as_user("chain_leader")
    members = {world.ids[k] for k in ("leader", "member_sharing", "member_private")}
    assert _ids(client.get("/api/enterprises", headers=leader)) == members
    assert _ids(client.get("/api/needs", headers=leader)) == {world.ids["need_leader"], world.ids["need_sharing"]}
    assert _ids(client.get("/api/chain-links", headers=leader)) == {world.ids["link_sharing"], world.ids["link_private"]}


def test_enterprise_sees_and_edits_only_itself(client, world, as_user) -> None:
    ent = as_user("ent_sharing")
    assert _ids(client.get("/api/enterprises", headers=ent)) == {world.ids["member_sharing"]}
    assert _ids(client.get("/api/needs", headers=ent)) == {world.ids["need_sharing"]}
    mine = client.get(f"/api/enterprises/{world.ids['member_sharing']}", headers=ent).json()
    ok = client.patch(f"/api/enterprises/{mine['id']}", headers=ent,
                      json={"version": mine["version"], "findable_by_providers": True})
    assert ok.status_code == 200 and ok.json()["findable_by_providers"] is True
    moved = client.patch(f"/api/enterprises/{mine['id']}", headers=ent,
                         json={"version": ok.json()["version"], "region": "河南省新乡市"})
    assert moved.status_code == 403
    other = client.patch(f"/api/needs/{world.ids['need_private']}", headers=ent, json={"version": 1, "text": "x"})
    assert other.status_code == 404


def test_provider_edits_own_profile_but_not_identity(client, world, as_user) -> None:
    provider = as_user("provider_a")
    pid = world.ids["provider_a"]
    current = client.get(f"/api/providers/{pid}", headers=provider).json()
    edited = client.patch(f"/api/providers/{pid}", headers=provider,
                          json={"version": current["version"], "description": "新增 MES 实施团队"})
    assert edited.status_code == 200 and edited.json()["status"] == "已入库"  # the edit waits as a revision
    assert edited.json()["pending_revision_id"]
    uscc = client.patch(f"/api/providers/{pid}", headers=provider,
                        json={"version": edited.json()["version"], "uscc": "91360400MA35ABCD19"})
    assert uscc.status_code == 403
    other = client.patch(f"/api/providers/{world.ids['provider_b']}", headers=provider, json={"version": 1})
    assert other.status_code == 403


def test_provider_withdraws_its_own_listing_only(client, world, as_user) -> None:
    mine = client.post(f"/api/solutions/{world.ids['sol_a']}/withdraw", headers=as_user("provider_a"), json={})
    assert mine.status_code == 200 and mine.json()["status"] == "退出"
    other = client.post(f"/api/solutions/{world.ids['sol_b']}/withdraw", headers=as_user("provider_a"), json={})
    assert other.status_code == 403


def test_bureau_hands_out_accounts_only_in_its_regions(client, world, as_user) -> None:
    body = {"username": "new_provider_user", "password": "initial-pass-1", "role": "provider",
            "provider_id": world.ids["provider_b"]}
    assert client.post("/api/users", headers=as_user("jj_bureau"), json=body).status_code == 403
    created = client.post("/api/users", headers=as_user("xx_bureau"), json=body)
    assert created.status_code == 201 and "password_hash" not in created.json()
    wide = {"username": "wide_bureau", "password": "initial-pass-1", "role": "bureau", "regions": ["河南省"]}
    assert client.post("/api/users", headers=as_user("xx_bureau"), json=wide).status_code == 403


def test_can_on_records(world, database_url) -> None:
    with Session(get_engine(database_url)) as session:
        users = {u.username: u for u in session.exec(select(User)).all()}
        pending = session.get(Solution, world.ids["sol_a_pending"])
        assert solution_rules.can(users["jj_bureau"], access.CHANGE_STATUS, pending)
        assert not solution_rules.can(users["xx_bureau"], access.CHANGE_STATUS, pending)
        assert solution_rules.can(users["provider_a"], access.EDIT, pending)
        assert not solution_rules.can(users["provider_a"], access.CHANGE_STATUS, pending)
        assert not solution_rules.can(users["provider_a"], access.SET_EXCELLENT, pending)
        assert not solution_rules.can(None, access.VIEW, pending)
        assert exchange_rules.can_import(users["jj_bureau"]) and not exchange_rules.can_export(users["provider_a"])
        users["jj_bureau"].active = False
        assert not solution_rules.can(users["jj_bureau"], access.CHANGE_STATUS, pending)


def _user(session: Session, username: str) -> User:
    return session.exec(select(User).where(User.username == username)).one()


def test_event_chain_and_lead_rules_live_here(world, database_url) -> None:
    from catalog.enterprises.models import Enterprise
    from catalog.events.models import Event, EventParticipant
    from catalog.providers.models import Provider

    with Session(get_engine(database_url)) as session:
        jj, xx, prov, ent, leader = (_user(session, n) for n in
                                     ("jj_bureau", "xx_bureau", "provider_a", "ent_sharing", "chain_leader"))
        event = Event(title="测试", region="江西省九江市", status="草稿")
        assert event_rules.manages_event(jj, event) and not event_rules.manages_event(xx, event)
        legacy = Event(title="无地区", created_by="bureau:jj_bureau")
        assert event_rules.manages_event(jj, legacy) and not event_rules.manages_event(xx, legacy)
        assert not event_rules.manages_event(xx, Event(title="无地区")) and not event_rules.manages_event(prov, event)
        assert event_rules.can_view_event(jj, event) and not event_rules.can_view_event(ent, event)
        event.status = "报名中"
        assert event_rules.can_view_event(ent, event) and not event_rules.can_view_event(None, event)
        mine = EventParticipant(event_id=1, side="enterprise", enterprise_id=world.ids["member_sharing"])
        theirs = EventParticipant(event_id=1, side="provider", provider_id=world.ids["provider_b"])
        assert event_rules.own_participant(ent, mine) and not event_rules.own_participant(prov, mine)
        assert event_rules.own_participant(prov, EventParticipant(event_id=1, side="provider", provider_id=prov.provider_id))
        assert not event_rules.own_participant(prov, theirs) and not event_rules.own_participant(None, mine)
        chain = session.get(Enterprise, world.ids["leader"])
        assert chain_rules.can_view_chain(jj, chain) and chain_rules.can_view_chain(leader, chain)
        assert not chain_rules.can_view_chain(xx, chain) and not chain_rules.can_view_chain(ent, chain)
        sharing, private = session.get(Enterprise, world.ids["member_sharing"]), session.get(Enterprise, world.ids["member_private"])
        assert chain_rules.can_see_progress(leader, sharing) and not chain_rules.can_see_progress(leader, private)
        assert chain_rules.can_see_progress(jj, private) and not chain_rules.can_see_progress(xx, private)
        pa, pb = session.get(Provider, world.ids["provider_a"]), session.get(Provider, world.ids["provider_b"])
        assert lead_rules.can_view_leads(prov, pa) and lead_rules.can_view_leads(jj, pa)
        assert not lead_rules.can_view_leads(prov, pb) and not lead_rules.can_view_leads(xx, pa) and not lead_rules.can_view_leads(ent, pa)
        sharing.share_budget = False
        assert not lead_rules.lead_shows_budget(sharing)
        sharing.share_budget = True
        assert lead_rules.lead_shows_budget(sharing)
