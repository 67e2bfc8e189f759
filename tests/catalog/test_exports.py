import json
from pathlib import Path

import pytest
from catalog_builders import DEV_DATA, make_provider, make_solution
from openpyxl import load_workbook
from sqlmodel import Session

from catalog.db import get_engine
from catalog.exchange import exports, imports
from market.database import migrate


def _sheets(path: Path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


def _fresh(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    migrate(url)
    return url


def test_xlsx_export_import_export_is_identical(session: Session, tmp_path: Path) -> None:
    imports.import_paths(session=session, paths=[DEV_DATA], actor="cli")
    session.commit()
    first = tmp_path / "first.xlsx"
    assert exports.export_path(session=session, path=first) == 519
    with Session(get_engine(_fresh(tmp_path, "copy.db"))) as other:
        report = imports.import_paths(session=other, paths=[first], actor="cli")
        other.commit()
        assert sum(c["created"] for c in report.counts.values()) == 519
        second = tmp_path / "second.xlsx"
        exports.export_path(session=other, path=second)
        json_copy = exports.export_bytes(session=other, fmt="json")
    assert _sheets(first) == _sheets(second)
    assert json_copy == exports.export_bytes(session=session, fmt="json")
    sheets = _sheets(first)
    assert list(sheets) == ["服务商", "产品和解决方案", "试点企业", "需求清单", "产业链关系"]
    assert sheets["服务商"][0][:2] == ("服务商名称", "统一社会信用代码") and len(sheets["需求清单"]) == 263


def test_json_roundtrip_keeps_every_record(session: Session, tmp_path: Path) -> None:
    imports.import_paths(session=session, paths=[DEV_DATA], actor="cli")
    session.commit()
    document = json.loads(exports.export_bytes(session=session, fmt="json"))
    assert {k: len(v) for k, v in document.items()} == {
        "providers": 25, "solutions": 100, "enterprises": 90, "needs": 262, "links": 42}
    source = json.loads((DEV_DATA / "catalog.json").read_text("utf-8"))
    first = next(s for s in document["solutions"] if s["code"] == "D-001")
    assert first["provider_uscc"] == source["solutions"][0]["provider_uscc"] and "id" not in first
    assert first["keywords"] == source["solutions"][0]["keywords"]
    path = tmp_path / "all.json"
    exports.export_path(session=session, path=path)
    with Session(get_engine(_fresh(tmp_path, "j.db"))) as other:
        imports.import_paths(session=other, paths=[path], actor="cli")
        assert exports.export_bytes(session=other, fmt="json") == path.read_bytes()


def test_formula_like_cells_are_neutralised_and_restored(session: Session, tmp_path: Path) -> None:
    provider = make_provider(session, description="=HYPERLINK(\"http://x\")")
    make_solution(session, provider, keywords=["+SUM(1)", "@cmd", "-负号", "'引号"])
    session.commit()
    path = tmp_path / "f.xlsx"
    exports.export_path(session=session, path=path)
    sheets = _sheets(path)
    assert sheets["服务商"][1][7] == "'=HYPERLINK(\"http://x\")"
    assert sheets["产品和解决方案"][1][12].startswith("'+SUM(1)")
    with Session(get_engine(_fresh(tmp_path, "f.db"))) as other:
        imports.import_paths(session=other, paths=[path], actor="cli")
        assert exports.export_bytes(session=other, fmt="json") == exports.export_bytes(session=session, fmt="json")


def test_unknown_format_is_refused(session: Session, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="不支持的导出格式"):
        exports.export_path(session=session, path=tmp_path / "x.csv")
