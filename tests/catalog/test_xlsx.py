"""Hostile and broken workbooks and files: each is refused with a Chinese error naming the
file (and sheet, row, column where there is one), and nothing is stored."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from catalog_builders import write_workbook
from sqlmodel import Session, func, select

from catalog import xlsx
from catalog.errors import ImportRejected
from catalog.exchange import imports
from catalog.exchange.format import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS_PER_SHEET, SHEET_BY_KEY
from catalog.providers.models import Provider
from catalog.validation import make_uscc

P_COLS = [c.title for c in SHEET_BY_KEY["providers"].columns]


def _provider_row(seed: str = "x1", description: str = "本地综合服务商") -> list[object]:
    return ["九江浔联数智科技有限公司", make_uscc(seed), "综合服务商", "江西省九江市濂溪区", "江西省", "C26",
            "质量管控", description, "CMMI3", 20, "周文斌", "18754255503"]


def _good_workbook(tmp_path: Path) -> bytes:
    return write_workbook(tmp_path / "good.xlsx", {"服务商": [P_COLS, _provider_row()]}).read_bytes()


def _replace_part(content: bytes, part: str, data: bytes) -> bytes:
    """The same workbook with one part's bytes replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info.filename, src.read(info.filename))
        dst.writestr(part, data)
    return out.getvalue()


def _rejected(session: Session, name: str, content: bytes) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        imports.import_bytes(session=session, filename=name, content=content, actor="bureau")
    assert session.exec(select(func.count()).select_from(Provider)).one() == 0
    return caught.value


def test_a_good_workbook_still_imports(session: Session, tmp_path: Path) -> None:
    report = imports.import_bytes(session=session, filename="good.xlsx", content=_good_workbook(tmp_path),
                                  actor="bureau")
    assert report.counts["providers"]["created"] == 1


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 64])
def test_not_a_workbook_is_refused(session: Session, content: bytes) -> None:
    error = _rejected(session, "名单.xlsx", content).errors[0]
    assert error.file == "名单.xlsx" and "无法读取 Excel 文件" in error.message


def test_truncated_workbook_is_refused(session: Session, tmp_path: Path) -> None:
    content = _good_workbook(tmp_path)
    error = _rejected(session, "cut.xlsx", content[: len(content) // 2]).errors[0]
    assert "无法读取 Excel 文件" in error.message


def test_malformed_sheet_xml_is_refused(session: Session, tmp_path: Path) -> None:
    broken = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    content = _replace_part(_good_workbook(tmp_path), "xl/worksheets/sheet1.xml", broken)
    error = _rejected(session, "bad.xlsx", content).errors[0]
    assert "无法读取 Excel 文件" in error.message


def test_entity_expansion_is_refused(session: Session, tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>')
    for part in ("xl/worksheets/sheet1.xml", "xl/workbook.xml"):
        content = _replace_part(_good_workbook(tmp_path), part, laughs.encode())
        error = _rejected(session, "lol.xlsx", content).errors[0]
        assert "DTD" in error.message and error.file == "lol.xlsx"


def test_external_entity_is_refused(session: Session, tmp_path: Path) -> None:
    xxe = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&x;</t></si></sst>')
    content = _replace_part(_good_workbook(tmp_path), "xl/sharedStrings.xml", xxe.encode())
    assert "DTD" in _rejected(session, "xxe.xlsx", content).errors[0].message


def test_zip_bomb_is_refused_before_parsing(session: Session, tmp_path: Path) -> None:
    bomb = _replace_part(_good_workbook(tmp_path), "xl/worksheets/sheet1.xml", b" " * (8 * 2**20))
    error = _rejected(session, "bomb.xlsx", bomb).errors[0]
    assert "压缩炸弹" in error.message and "sheet1.xml" in error.message


def test_total_uncompressed_size_is_capped(tmp_path: Path) -> None:
    content = _good_workbook(tmp_path)
    with pytest.raises(xlsx.WorkbookRejected, match="解压后"):
        xlsx.check_archive(io.BytesIO(content), max_total=1000)
    xlsx.check_archive(io.BytesIO(content))  # within the real limits


def test_oversized_file_is_refused_unread(session: Session) -> None:
    error = _rejected(session, "huge.json", b" " * (MAX_FILE_BYTES + 1)).errors[0]
    assert error.file == "huge.json" and "超过上限" in error.message


def _inline_sheet(rows: list[list[object]]) -> bytes:
    """Sheet XML with inline strings (openpyxl's writer would cut a long cell to Excel's limit)."""
    out = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'{"".join(out)}</sheetData></worksheet>').encode()


def test_overlong_cell_is_named_by_sheet_row_and_column(session: Session, tmp_path: Path) -> None:
    long_text = "".join(chr(0x4E00 + i % 5000) for i in range(MAX_CELL_CHARS + 1))
    sheet = _inline_sheet([P_COLS, _provider_row(), _provider_row("x2", long_text)])
    content = _replace_part(_good_workbook(tmp_path), "xl/worksheets/sheet1.xml", sheet)
    errors = _rejected(session, "long.xlsx", content).errors
    assert [(e.file, e.sheet, e.row, e.column) for e in errors] == [("long.xlsx", "服务商", 3, "简介")]
    assert "过长" in errors[0].message and len(str(errors[0].value)) < 100


def test_overlong_json_value_is_named(session: Session) -> None:
    item = {"name": "九江某数智科技有限公司", "uscc": make_uscc("j"), "description": "长" * (MAX_CELL_CHARS + 1)}
    errors = _rejected(session, "long.json", json.dumps({"providers": [item]}).encode()).errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("服务商", 1, "简介")]


def test_too_many_rows_are_refused(session: Session) -> None:
    item = {"name": "九江某数智科技有限公司", "uscc": make_uscc("r")}
    content = json.dumps({"providers": [item] * (MAX_ROWS_PER_SHEET + 1)}).encode()
    errors = _rejected(session, "many.json", content).errors
    assert any(e.sheet == "服务商" and f"{MAX_ROWS_PER_SHEET} 行" in e.message for e in errors)


def test_sheet_rows_streams_values_with_gaps(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "gaps.xlsx", {"服务商": [["a", None, "c"], [], [None, 2]]})
    with xlsx.open_workbook(str(path)) as workbook:
        rows = list(xlsx.sheet_rows(workbook, "服务商"))
    assert rows == [(1, {0: "a", 2: "c"}), (3, {1: 2})]  # row 2 holds nothing
