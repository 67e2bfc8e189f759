"""优秀产品清单 once the city has engagements: the page, the API and the export answer, and a
marked solution that was accepted and rated shows its evaluation score (the list once crashed
here, keying a dict by solution records)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from catalog.db import get_engine
from catalog.engagements import service as engagement_service
from catalog.engagements import service as flow
from catalog.engagements.models import Engagement
from catalog.engagements.schemas import EngagementCreate
from catalog.enterprises.models import Enterprise
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from market.app import create_app
from market.settings import Settings
from seed.users import DEMO_PASSWORD


@pytest.fixture
def demo_client(demo_database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=demo_database_url, var_dir=tmp_path / "var", secret_key="t", meili_url="")
    with TestClient(create_app(settings, migrate_db=False), base_url="http://testserver") as client:
        yield client


def accepted_and_rated(database_url: str) -> Solution:
    """An excellent solution a 九江 enterprise took through to acceptance and rated 5."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        solution = session.exec(select(Solution).where(col(Solution.excellent).is_(True))
                                .order_by(col(Solution.id))).first()
        firm = session.exec(select(Enterprise).where(Enterprise.name == "共青城华纶印染有限公司")).one()
        assert solution is not None
        data = EngagementCreate(enterprise_id=firm.id or 0, solution_id=solution.id or 0)
        engagement = engagement_service.create_engagement(session=session, data=data, actor="test")
        flow.sign(session=session, engagement=engagement, amount_wan=40, contract_date=date(2025, 3, 1), actor="test")
        flow.start(session=session, engagement=engagement, actor="test")
        flow.propose_acceptance(session=session, engagement=engagement, acceptance_date=date(2025, 6, 1),
                                level_before="二级", level_after="三级", actor="test")
        flow.confirm_acceptance(session=session, engagement=engagement, actor="jiujiang_bureau")
        flow.rate(session=session, engagement=engagement, rating=5, actor="test")
        session.commit()
        return solution


def test_excellent_list_with_engagements(demo_client: TestClient, demo_database_url: str) -> None:
    solution = accepted_and_rated(demo_database_url)
    token = demo_client.post("/api/auth/token", json={"username": "jiujiang_bureau", "password": DEMO_PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    work = demo_client.get("/api/progress/lists/excellent", headers=headers)
    assert work.status_code == 200, work.text
    row = next(r for r in work.json()["rows"] if r[1] == solution.code)
    assert row[2] == "已评为优秀" and isinstance(row[3], float | int)
    page = demo_client.get("/lists/excellent", headers={**headers, "Accept": "text/html"})
    assert page.status_code == 200 and solution.name in page.text
    export = demo_client.get("/api/progress/lists/excellent/xlsx", headers=headers)
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content))["优秀产品清单"]
    assert any(r[1] == solution.code and r[3] == row[3] for r in sheet.iter_rows(min_row=3, values_only=True))


