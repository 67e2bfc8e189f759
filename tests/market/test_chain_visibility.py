"""Who sees a chain, over HTTP (API and pages) and the CLI: the bureau of the leader's region and
the leader's chain-leader account; a member, the leader's plain enterprise account, a provider,
a bureau elsewhere and the public are refused. The offerings a chain's leader uses, and the
proposal's bounds, are the chain rules' (catalog/chains) for the API, the pages and the CLI alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner
from web_builders import World, enterprise, link, solution, user

from catalog.chains import permissions as chain_rules
from catalog.chains.schemas import PROPOSAL_BOUNDS_ZH
from catalog.db import get_engine
from catalog.engagements import service as engagement_service
from catalog.engagements.models import Engagement
from catalog.engagements.schemas import EngagementCreate
from catalog.enterprises.models import Enterprise
from catalog.users.models import Role, User
from market.cli import app
from market.settings import get_settings

HTML = {"Accept": "text/html"}


@pytest.fixture
def extra_users(database_url: str, world: World) -> dict[str, int]:
    """Beside the test pilot's users: an enterprise (not chain-leader) account of the leader's own
    enterprise, the chain-leader account of another chain, and a disabled chain-leader account."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        other = enterprise(session, "九江另一链主有限公司", "江西省九江市")
        member = enterprise(session, "九江另一配套有限公司", "江西省九江市")
        link(session, other.id, member.id)
        user(session, "leader_staff", Role.ENTERPRISE, enterprise_id=world.ids["leader"])
        user(session, "other_leader", Role.CHAIN_LEADER, enterprise_id=other.id)
        user(session, "leader_disabled", Role.CHAIN_LEADER, enterprise_id=world.ids["leader"], active=False)
        session.commit()
        return {"other_leader_enterprise": other.id or 0}


# username → may view the test pilot's chain (None: anonymous)
MATRIX = {
    "jj_bureau": True, "chain_leader": True,
    "xx_bureau": False, "ent_sharing": False, "ent_private": False, "provider_a": False,
    "leader_staff": False, "other_leader": False, "leader_disabled": False, None: False,
}


def test_the_rule_itself_for_each_role(database_url: str, world: World, extra_users: dict[str, int]) -> None:
    with Session(get_engine(database_url)) as session:
        leader = session.get(Enterprise, world.ids["leader"])
        assert leader is not None
        for username, allowed in MATRIX.items():
            who = None if username is None else session.exec(select(User).where(User.username == username)).one()
            assert chain_rules.can_view_chain(who, leader) is allowed, username


@pytest.mark.parametrize("username", [u for u in MATRIX if u not in ("leader_disabled",)])
def test_api_and_pages_follow_the_rule(client, world: World, as_user, extra_users, username) -> None:  # type: ignore[no-untyped-def]
    leader, link_id = world.ids["leader"], world.ids["link_sharing"]
    headers = as_user(username)
    graph = client.get(f"/api/chains/{leader}", headers=headers)
    analysis = client.get(f"/api/chains/{leader}/analysis", headers=headers)
    one_link = client.get(f"/api/chain-links/{link_id}", headers=headers)
    page = client.get(f"/chains/{leader}", headers={**headers, **HTML}, follow_redirects=False)
    responses = {"graph": graph, "analysis": analysis, "link": one_link, "page": page}
    if MATRIX[username]:
        assert {k: r.status_code for k, r in responses.items()} == dict.fromkeys(responses, 200), username
        assert "九江石化链主集团" in page.text
        return
    for name, response in responses.items():
        assert response.status_code in (401, 403, 404), (username, name, response.status_code)
        assert "九江化工配套" not in response.text, (username, name)  # nothing of the chain leaks
    if username is None:
        assert graph.status_code == 401 and "请先登录" in graph.json()["message"]
    elif username in ("xx_bureau", "other_leader"):  # may use chains, not this one: not revealed
        assert graph.status_code == 404 and graph.json()["code"] == "chain_not_found"
    listed = client.get("/api/chain-links", headers=headers)
    if listed.status_code == 200:
        assert link_id not in {row["id"] for row in listed.json()["data"]}, username


def test_the_overview_lists_only_chains_the_user_may_view(client, world: World, as_user, extra_users) -> None:  # type: ignore[no-untyped-def]
    other = str(extra_users["other_leader_enterprise"])
    bureau = {c["leader_id"] for c in client.get("/api/chains", headers=as_user("jj_bureau")).json()["data"]}
    assert bureau == {str(world.ids["leader"]), other}
    mine = {c["leader_id"] for c in client.get("/api/chains", headers=as_user("other_leader")).json()["data"]}
    assert mine == {other}
    assert client.get("/api/chains", headers=as_user("xx_bureau")).json()["data"] == []


