"""Every workbook the app lets users download writes formula-like text as text (finding 6):
names typed as =HYPERLINK(...), +cmd, -1+1, @SUM come out quoted, never as live formulas."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select
from web_builders import JIUJIANG, PASSWORD

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.events.models import Event, EventParticipant
from catalog.exchange.format import FORMULA_PREFIXES
from catalog.progress.models import TargetRow
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.users.models import User
from market.matching.cohort_job import KIND
from market.models import Job, JobStatus

EVIL = '=HYPERLINK("http://evil.example/x","点击领取补贴")'
PLUS, MINUS, AT = "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)"
ROOT = Path(__file__).resolve().parents[2]


def _plant(database_url: str, world: Any) -> dict[str, int]:
    """Formula-like names on records every download shows; returns the ids the URLs need."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        session.get(Provider, world.ids["provider_a"]).name = EVIL
        session.get(Solution, world.ids["sol_a"]).name = PLUS
        session.get(Enterprise, world.ids["leader"]).name = MINUS
        session.get(Enterprise, world.ids["member_sharing"]).name = AT
        event = Event(title=EVIL, region=JIUJIANG, sessions=[{"name": "上午", "start": "09:00", "slots": 2}],
                      tables=2, status="报名中")
        session.add(event)
        session.flush()
        session.add_all([
            EventParticipant(event_id=event.id, side="enterprise", enterprise_id=world.ids["member_sharing"]),
            EventParticipant(event_id=event.id, side="provider", provider_id=world.ids["provider_a"])])
        session.add(TargetRow(region="江西省九江市", table_name="目标总表", segment=PLUS, industries=["C26"],
                              year=2026, position=1, indicator=EVIL, unit="家", target=10))
        bureau = session.exec(select(User).where(User.username == "jj_bureau")).one()
        result = {"params": {"regions": [JIUJIANG]}, "enterprises": [
            {"name": AT, "region": JIUJIANG, "needs": [{"text": EVIL, "alternatives": [], "recommended": {
                "solution_name": PLUS, "provider_name": EVIL, "score": 0.9}}]}],
            "providers": [{"name": EVIL, "enterprises": 1, "capacity": 20}],
            "gaps": [{"scenario": MINUS, "industry": "C26", "count": 1, "best_score": 0.1, "examples": [EVIL]}]}
        job = Job(kind=KIND, status=JobStatus.DONE, result=result, created_by=f"bureau:{bureau.username}",
                  done=1, total=1)
        session.add(job)
        session.commit()
        return {"event": int(event.id or 0), "job": int(job.id or 0), "leader": world.ids["leader"]}


DOWNLOADS = [
    ("api", "/api/exports?format=xlsx"),
    ("page", "/bureau/export/download?format=xlsx"),
    ("api", "/api/events/{event}/schedule.xlsx"),
    ("api", "/api/progress/lists/providers/xlsx"),
    ("api", "/api/progress/lists/enterprises/xlsx"),
    ("api", "/api/progress/targets.xlsx"),
    ("page", "/bureau/cohort.xlsx?job={job}"),
    ("page", "/chains/{leader}/proposal.xlsx"),
]


def _login(client: Any, username: str) -> None:
    page = client.get("/login", headers={"accept": "text/html"}).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
                           headers={"accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def _cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize(("door", "url"), DOWNLOADS)
def test_every_download_writes_formulas_as_text(client, world, as_user, database_url, door, url) -> None:
    ids = _plant(database_url, world)
    if door == "page":
        _login(client, "jj_bureau")
        response = client.get(url.format(**ids))
    else:
        response = client.get(url.format(**ids), headers=as_user("jj_bureau"))
    assert response.status_code == 200, response.text[:300]
    cells = _cells(response.content)
    texts = [str(c.value) for c in cells if isinstance(c.value, str)]
    assert any(name in t for t in texts for name in (EVIL, PLUS, MINUS, AT)), "a planted name should be here"
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [t for t in texts if t.startswith(FORMULA_PREFIXES)]


def test_one_writer_makes_every_workbook() -> None:
    writers = [path.relative_to(ROOT).as_posix() for package in ("catalog", "market", "matching", "search_index")
               for path in (ROOT / package).rglob("*.py")
               if "from openpyxl import" in (text := path.read_text("utf-8")) and "Workbook" in
               text.split("from openpyxl import", 1)[1].split("\n", 1)[0] and path.name != "xlsx_writer.py"]
    assert writers == [], f"workbooks written outside catalog/xlsx_writer.py: {writers}"
