"""The progress API over the demo data: the dashboard shows 九江's whole target table with
figures that match the records, an engagement walked to 已验收 moves the figure, exports
read back in the target layout, the lists export, and access is the bureau's."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.progress import policy
from catalog.progress.models import TargetRow
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from market.app import create_app
from market.settings import Settings
from seed.targets import TARGETS_FILE
from seed.users import DEMO_PASSWORD

warnings.filterwarnings("ignore", message=".*httpx2.*")
from fastapi.testclient import TestClient  # noqa: E402

JIUJIANG = "江西省九江市"


@pytest.fixture
def demo_client(demo_database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=demo_database_url, var_dir=tmp_path / "var", secret_key="t", meili_url="")
    with TestClient(create_app(settings, migrate_db=False), base_url="http://testserver") as client:
        yield client


def login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _dashboard(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get("/api/progress/dashboard", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _cell(data: dict[str, Any], indicator: str, segment: str) -> dict[str, Any]:
    return next(r for r in data["rows"] if r["indicator"] == indicator and r["segment"] == segment)


def test_dashboard_shows_every_row_of_the_seed_table(demo_client: TestClient) -> None:
    data = _dashboard(demo_client, login(demo_client, "jiujiang_bureau"))
    table = next(t for t in json.loads(TARGETS_FILE.read_text("utf-8"))["tables"] if t["region"] == JIUJIANG)
    expected = {(row["indicator"], seg["name"]) for row in table["rows"] for seg in table["segments"]}
    assert {(r["indicator"], r["segment"]) for r in data["rows"]} == expected
    for row in data["rows"]:
        assert (row["actual"] is None) == (row["measure"] is None)
    assert _cell(data, "服务商数量", "石化化工")["actual"] > 0


def test_figures_match_the_records(demo_client: TestClient, demo_database_url: str) -> None:
    headers = login(demo_client, "jiujiang_bureau")
    data = _dashboard(demo_client, headers)
    with Session(get_engine(demo_database_url)) as session:
        firms = session.exec(select(Enterprise).where(Enterprise.region.startswith(JIUJIANG))).all()  # type: ignore[attr-defined]
        above = [f for f in firms if f.size == "规上"]
        good = [f for f in above if f.level in ("二级", "三级", "四级")]
        rated_c26 = [f for f in firms if f.industry.startswith(("C25", "C26")) and f.level != "未评测"]
        all_c26 = [f for f in firms if f.industry.startswith(("C25", "C26"))]
    share = data["level_two_share"]
    assert (share["reached"], share["total"]) == (len(good), len(above))
    assert share["bar"] == policy.LEVEL_TWO_SHARE_PCT
    assert share["bar_reached"] is (share["value"] >= policy.LEVEL_TWO_SHARE_PCT)
    assert share["value"] == pytest.approx(round(100 * len(good) / len(above), 1))
    diagnosed = _cell(data, "诊断覆盖率", "石化化工")
    assert diagnosed["actual"] == pytest.approx(round(100 * len(rated_c26) / len(all_c26), 1))
    for row in data["rows"]:  # every figure drills down to exactly its records
        if row["measure"] is None:
            continue
        detail = demo_client.get(f"/api/progress/targets/{row['id']}/records", headers=headers).json()
        names = {r["name"] for r in detail["records"]}
        assert len(names) == len(detail["records"])
        if row["unit"] != "%":
            assert len(detail["records"]) == row["actual"]
    records = demo_client.get(f"/api/progress/targets/{diagnosed['id']}/records", headers=headers).json()["records"]
    assert {r["name"] for r in records} == {f.name for f in rated_c26}


def _walk(client: TestClient, solution_id: int, enterprise_id: int) -> dict[str, Any]:
    firm, provider, bureau = (login(client, u) for u in ("enterprise_hualun", "provider_xunzhi", "jiujiang_bureau"))
    created = client.post("/api/engagements", headers=firm, json={"enterprise_id": enterprise_id,
                                                                  "solution_id": solution_id})
    assert created.status_code == 201, created.text
    gid = created.json()["id"]
    steps = [
        (firm, "sign", {"amount_wan": 60, "contract_date": "2025-03-01"}),
        (provider, "start", {}),
        (provider, "acceptance", {"acceptance_date": "2025-06-30", "level_before": "二级", "level_after": "三级"}),
    ]
    for headers, step, body in steps:
        response = client.post(f"/api/engagements/{gid}/{step}", headers=headers, json=body)
        assert response.status_code == 200, (step, response.text)
    refused = client.post(f"/api/engagements/{gid}/acceptance/confirm", headers=provider, json={})
    assert refused.status_code == 403 and "主管部门" in refused.json()["message"]
    done = client.post(f"/api/engagements/{gid}/acceptance/confirm", headers=bureau, json={})
    assert done.status_code == 200, done.text
    return dict(done.json())


def test_an_accepted_engagement_moves_the_dashboard(demo_client: TestClient, demo_database_url: str) -> None:
    with Session(get_engine(demo_database_url)) as session:
        firm = session.exec(select(Enterprise).where(Enterprise.name == "共青城华纶印染有限公司")).one()
        provider = session.exec(select(Provider).where(Provider.name == "九江浔阳智造科技有限公司")).one()
        solution = session.exec(select(Solution).where(Solution.provider_id == provider.id,
                                                       Solution.status == "已入库")).first()
        assert solution is not None
        ids = (int(solution.id or 0), int(firm.id or 0))
    bureau = login(demo_client, "jiujiang_bureau")
    before = _cell(_dashboard(demo_client, bureau), "拟改造企业数量", "纺织服装")["actual"]
    done = _walk(demo_client, *ids)
    assert done["status"] == "已验收"
    # 九江 has no city policy: the default estimate, 30% of 60万 = 18万 at 二级 and above
    assert done["acceptance"]["policy_key"] == "default" and done["acceptance"]["subsidy_wan"] == pytest.approx(18)
    assert done["cost_split"] == {"企业": 42.0, "服务商": 0.0, "政府": 18.0}
    after = _dashboard(demo_client, bureau)
    row = _cell(after, "拟改造企业数量", "纺织服装")
    assert row["actual"] == before + 1
    records = demo_client.get(f"/api/progress/targets/{row['id']}/records", headers=bureau).json()
    assert "共青城华纶印染有限公司" in {r["name"] for r in records["records"]}
    assert {"month": "2025-06", "count": 1, "cumulative": 1} in records["monthly"]
    assert _cell(after, "拟改造企业数量", "石化化工")["actual"] == 0


def test_export_reads_back_in_the_target_layout(demo_client: TestClient) -> None:
    headers = login(demo_client, "jiujiang_bureau")
    data = _dashboard(demo_client, headers)
    response = demo_client.get("/api/progress/targets.xlsx", headers=headers)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book["目标总表"]
    assert sheet.cell(2, 4).value == "石化化工 2025年" and sheet.cell(2, 6).value == "纺织服装 2025年"
    assert [sheet.cell(3, c).value for c in (4, 5)] == ["目标值", "完成值"]
    by_row = {sheet.cell(r, 2).value: r for r in range(4, sheet.max_row + 1)}
    for cell in data["rows"]:
        column = 4 + 2 * ["石化化工", "纺织服装", "电子信息"].index(cell["segment"])
        r = by_row[cell["indicator"]]
        assert sheet.cell(r, column).value == cell["target"]
        assert sheet.cell(r, column + 1).value == (cell["actual"] if cell["actual"] is not None else "—")
    assert len(list(book["明细"].iter_rows(min_row=2))) == len(data["rows"])


def test_import_round_trip_updates_targets(demo_client: TestClient, demo_database_url: str) -> None:
    headers = login(demo_client, "xinxiang_bureau")
    exported = load_workbook(BytesIO(demo_client.get("/api/progress/targets.xlsx", headers=headers).content))
    detail = exported["明细"]
    for row in detail.iter_rows(min_row=2):
        if row[4].value == "服务商数量" and row[3].value == 2026:
            row[6].value = 33
    buffer = BytesIO()
    exported.save(buffer)
    response = demo_client.post("/api/progress/targets/import", headers=headers,
                                files={"file": ("t.xlsx", buffer.getvalue(), "application/octet-stream")})
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 0
    data = _dashboard(demo_client, headers)
    years = {(r["indicator"], r["year"]): r["target"] for r in data["rows"]}
    assert years[("服务商数量", 2026)] == 33 and years[("服务商数量", 2025)] == 20
    bad = demo_client.post("/api/progress/targets/import", headers=headers,
                           files={"file": ("t.xlsx", b"not a workbook", "application/octet-stream")})
    assert bad.status_code == 422


@pytest.mark.parametrize("name", ["tasks", "enterprises", "providers", "excellent", "policies", "finance"])
def test_lists_page_and_export(demo_client: TestClient, name: str) -> None:
    headers = login(demo_client, "xinxiang_bureau")
    work = demo_client.get(f"/api/progress/lists/{name}", headers=headers).json()
    assert work["rows"], name
    book = load_workbook(BytesIO(demo_client.get(f"/api/progress/lists/{name}/xlsx", headers=headers).content))
    sheet = book[work["title"]]
    assert [c.value for c in sheet[2]] == work["headers"]
    assert sheet.max_row - 2 == len(work["rows"])
    if name == "tasks":  # each row's state is the policy's reading of its figure
        for row in work["rows"]:
            actual = None if row[5] == "—" else float(row[5])
            percent = None if row[6] == "—" else float(row[6].rstrip("%"))
            assert row[7] == policy.task_state(actual, percent), row
        assert {r[7] for r in work["rows"]} & {"已完成", "推进中", "未开始"}
    if name == "policies":
        assert any("新乡" in str(r[0]) and "50%" in str(r[3]) for r in work["rows"])
    if name == "finance":
        assert any(r[1] == "中原银行新乡分行" for r in work["rows"])


def test_access_is_the_bureaus(demo_client: TestClient) -> None:
    other = login(demo_client, "xinxiang_bureau")
    assert demo_client.get("/api/progress/dashboard", params={"region": JIUJIANG}, headers=other).status_code == 403
    firm = login(demo_client, "enterprise_hualun")
    assert demo_client.get("/api/progress/dashboard", headers=firm).status_code == 403
    assert demo_client.get("/api/progress/dashboard").status_code == 401


def test_evaluations_have_components(demo_client: TestClient, demo_database_url: str) -> None:
    data = demo_client.get("/api/progress/evaluations", headers=login(demo_client, "jiujiang_bureau")).json()
    assert data["data"]
    first = data["data"][0]
    assert {c["key"] for c in first["components"]} == {"served", "acceptance", "uplift", "on_time", "rating", "events"}
    with Session(get_engine(demo_database_url)) as session:
        assert session.exec(select(TargetRow)).first() is not None


def test_xinxiang_years_count_apart_and_subsidy_follows_its_policy(demo_client: TestClient,
                                                                   demo_database_url: str) -> None:
    with Session(get_engine(demo_database_url)) as session:
        firm = session.exec(select(Enterprise).where(Enterprise.name == "长垣市康洁卫生材料有限公司")).one()
        solution = session.exec(select(Solution).join(Provider).where(
            Provider.name == "新乡卫河数智科技有限公司", Solution.status == "已入库")).first()
        assert solution is not None
        ids = (int(firm.id or 0), int(solution.id or 0))
    ent, prov, bureau = (login(demo_client, u) for u in ("enterprise_kangjie", "provider_weihe", "xinxiang_bureau"))
    before = {r["year"]: r["actual"] for r in _dashboard(demo_client, bureau)["rows"] if r["indicator"] == "拟改造企业数量"}
    gid = demo_client.post("/api/engagements", headers=ent, json={"enterprise_id": ids[0], "solution_id": ids[1]}).json()["id"]
    for headers, step, body in [
        (prov, "sign", {"amount_wan": 120, "contract_date": "2025-11-01"}), (ent, "start", {}),
        (ent, "acceptance", {"acceptance_date": "2026-02-10", "level_before": "二级", "level_after": "三级"}),
        (bureau, "acceptance/confirm", {}), (ent, "rating", {"rating": 4}),
    ]:
        response = demo_client.post(f"/api/engagements/{gid}/{step}", headers=headers, json=body)
        assert response.status_code == 200, (step, response.text)
        if step == "acceptance":  # what confirming would grant, as the engagement page shows it
            preview = response.json()["subsidy_preview"]
            assert preview["amount_wan"] == 70 and preview["reason"]
            page = demo_client.get(f"/progress/engagements/{gid}", headers={**bureau, "Accept": "text/html"}).text
            assert preview["reason"] in page
    done = response.json()
    assert done["subsidy_preview"] is None  # confirmed: the acceptance record holds the subsidy
    # 新乡: 三级 and above, 70% of 120万 = 84万, capped at 70万
    assert done["acceptance"]["policy_key"] == "xinxiang" and done["acceptance"]["subsidy_wan"] == 70
    assert done["cost_split"] == {"企业": 50.0, "服务商": 0.0, "政府": 70.0} and done["rating"] == 4
    after = {r["year"]: r["actual"] for r in _dashboard(demo_client, bureau)["rows"] if r["indicator"] == "拟改造企业数量"}
    assert after == {2025: before[2025], 2026: before[2026] + 1}
    again = demo_client.post(f"/api/engagements/{gid}/terminate", headers=ent, json={"reason": "重复"})
    assert again.status_code == 409
