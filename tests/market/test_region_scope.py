"""A bureau's exports and imports stay inside its regions (catalog.exchange.exports.export_as, imports.import_as)."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlmodel import Session, select
from web_builders import JIUJIANG, XINXIANG

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.providers.models import Provider
from catalog.validation import make_uscc


def _regions(doc: dict) -> set[str]:
    return {row["region"] for key in ("providers", "enterprises") for row in doc[key]}


def test_export_holds_only_the_bureaus_regions(client, world, as_user) -> None:
    jj = client.get("/api/exports", params={"format": "json"}, headers=as_user("jj_bureau")).json()
    assert jj["providers"] and jj["enterprises"] and jj["needs"] and jj["links"]
    assert all(r.startswith(JIUJIANG) for r in _regions(jj))
    assert {s["code"] for s in jj["solutions"]} >= {"JJ-001", "JJ-002"} and "XX-001" not in {
        s["code"] for s in jj["solutions"]}
    assert "质量问题追不到批次" not in json.dumps(jj, ensure_ascii=False)  # 新乡's need
    xx = client.get("/api/exports", params={"format": "json"}, headers=as_user("xx_bureau")).json()
    assert _regions(xx) and all(r.startswith(XINXIANG) for r in _regions(xx))
    assert [s["code"] for s in xx["solutions"]] == ["XX-001"] and xx["links"] == []


def test_xlsx_export_is_scoped_too(client, world, as_user) -> None:
    response = client.get("/api/exports", params={"format": "xlsx"}, headers=as_user("jj_bureau"))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any(JIUJIANG in c for c in cells) and not any(XINXIANG in c for c in cells)
    assert "XX-001" not in cells and "JJ-001" in cells


def _upload(client, headers, doc: dict):  # type: ignore[no-untyped-def]
    files = {"file": ("scope.json", json.dumps(doc, ensure_ascii=False).encode(), "application/json")}
    return client.post("/api/imports", headers=headers, files=files)


def _provider_row(name: str, region: str, uscc: str) -> dict:
    return {"name": name, "uscc": uscc, "kind": "综合服务商", "region": region, "industries": ["C26"],
            "scenarios": ["质量管控"], "description": "简介"}


def test_import_outside_the_regions_is_rejected_naming_the_region(client, world, as_user, database_url) -> None:
    inside = _provider_row("九江范围内测试有限公司", f"{JIUJIANG}濂溪区", make_uscc("范围内"))
    outside = _provider_row("新乡越界测试有限公司", f"{XINXIANG}红旗区", make_uscc("越界"))
    response = _upload(client, as_user("jj_bureau"), {"providers": [inside, outside]})
    assert response.status_code == 422, response.text
    errors = response.json()["details"]
    assert len(errors) == 1 and errors[0]["row"] == 2 and XINXIANG in errors[0]["message"]
    with Session(get_engine(database_url)) as session:  # all or nothing: the 九江 row is not stored either
        names = set(session.exec(select(Provider.name)).all())
    assert inside["name"] not in names and outside["name"] not in names
    assert _upload(client, as_user("xx_bureau"), {"providers": [outside]}).status_code == 200


def test_import_cannot_update_or_attach_to_records_elsewhere(client, world, as_user, database_url) -> None:
    with Session(get_engine(database_url)) as session:
        other = session.get(Provider, world.ids["provider_b"])
        ent = session.exec(select(Enterprise).where(Enterprise.region.startswith(XINXIANG))).first()  # type: ignore[union-attr]
        other_uscc, ent_uscc, ent_name = other.uscc, ent.uscc, ent.name
    moved = _provider_row("新乡智造软件有限公司", f"{JIUJIANG}濂溪区", other_uscc)  # claims 九江, stored in 新乡
    need = {"enterprise_uscc": ent_uscc, "code": "N-SCOPE-1", "text": "越界新增的需求"}
    response = _upload(client, as_user("jj_bureau"), {"providers": [moved], "needs": [need]})
    assert response.status_code == 422
    errors = response.json()["details"]
    assert {e["sheet"] for e in errors} == {"服务商", "需求清单"}
    assert all("不在本账号管辖的地区内" in e["message"] and XINXIANG not in e["message"] for e in errors)
    with Session(get_engine(database_url)) as session:
        assert session.get(Provider, world.ids["provider_b"]).region.startswith(XINXIANG)
    assert ent_name
