"""Chain pages on the dev set: list, chain page, proposal, xlsx, printable page; and in Chromium
the graph draws from the API with no request leaving the machine."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from page_helpers import login
from sqlmodel import Session, select

from catalog.chains.models import ChainLink
from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.exchange.imports import import_paths
from catalog.users import service as catalog_users
from catalog.users.models import Role

DEV_DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "dev"
PASSWORD = "demo-pass-123"


@pytest.fixture
def dev_chains(database_url: str) -> dict[str, int]:
    """The dev set imported; a bureau over its three cities and one user per chain leader."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        import_paths(session=session, paths=[DEV_DATA], actor="test")
        leaders = sorted(set(session.exec(select(ChainLink.leader_id)).all()))
        names = {}
        for i, leader_id in enumerate(leaders):
            ent = session.get(Enterprise, leader_id)
            assert ent is not None
            names[ent.name] = leader_id
            catalog_users.create_user(session=session, actor="tester", username=f"leader{i}", password=PASSWORD,
                                      role=Role.CHAIN_LEADER, enterprise_id=leader_id)
        catalog_users.create_user(session=session, actor="tester", username="dev_bureau", password=PASSWORD, role=Role.BUREAU,
                                  regions=["江西省九江市", "河南省新乡市", "新疆维吾尔自治区昌吉回族自治州"])
        session.commit()
    return names


def test_bureau_list_and_every_dev_chain_page(client, dev_chains) -> None:
    login(client, "dev_bureau", PASSWORD)
    listing = client.get("/chains")
    assert listing.status_code == 200
    for name in dev_chains:
        assert name in listing.text
    assert "同时在多条产业链中的企业" in listing.text
    for leader_id in dev_chains.values():
        page = client.get(f"/chains/{leader_id}")
        assert page.status_code == 200, page.text
        for part in ("产业链图", "关键成员", "共性需求", "链主系统", "对接进展", "低于二级"):
            assert part in page.text
        assert 'src="/static/chain_graph.js"' in page.text and "<script>" not in page.text


def test_leader_is_sent_to_its_chain_and_gets_the_proposal(client, dev_chains) -> None:
    login(client, "leader0", PASSWORD)
    leader_id = min(dev_chains.values())
    first = client.get("/chains", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == f"/chains/{leader_id}"
    other = max(dev_chains.values())
    assert client.get(f"/chains/{other}").status_code == 404
    page = client.get(f"/chains/{leader_id}/proposal", params={"budget_wan": 120, "discount": 0.15})
    assert page.status_code == 200
    assert "推进计划" in page.text and "万元预算内" in page.text
    printable = client.get(f"/chains/{leader_id}/proposal/print", params={"budget_wan": 120})
    assert printable.status_code == 200 and "链式典型案例" in printable.text
    xlsx = client.get(f"/chains/{leader_id}/proposal.xlsx", params={"budget_wan": 120})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["链式典型案例", "推进计划", "集采清单"]
    assert book["推进计划"].max_row >= 2
    assert client.get(f"/chains/{leader_id}/proposal", params={"budget_wan": -5}).status_code == 422


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(settings, dev_chains) -> Iterator[str]:  # type: ignore[no-untyped-def]
    import uvicorn

    from market.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, migrate_db=False), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_graph_draws_in_chromium_without_the_internet(live_server, dev_chains, browser) -> None:
    leader_id = min(dev_chains.values())
    outside: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", "leader0")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(f"{live_server}/chains/{leader_id}")
        page.wait_for_selector("#chain-graph[data-ready]")
        circles = page.locator("#chain-graph circle.node")
        assert circles.count() == 15  # the leader and its 14 members
        circles.nth(1).click()
        assert "数字化水平" in page.inner_text("#chain-graph-detail")
    finally:
        context.close()
    assert outside == [] and errors == []
