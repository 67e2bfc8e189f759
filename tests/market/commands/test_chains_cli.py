"""`market chains …`: the chain analyses from the command line, as a named user under the
app's own rules."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner
from web_builders import World

from market.cli import app
from market.settings import get_settings


@pytest.fixture
def run(database_url: str, world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator:  # type: ignore[type-arg]
    monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, ["chains", *args])
    get_settings.cache_clear()


def test_the_leader_analyses_its_chain_and_sees_only_shared_needs(run, world: World) -> None:  # type: ignore[no-untyped-def]
    leader = str(world.ids["leader"])
    result = run("analyse", leader, "--as", "chain_leader", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["glance"]["member_count"] == 2
    assert {m["name"] for m in data["critical"]} == {"九江化工配套有限公司", "九江助剂材料有限公司"}
    assert "想上 MES" not in result.output  # the private member's need stays private

    proposal = run("propose", leader, "--as", "chain_leader", "--budget", "50", "--json")
    assert proposal.exit_code == 0, proposal.output
    assert "万元" in json.loads(proposal.output)["explanation_zh"]

    shown = run("overview", "--as", "jj_bureau")
    assert shown.exit_code == 0 and "九江石化链主集团有限公司" in shown.output


def test_other_users_and_bad_options_are_refused(run, world: World) -> None:  # type: ignore[no-untyped-def]
    leader = str(world.ids["leader"])
    hidden = run("analyse", leader, "--as", "provider_a")
    assert hidden.exit_code == 1 and "未找到该产业链，或无权查看" in hidden.output
    stranger = run("analyse", leader, "--as", "nobody")
    assert stranger.exit_code == 1 and "未找到可用的用户：nobody" in stranger.output
    bad = run("propose", leader, "--as", "chain_leader", "--budget", "-5")
    assert bad.exit_code == 2 and "budget_wan" in bad.output