def _token(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/api/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _mark_excellent_elsewhere(database_url: str, city: str) -> Solution:
    """A published solution whose provider is outside `city` and which no enterprise of
    `city` has engaged, marked 优秀."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        engaged = select(Engagement.solution_id).join(Enterprise, col(Enterprise.id) == Engagement.enterprise_id).where(
            col(Enterprise.region).startswith(city))
        local = select(Provider.id).where(col(Provider.region).startswith(city))
        solution = session.exec(select(Solution).where(
            Solution.status == "已入库", col(Solution.id).not_in(engaged), col(Solution.provider_id).not_in(local))
            .order_by(col(Solution.id))).first()
        assert solution is not None
        solution.excellent = True
        session.add(solution)
        session.commit()
        return solution


def test_a_citys_excellent_list_holds_its_own_solutions_only(demo_client: TestClient, demo_database_url: str) -> None:
    elsewhere = _mark_excellent_elsewhere(demo_database_url, "江西省九江市")
    mine = accepted_and_rated(demo_database_url)
    rows = demo_client.get("/api/progress/lists/excellent", headers=_token(demo_client, "jiujiang_bureau")).json()["rows"]
    codes = {r[1] for r in rows}
    assert mine.code in codes and elsewhere.code not in codes


def _rows(client: TestClient) -> list[list[object]]:
    work = client.get("/api/progress/lists/excellent", headers=_token(client, "jiujiang_bureau"))
    assert work.status_code == 200, work.text
    return list(work.json()["rows"])


def _page(client: TestClient) -> str:
    page = client.get("/lists/excellent", headers={**_token(client, "jiujiang_bureau"), "Accept": "text/html"})
    assert page.status_code == 200
    return page.text


def _local_listed(session: Session, city: str) -> Solution:
    """A listed, not yet marked solution of a listed provider based in `city`."""
    local = select(Provider.id).where(col(Provider.region).startswith(city), Provider.status == "已入库")
    solution = session.exec(select(Solution).where(
        Solution.status == "已入库", col(Solution.excellent).is_(False), col(Solution.provider_id).in_(local))
        .order_by(col(Solution.id))).first()
    assert solution is not None
    return solution


def _suspend_provider(database_url: str, solution_id: int) -> None:
    with Session(get_engine(database_url)) as session:
        solution = session.get(Solution, solution_id)
        assert solution is not None
        provider = session.get(Provider, solution.provider_id)
        assert provider is not None
        provider.status = "暂停"
        session.add(provider)
        session.commit()


def test_a_marked_solution_of_a_provider_out_of_the_pool_is_not_listed(demo_client: TestClient,
                                                                       demo_database_url: str) -> None:
    """优秀产品清单 lists what the public listing shows (visible_solutions to the public): a
    solution marked 优秀 and 已入库 whose provider is 暂停 leaves the list, as it leaves the catalogue."""
    with Session(get_engine(demo_database_url), expire_on_commit=False) as session:
        solution = _local_listed(session, "江西省九江市")
        solution.excellent = True
        session.add(solution)
        session.commit()
    assert solution.code in {r[1] for r in _rows(demo_client)}
    _suspend_provider(demo_database_url, solution.id or 0)
    assert demo_client.get(f"/api/solutions/{solution.id}").status_code == 404  # the public listing's rule
    assert solution.code not in {r[1] for r in _rows(demo_client)}
    assert solution.name not in _page(demo_client)


def _accepted_twice(database_url: str) -> Solution:
    """A listed, unmarked solution of a 九江 provider two 九江 enterprises took to acceptance on
    time, two levels up, and rated 5: the evaluation proposes it for 优秀产品."""
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        solution = _local_listed(session, "江西省九江市")
        firms = session.exec(select(Enterprise).where(col(Enterprise.region).startswith("江西省九江市"))
                             .order_by(col(Enterprise.id)).limit(2)).all()
        for firm in firms:
            data = EngagementCreate(enterprise_id=firm.id or 0, solution_id=solution.id or 0)
            engagement = engagement_service.create_engagement(session=session, data=data, actor="test")
            flow.sign(session=session, engagement=engagement, amount_wan=40, contract_date=date(2025, 3, 1),
                      actor="test")
            flow.start(session=session, engagement=engagement, actor="test")
            flow.propose_acceptance(session=session, engagement=engagement, acceptance_date=date(2025, 3, 2),
                                    level_before="一级", level_after="三级", actor="test")
            flow.confirm_acceptance(session=session, engagement=engagement, actor="jiujiang_bureau")
            flow.rate(session=session, engagement=engagement, rating=5, actor="test")
        session.commit()
        return solution


def _retire(database_url: str, solution_id: int) -> None:
    with Session(get_engine(database_url)) as session:
        solution = session.get(Solution, solution_id)
        assert solution is not None
        solution.status = "退出"
        session.add(solution)
        session.commit()


@pytest.mark.parametrize("leaves", [_retire, _suspend_provider], ids=["solution_retired", "provider_suspended"])
def test_only_listed_offerings_are_proposed(demo_client: TestClient, demo_database_url: str,
                                           leaves: Callable[[str, int], None]) -> None:
    """系统建议评选 proposes listed offerings only: once the solution is 退出, or its provider
    暂停, it is no longer proposed, in the API as on the page; its evaluation stays."""
    solution = _accepted_twice(demo_database_url)
    proposed = next(r for r in _rows(demo_client) if r[1] == solution.code)
    assert proposed[2] == "系统建议评选"
    leaves(demo_database_url, solution.id or 0)
    assert solution.code not in {r[1] for r in _rows(demo_client)}
    assert solution.name not in _page(demo_client)
    evaluated = demo_client.get("/api/progress/evaluations", params={"kind": "solution"},
                                headers=_token(demo_client, "jiujiang_bureau")).json()["data"]
    assert solution.id in {e["id"] for e in evaluated}
