"""Hostile input to the importer: malformed workbooks, zip bombs, formulas, 10 MB cells,
wrong encodings and random bytes or JSON → a clear Chinese error, bounded memory, nothing
stored (even if the caller commits after the rejection)."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session
from tests_paths import DEV_DATA

from catalog import xlsx
from catalog.db import get_engine
from catalog.errors import ImportRejected
from catalog.exchange import exports, imports
from catalog.exchange import format as exchange

CATALOG = json.loads((DEV_DATA / "catalog.json").read_text("utf-8"))
PROVIDER = CATALOG["providers"][0]
STORED_TABLES = ("provider", "solution", "enterprise", "need", "chainlink", "auditentry", "outboxentry")
FORMULA = '=HYPERLINK("http://evil.example/","点这里领补贴")'
# The shared-strings bound (catalog.exchange.format.MAX_SHARED_STRINGS, 500,000 strings) is tested at a
# 25th of its size: parsing up to the bound costs time in proportion to it, the check is the
# same code, and memory is held to the same budget per kept string (96 MB for 500,000).
SHARED_STRINGS_BOUND = 20_000


def _stored(url: str) -> int:
    with get_engine(url).connect() as conn:
        return sum(int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in STORED_TABLES)


def _rejected(url: str, name: str, content: bytes) -> tuple[list[str], int]:
    """Import, expecting a rejection; commit anyway; return (messages, peak bytes allocated)."""
    with Session(get_engine(url)) as session:
        tracemalloc.start()
        try:
            with pytest.raises(ImportRejected) as caught:
                imports.import_bytes(session=session, filename=name, content=content, actor="fuzz")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        session.commit()  # a careless caller: still nothing may be stored
    messages = [e.message for e in caught.value.errors]
    assert messages and all(_is_chinese(m) for m in messages), messages
    assert _stored(url) == 0
    return messages, peak


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _workbook(rows: list[list[Any]], title: str = "服务商") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _json(**override: Any) -> bytes:
    return json.dumps({"providers": [dict(PROVIDER, **override)]}, ensure_ascii=False).encode("utf-8")


MALFORMED: dict[str, Callable[[], tuple[str, bytes]]] = {
    "not a zip": lambda: ("a.xlsx", b"PK\x03\x04 not really a zip"),
    "truncated workbook": lambda: ("a.xlsx", _workbook([["名称"], ["x"]])[:900]),
    "zip of nothing": lambda: ("a.xlsx", _zip({"hello.txt": b"hi"})),
    "zip bomb": lambda: ("a.xlsx", _zip({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 300 * 2**20})),
    "gbk json": lambda: ("a.json", json.dumps({"providers": [PROVIDER]}, ensure_ascii=False).encode("gbk")),
    "utf-16 json": lambda: ("a.json", json.dumps({"providers": [PROVIDER]}, ensure_ascii=False).encode("utf-16")),
    "json array": lambda: ("a.json", b"[1, 2, 3]"),
    "deep json": lambda: ("a.json", b"[" * 100_000 + b"]" * 100_000),
    "10 MB cell": lambda: ("a.json", _json(description="好" * 10 * 2**20)),
    "huge shared strings": lambda: ("a.xlsx", _with_part(
        _workbook([["服务商名称"], ["x"]]), "xl/sharedStrings.xml", _shared_strings(SHARED_STRINGS_BOUND * 6 // 5))),
    "2 MB inline cell": lambda: ("a.xlsx", _with_part(
        _workbook([["服务商名称"], ["x"]]), "xl/worksheets/sheet1.xml", _inline_cell(_varied(2 * 2**20)))),
    "a million JSON objects": lambda: ("a.json", b'{"providers": [' + b"{}," * 1_000_000 + b"{}]}"),
}


def _varied(n: int) -> str:
    """`n` CJK characters that do not compress like a bomb."""
    return "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(n))


def _shared_strings(count: int) -> bytes:
    items = "".join(f"<si><t>{i * 7919 % 10**9}</t></si>" for i in range(count))
    return (f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" '
            f'uniqueCount="{count}">{items}</sst>').encode()


def _inline_cell(text: str) -> bytes:
    """A provider sheet whose one row has `text` as its name (inline strings, every column titled)."""
    from catalog.exchange.format import SHEET_BY_KEY

    titles = [c.title for c in SHEET_BY_KEY["providers"].columns]
    head = "".join(f'<c t="inlineStr"><is><t>{title}</t></is></c>' for title in titles)
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="1">{head}</row>'
            f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData></worksheet>').encode()


def _with_part(content: bytes, part: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info.filename, src.read(info.filename))
        dst.writestr(part, data)
    return out.getvalue()


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_files_are_rejected_clearly_in_bounded_memory(database_url: str, case: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    if case == "huge shared strings":
        monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", SHARED_STRINGS_BOUND)
    name, content = MALFORMED[case]()
    messages, peak = _rejected(database_url, name, content)
    assert peak < max(8 * len(content), 64 * 2**20), f"{case}: peak {peak / 2**20:.0f} MB"
    if case == "zip bomb":
        assert any("压缩炸弹" in m for m in messages)
    if case == "huge shared strings":
        budget = 96 * 2**20 * SHARED_STRINGS_BOUND // exchange.MAX_SHARED_STRINGS
        assert any("共享文本过多" in m for m in messages) and peak < budget, f"peak {peak / 2**20:.1f} MB"
    if case == "2 MB inline cell":
        assert any("过长" in m for m in messages) and peak < 64 * 2**20
    if case == "a million JSON objects":
        assert any("对象过多" in m for m in messages) and peak < 32 * 2**20


def test_control_characters_are_cleaned_not_stored(session: Session) -> None:
    name = "九江\x00浔联\x1b数智科技有限公司"
    imports.import_bytes(session=session, filename="a.json", content=_json(name=name), actor="t")
    session.commit()  # on PostgreSQL a NUL in text would fail here
    with get_engine(str(session.get_bind().url.render_as_string(hide_password=False))).connect() as conn:
        stored = conn.execute(sa.text("SELECT name FROM provider")).scalar_one()
    assert "\x00" not in stored and "\x1b" not in stored and "浔联" in stored


def test_formula_cells_are_kept_as_text_and_exported_neutralised(session: Session, tmp_path: Path) -> None:
    imports.import_bytes(session=session, filename="a.json", content=_json(description=FORMULA), actor="t")
    session.commit()
    out = tmp_path / "out.xlsx"
    exports.export_path(session=session, path=out)
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("HYPERLINK" in c.value for c in cells)
    for cell in cells:
        assert cell.data_type != "f" and not cell.value.startswith(("=", "+", "-", "@")), cell.value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".json"]))
def test_random_bytes_never_crash_the_importer(database_url: str, content: bytes, suffix: str) -> None:
    with Session(get_engine(database_url)) as session:
        try:
            imports.import_bytes(session=session, filename="f" + suffix, content=content, actor="fuzz")
        except ImportRejected as exc:
            assert exc.errors and all(_is_chinese(e.message) for e in exc.errors)
        session.rollback()
    assert _stored(database_url) == 0


# Control characters are left out here: test_control_characters_are_cleaned_not_stored covers them.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)
FIELDS = sorted(PROVIDER)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=4))
def test_mangled_provider_rows_are_stored_whole_or_rejected_with_row_errors(database_url: str,
                                                                           changes: dict[str, Any]) -> None:
    content = json.dumps({"providers": [dict(PROVIDER, **changes)]}, ensure_ascii=False).encode("utf-8")
    with Session(get_engine(database_url)) as session:
        try:
            imports.import_bytes(session=session, filename="p.json", content=content, actor="fuzz")
            stored = True
        except ImportRejected as exc:
            stored = False
            assert all(_is_chinese(e.message) for e in exc.errors), [e.message for e in exc.errors]
            assert any(e.row == 1 or e.row is None for e in exc.errors)
        session.rollback()
    assert _stored(database_url) == 0 or stored