@pytest.fixture
def run(database_url: str, world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator:  # type: ignore[type-arg]
    monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, ["chains", *args])
    get_settings.cache_clear()


def test_the_cli_follows_the_rule(run, world: World, extra_users) -> None:  # type: ignore[no-untyped-def]
    leader = str(world.ids["leader"])
    assert run("analyse", leader, "--as", "chain_leader", "--json").exit_code == 0
    for username in ("leader_staff", "ent_sharing", "provider_a", "xx_bureau", "other_leader"):
        result = run("analyse", leader, "--as", username, "--json")
        assert result.exit_code == 1 and "无权查看" in result.output, username


def test_the_leaders_systems_are_its_offerings_from_signing_on(client, database_url: str, world: World,
                                                               as_user) -> None:  # type: ignore[no-untyped-def]
    """链主在用系统: an offering the leader only intends to take is not in use; once signed it is."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        srm = solution(session, world.ids["provider_a"], "JJ-201", "供应商协同门户",
                       scenarios=["供应链协同"], description="供应商协同门户：订单、送货与对账协同")
        engagement = engagement_service.create_engagement(
            session=session, data=EngagementCreate(enterprise_id=world.ids["leader"], solution_id=srm.id),
            actor="test")
        session.commit()
    url = f"/api/chains/{world.ids['leader']}/analysis"

    def systems() -> list[str]:
        response = client.get(url, headers=as_user("chain_leader"))
        assert response.status_code == 200, response.text
        return [s["source"] for s in response.json()["leader_systems"]]

    assert f"在用方案 {srm.id}" not in systems()  # 意向: not in use yet
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        record = session.get(Engagement, engagement.id)
        assert record is not None
        engagement_service.sign(session=session, engagement=record, amount_wan=12, contract_date=date(2026, 3, 1),
                                actor="test")
        session.commit()
    assert f"在用方案 {srm.id}" in systems()


def test_the_proposal_bounds_are_one_rule(client, world: World, as_user, run) -> None:  # type: ignore[no-untyped-def]
    leader = world.ids["leader"]
    headers = as_user("chain_leader")
    api = client.post(f"/api/chains/{leader}/proposal", headers=headers, json={"budget_wan": 50, "discount": 0.6})
    assert api.status_code == 422, api.text
    page = client.get(f"/chains/{leader}/proposal?budget_wan=50&discount=0.6", headers={**headers, **HTML})
    assert page.status_code in (400, 422) and page.status_code < 500
    assert client.get(f"/chains/{leader}/proposal?budget_wan=50&discount=0.5", headers={**headers, **HTML}
                      ).status_code == 200
    cli = run("propose", str(leader), "--as", "chain_leader", "--budget", "50", "--group-min", "1", "--json")
    assert cli.exit_code == 2 and "group_min" in cli.output and PROPOSAL_BOUNDS_ZH[:10] in cli.output
    ok = run("propose", str(leader), "--as", "chain_leader", "--budget", "50", "--json")
    assert ok.exit_code == 0 and json.loads(ok.output)["discount"] == 0.1


def test_a_leader_with_no_members_is_one_answer_at_every_door(client, world: World, as_user, run) -> None:  # type: ignore[no-untyped-def]
    """An enterprise the bureau may view that leads no chain yet (catalog.chains.queries.load_leader):
    the API, the page and the CLI all say it has no members registered."""
    lone = world.ids["member_sharing"]
    said = "九江化工配套有限公司 尚未登记产业链成员"
    headers = as_user("jj_bureau")
    for response in (client.get(f"/api/chains/{lone}", headers=headers),
                     client.get(f"/api/chains/{lone}/analysis", headers=headers),
                     client.post(f"/api/chains/{lone}/proposal", headers=headers, json={"budget_wan": 50})):
        assert response.status_code == 404 and response.json() == {"code": "chain_not_found", "message": said}
    page = client.get(f"/chains/{lone}", headers={**headers, **HTML})
    assert page.status_code == 404 and said in page.text
    for args in (("analyse", str(lone)), ("propose", str(lone), "--budget", "50")):
        result = run(*args, "--as", "jj_bureau")
        assert result.exit_code == 1 and said in result.output, args
