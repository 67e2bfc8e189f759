"""Region limits of the public export and import functions (regions matched by prefix)."""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import pytest
from catalog_builders import DEV_DATA
from openpyxl import load_workbook
from sqlmodel import Session, select

from catalog.errors import Forbidden, ImportRejected
from catalog.exchange import exports, imports
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.users.models import Role, User
from catalog.validation import make_uscc


def _city(region: str) -> str:
    return region[: region.index("市") + 1] if "市" in region else region


def _busiest_city(document: dict[str, list[dict[str, Any]]]) -> str:
    counts = Counter(_city(r["region"]) for key in ("providers", "enterprises") for r in document[key])
    return counts.most_common(1)[0][0]


def _expected(document: dict[str, list[dict[str, Any]]], prefix: str) -> dict[str, list[dict[str, Any]]]:
    """The scoped document computed by hand from the full one."""
    region = {key: {r["uscc"]: r["region"] for r in document[key]} for key in ("providers", "enterprises")}
    inside = {key: {u for u, reg in region[key].items() if reg.startswith(prefix)} for key in region}
    return {
        "providers": [r for r in document["providers"] if r["uscc"] in inside["providers"]],
        "solutions": [r for r in document["solutions"] if r["provider_uscc"] in inside["providers"]],
        "enterprises": [r for r in document["enterprises"] if r["uscc"] in inside["enterprises"]],
        "needs": [r for r in document["needs"] if r["enterprise_uscc"] in inside["enterprises"]],
        "links": [r for r in document["links"] if r["leader_uscc"] in inside["enterprises"]],
    }


@pytest.fixture
def loaded(session: Session) -> dict[str, list[dict[str, Any]]]:
    imports.import_paths(session=session, paths=[DEV_DATA], actor="cli")
    session.commit()
    return json.loads(exports.export_bytes(session=session, fmt="json"))


def test_json_export_keeps_only_the_regions(session: Session, loaded: dict) -> None:
    city = _busiest_city(loaded)
    scoped = json.loads(exports.export_bytes(session=session, fmt="json", regions=[city]))
    assert scoped == _expected(loaded, city)
    assert scoped["providers"] and scoped["enterprises"] and scoped["needs"]
    assert sum(map(len, scoped.values())) < sum(map(len, loaded.values()))
    assert json.loads(exports.export_bytes(session=session, fmt="json", regions=[])) == {k: [] for k in loaded}


def test_xlsx_export_path_is_scoped_and_keeps_its_format(session: Session, loaded: dict, tmp_path) -> None:
    city = _busiest_city(loaded)
    path = tmp_path / "scoped.xlsx"
    written = exports.export_path(session=session, path=path, regions=[city, "  "])
    expected = _expected(loaded, city)
    assert written == sum(map(len, expected.values()))
    book = load_workbook(path)
    providers = book["服务商"]
    assert providers["A1"].font.bold and providers.max_row == 1 + len(expected["providers"])
    assert book["需求清单"].max_row == 1 + len(expected["needs"])
    again = load_workbook(io.BytesIO(exports.export_bytes(session=session, fmt="xlsx", regions=[city])))
    assert again["产品和解决方案"].max_row == 1 + len(expected["solutions"])


def test_export_as_a_user_is_a_bureaus_and_holds_its_regions(session: Session, loaded: dict) -> None:
    """`export_as`, the export API's and page's one call: its bureau's regions only, as
    `import_as` is for imports; anyone else (or a bureau switched off) is refused."""
    city = _busiest_city(loaded)
    bureau = User(username="export_bureau", password_hash="x", role=Role.BUREAU.value, regions=[city, ""])
    assert json.loads(exports.export_as(session=session, user=bureau, fmt="json")) == _expected(loaded, city)
    provider = User(username="export_provider", password_hash="x", role=Role.PROVIDER.value, regions=[city])
    switched_off = User(username="export_off", password_hash="x", role=Role.BUREAU.value, regions=[city], active=False)
    for refused in (provider, switched_off, None):
        with pytest.raises(Forbidden):
            exports.export_as(session=session, user=refused, fmt="json")


def _provider(name: str, region: str) -> dict[str, Any]:
    return {"name": name, "uscc": make_uscc(name), "kind": "综合服务商", "region": region,
            "industries": ["C26"], "scenarios": ["质量管控"], "description": "简介"}


def _upload(session: Session, document: dict, allowed: str) -> Any:
    content = json.dumps(document, ensure_ascii=False).encode()
    return imports.import_bytes(session=session, filename="scope.json", content=content, actor="bureau",
                                allow_region=lambda region: region.startswith(allowed))


def test_import_outside_the_allowed_regions_is_rejected_whole(session: Session) -> None:
    inside, outside = _provider("范围内测试有限公司", "江西省九江市濂溪区"), _provider("越界测试有限公司", "河南省新乡市红旗区")
    with pytest.raises(ImportRejected) as rejected:
        _upload(session, {"providers": [inside, outside]}, "江西省九江市")
    [error] = rejected.value.errors
    assert error.row == 2 and error.sheet == "服务商" and "河南省新乡市红旗区" in error.message
    assert session.exec(select(Provider)).all() == []
    report = _upload(session, {"providers": [inside]}, "江西省九江市")
    assert report.counts["providers"]["created"] == 1


def test_import_cannot_move_or_attach_to_records_elsewhere(session: Session) -> None:
    elsewhere = _provider("新乡软件有限公司", "河南省新乡市红旗区")
    solution = {"provider_uscc": elsewhere["uscc"], "code": "XX-9", "name": "设备远程运维", "industries": ["C26"],
                "scenarios": ["设备管理运维"], "description": "简介", "deployment": "SaaS", "price_wan": 5,
                "billing": "一次性", "deploy_days": 30, "size_fit": "均可", "target_level": "二级"}
    _upload(session, {"providers": [elsewhere], "solutions": [solution]}, "河南省新乡市")
    session.flush()
    home = _provider("九江软件有限公司", "江西省九江市濂溪区")
    moved = {**elsewhere, "region": "江西省九江市濂溪区"}  # claims 九江, stored in 新乡
    taken = {**solution, "provider_uscc": home["uscc"]}  # moves a 新乡 provider's solution to 九江
    with pytest.raises(ImportRejected) as rejected:
        _upload(session, {"providers": [home, moved], "solutions": [taken]}, "江西省九江市")
    assert {(e.sheet, e.row) for e in rejected.value.errors} == {("服务商", 2), ("产品和解决方案", 1)}
    # the stored records' region is not told to a bureau that cannot see them
    assert all("已有的一条记录" in e.message and "新乡" not in e.message for e in rejected.value.errors)
    stored = session.exec(select(Solution).where(Solution.code == "XX-9")).one()
    assert session.get(Provider, stored.provider_id).region.startswith("河南省新乡市")
