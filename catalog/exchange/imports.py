"""Import of the exchange format (../shared/formats/README.md): .xlsx workbooks and JSON.

All-or-nothing: every row of every file is read and validated first (all errors are
collected: file, sheet, row, column, value, what was expected); only when there is none
is anything written (catalog/exchange/writer.py), in the caller's transaction (flushed,
never committed). Re-importing updates records in place by their keys (uscc, code,
enterprise+code, leader+member) and counts created / updated / unchanged.
Files are read within the limits of catalog/exchange/format.py (size, rows, cell length) and
workbooks through catalog/xlsx.py (zip-bomb check, defused XML).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from catalog import xlsx
from catalog.access import in_regions
from catalog.errors import Forbidden, ImportRejected, RowError, ValidationFailed
from catalog.exchange import permissions as exchange_rules
from catalog.exchange.format import (
    FORMULA_PREFIXES,
    LIST_LABELS,
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_IMPORT_CHARS,
    MAX_JSON_CONTAINERS,
    MAX_ROWS_PER_SHEET,
    SHEET_BY_KEY,
    SHEET_BY_TITLE,
    SHEETS,
    Column,
    Sheet,
    title_key,
    unquote,
)
from catalog.exchange.writer import ImportReport, Progress, Row, Stored, Writer, load_stored, write
from catalog.fields import field_errors
from catalog.providers.models import ListingStatus, Provider
from catalog.users.models import User

__all__ = ["FORMULA_PREFIXES", "LIST_LABELS", "SHEETS", "SHEET_BY_KEY", "Column", "ImportReport", "Row", "Sheet",
           "RegionCheck", "expand_paths", "import_as", "import_bytes", "import_paths"]


@dataclass
class _Raw:
    file: str
    sheet: Sheet
    row: int
    values: dict[str, Any]


@dataclass
class _Batch:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {s.key: [] for s in SHEETS})
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raw: list[_Raw] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    chars: int = 0  # characters of the cells kept in `raw`

    def over_budget(self, file: str, values: dict[str, Any]) -> bool:
        """Count the characters of a row about to be kept; True (and one error) once past MAX_IMPORT_CHARS."""
        was = self.chars
        self.chars += sum(len(v) for v in values.values() if isinstance(v, str))
        if self.chars <= MAX_IMPORT_CHARS:
            return False
        if was <= MAX_IMPORT_CHARS:
            self.fail(file, f"文件内容过多：超过 {MAX_IMPORT_CHARS // 10_000} 万字的上限，请拆分为多个文件导入")
        return True

    def fail(self, file: str, message: str, sheet: str = "", row: int | None = None, column: str = "",
             value: Any = None) -> None:
        self.errors.append(RowError(file, sheet, row, column, value, message))


# --- reading ---------------------------------------------------------------------------


def _read_xlsx(source: str | io.BytesIO, name: str, batch: _Batch) -> None:
    """Read every exchange-format sheet of a workbook; other sheets are ignored with a warning."""
    found = False
    try:
        with xlsx.open_workbook(source) as workbook:
            for title in workbook.sheetnames:
                sheet = SHEET_BY_TITLE.get(title_key(title))
                if sheet is None:
                    batch.warnings.append(f"{name}：工作表“{title}”不在交换格式内，已忽略")
                    continue
                found = True
                _read_worksheet(xlsx.sheet_rows(workbook, title), name, sheet, batch)
    except xlsx.WorkbookRejected as exc:
        batch.fail(name, exc.message_zh, sheet=exc.sheet)
        return
    if not found:
        batch.warnings.append(f"{name}：未找到可导入的工作表（应为 {'、'.join(LIST_LABELS.values())}）")


def _header(cells: dict[int, Any], name: str, sheet: Sheet, batch: _Batch) -> dict[int, str] | None:
    known = sheet.by_title()
    positions: dict[int, str] = {}
    errors_before = len(batch.errors)
    for index, title in sorted(cells.items()):
        if title is None or not str(title).strip():
            continue
        column = known.get(title_key(str(title)[:200]))
        if column is None:
            batch.warnings.append(f"{name} › {sheet.title}：列“{str(title)[:50]}”不在交换格式内，已忽略")
        elif column.key in positions.values():
            batch.fail(name, "列标题重复", sheet.title, 1, column.title, title)
        else:
            positions[index] = column.key
    for column in sheet.columns:
        if column.required and column.key not in positions.values():
            batch.fail(name, f"缺少必填列“{column.title}”，整张工作表未导入", sheet.title, 1, column.title)
    return positions if len(batch.errors) == errors_before else None


def _too_long(values: dict[str, Any], name: str, sheet: Sheet, number: int, batch: _Batch) -> bool:
    """Report every cell longer than MAX_CELL_CHARS; True when the row had one."""
    bad = [(k, v) for k, v in values.items() if isinstance(v, str) and len(v) > MAX_CELL_CHARS]
    for key, value in bad:
        batch.fail(name, f"单元格内容过长（{len(value)} 个字符），上限为 {MAX_CELL_CHARS} 个字符",
                   sheet.title, number, sheet.title_of(key), value[:50] + "…")
    return bool(bad)


def _too_many(name: str, sheet: Sheet, number: int, batch: _Batch) -> bool:
    if number <= MAX_ROWS_PER_SHEET + 1:
        return False
    batch.fail(name, f"超过每张工作表 {MAX_ROWS_PER_SHEET} 行数据的上限，请拆分为多个文件导入", sheet.title, number)
    batch.raw = [r for r in batch.raw if r.file != name or r.sheet is not sheet]  # not worth validating
    return True


def _read_worksheet(rows: Iterator[tuple[int, dict[int, Any]]], name: str, sheet: Sheet, batch: _Batch) -> None:
    first = next(rows, None)
    if first is None:
        batch.warnings.append(f"{name} › {sheet.title}：工作表为空")
        return
    positions = _header(first[1], name, sheet, batch)
    if positions is None:
        return
    for number, cells in rows:
        if not cells:
            continue
        if _too_many(name, sheet, number, batch):
            return
        values = {key: unquote(cells.get(i)) for i, key in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        if batch.over_budget(name, values):
            return
        if not _too_long(values, name, sheet, number, batch):
            batch.raw.append(_Raw(name, sheet, number, values))


def _read_json(content: bytes, name: str, batch: _Batch) -> None:
    containers = content.count(b"{") + content.count(b"[")
    if containers > MAX_JSON_CONTAINERS:  # each becomes a Python object: refuse before parsing
        batch.fail(name, f"JSON 文件包含的对象过多（约 {containers} 个，上限 {MAX_JSON_CONTAINERS} 个），请拆分为多个文件导入")
        return
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        where = f"（第 {exc.lineno} 行第 {exc.colno} 列）" if isinstance(exc, json.JSONDecodeError) else ""
        batch.fail(name, f"JSON 格式错误{where}，应为 UTF-8 编码的 JSON 对象")
        return
    if not isinstance(data, dict):
        batch.fail(name, "JSON 顶层应为对象，键为 providers、solutions 等列表名")
        return
    for key, items in data.items():
        sheet = SHEET_BY_KEY.get(key)
        if sheet is None:
            batch.warnings.append(f"{name}：键“{str(key)[:50]}”不在交换格式内，已忽略")
        elif not isinstance(items, list):
            batch.fail(name, f"“{key}”应为列表", sheet.title)
        else:
            _read_json_list(items, name, sheet, batch)


def _read_json_list(items: list[Any], name: str, sheet: Sheet, batch: _Batch) -> None:
    keys = {c.key for c in sheet.columns}
    unknown: set[str] = set()
    for index, item in enumerate(items, start=1):
        if _too_many(name, sheet, index + 1, batch):
            break
        if not isinstance(item, dict):
            batch.fail(name, "每一项应为对象", sheet.title, index)
            continue
        unknown.update(str(k)[:50] for k in item if k not in keys)
        values = {k: item.get(k) for k in keys}
        if batch.over_budget(name, values):
            return
        if any(v not in (None, "", []) for v in values.values()) and not _too_long(values, name, sheet, index, batch):
            batch.raw.append(_Raw(name, sheet, index, values))
    if unknown:
        batch.warnings.append(f"{name} › {sheet.title}：字段 {'、'.join(sorted(unknown)[:20])} 不在交换格式内，已忽略")


FILE_TYPES = (".xlsx", ".json")  # what an import reads: a workbook or the exchange format's JSON
WRONG_TYPE = "不支持的文件类型，应为 .xlsx 工作簿或 .json 文件"


def require_file_type(name: str) -> None:
    """ValidationFailed, naming the file, unless it is one an import reads (FILE_TYPES): the
    check a queued import makes before its file is kept, in the words a direct import uses."""
    if Path(name).suffix.lower() not in FILE_TYPES:
        raise ValidationFailed("bad_file_type", f"{name}：{WRONG_TYPE}",
                               details=[{"field": "file", "message": WRONG_TYPE}])


def _read_source(name: str, content: bytes | None, path: Path | None, batch: _Batch) -> None:
    suffix = Path(name).suffix.lower()
    batch.files.append(name)
    size = len(content) if content is not None else (path.stat().st_size if path is not None else 0)
    if suffix not in FILE_TYPES:
        batch.fail(name, WRONG_TYPE)
    elif size > MAX_FILE_BYTES:
        batch.fail(name, f"文件大小 {size / 2**20:.1f} MB 超过上限 {MAX_FILE_BYTES // 2**20} MB，请拆分后导入")
    elif suffix == ".xlsx":
        _read_xlsx(str(path) if path is not None else io.BytesIO(content or b""), name, batch)
    else:
        _read_json(content if content is not None else (path or Path()).read_bytes(), name, batch)


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[RowError]]:
    """Files to import: the files given, and the .xlsx/.json files inside folders given."""
    files: list[Path] = []
    errors: list[RowError] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".xlsx", ".json")
                                and not p.name.startswith(("~$", "."))))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(RowError(str(path), "", None, "", None, "文件或文件夹不存在"))
    return files, errors


# --- validating ------------------------------------------------------------------------


def _validate(batch: _Batch, progress: Progress | None, total: int) -> None:
    """Validate every raw row (dropping it as it goes), then check keys."""
    raws, batch.raw = batch.raw, []
    for done, raw in enumerate(raws, start=1):
        try:
            data = raw.sheet.model.model_validate(raw.values)
        except ValidationError as exc:
            for key, message in field_errors(exc):
                batch.fail(raw.file, message, raw.sheet.title, raw.row, raw.sheet.title_of(key), raw.values.get(key))
        else:
            batch.rows[raw.sheet.key].append(Row(raw.file, raw.sheet, raw.row, data))
        if progress and done % 1000 == 0:
            progress(done, total)
    _check_duplicates(batch)


_KEYS: dict[str, Callable[[Any], tuple[str, ...]]] = {
    "providers": lambda d: (d.uscc,),
    "solutions": lambda d: (d.code,),
    "enterprises": lambda d: (d.uscc,),
    "needs": lambda d: (d.enterprise_uscc, d.code),
    "links": lambda d: (d.leader_uscc, d.member_uscc),
}
_KEY_COLUMN = {"providers": "uscc", "solutions": "code", "enterprises": "uscc", "needs": "code",
               "links": "member_uscc"}


def _check_duplicates(batch: _Batch) -> None:
    for list_key, rows in batch.rows.items():
        seen: dict[tuple[str, ...], Row] = {}
        for row in rows:
            key = _KEYS[list_key](row.data)
            first = seen.setdefault(key, row)
            if first is not row:
                column = _KEY_COLUMN[list_key]
                batch.errors.append(row.error(column, getattr(row.data, column),
                                              f"与 {first.file} 第 {first.row} 行重复（{'、'.join(key)}），"
                                              "同一记录在一次导入中只能出现一次"))


_NO_ENTERPRISE = "未找到该企业：应为本次导入的试点企业或系统中已有企业的统一社会信用代码"


def _check_references(batch: _Batch, stored: Stored) -> None:
    providers = {r.data.uscc for r in batch.rows["providers"]} | set(stored.providers)
    enterprises = {r.data.uscc for r in batch.rows["enterprises"]} | set(stored.enterprises)
    for row in batch.rows["solutions"]:
        if row.data.provider_uscc not in providers:
            batch.errors.append(row.error("provider_uscc", row.data.provider_uscc,
                                          "未找到该服务商：应为本次导入的服务商或系统中已有服务商的统一社会信用代码"))
    for row in batch.rows["needs"]:
        if row.data.enterprise_uscc not in enterprises:
            batch.errors.append(row.error("enterprise_uscc", row.data.enterprise_uscc, _NO_ENTERPRISE))
    _check_links(batch, stored, enterprises)


def _check_links(batch: _Batch, stored: Stored, enterprises: set[str]) -> None:
    by_id = {int(e.id or 0): uscc for uscc, e in stored.enterprises.items()}
    members = {(r.data.leader_uscc, r.data.member_uscc) for r in batch.rows["links"]}
    members |= {(by_id[a], by_id[b]) for a, b in stored.links if a in by_id and b in by_id}
    for row in batch.rows["links"]:
        d = row.data
        for key in ("leader_uscc", "member_uscc", "via_uscc"):
            value = getattr(d, key)
            if value and value not in enterprises:
                batch.errors.append(row.error(key, value, _NO_ENTERPRISE))
        if d.leader_uscc == d.member_uscc:
            batch.errors.append(row.error("member_uscc", d.member_uscc, "成员不能是链主本身"))
        elif d.via_uscc and d.via_uscc in (d.leader_uscc, d.member_uscc):
            batch.errors.append(row.error("via_uscc", d.via_uscc, "上游成员应为链上的另一家成员企业，不能是链主或成员本身"))
        elif d.via_uscc and (d.leader_uscc, d.via_uscc) not in members:
            batch.errors.append(row.error("via_uscc", d.via_uscc, "上游成员应先作为该链主的成员登记（一级成员）"))


RegionCheck = Callable[[str], bool]
# sheet key → (column naming the record whose region decides, "provider" or "enterprise")
_OWNER = {"providers": ("uscc", "provider"), "solutions": ("provider_uscc", "provider"),
          "enterprises": ("uscc", "enterprise"), "needs": ("enterprise_uscc", "enterprise"),
          "links": ("leader_uscc", "enterprise")}


def _owner_regions(session: Session, in_file: dict[str, dict[str, str]], stored: Stored,
                   row: Row) -> list[tuple[str, bool]]:
    """The regions a row reaches, each with whether the file itself says it: its owner's in this
    file and in the database (and a moved solution's)."""
    column, kind = _OWNER[row.sheet.key]
    owner = getattr(row.data, column)
    known = stored.providers if kind == "provider" else stored.enterprises
    found = [(in_file[kind].get(owner), True), (getattr(known.get(owner), "region", None), False)]
    solution = stored.solutions.get(row.data.code) if row.sheet.key == "solutions" else None
    if solution is not None:
        current = session.get(Provider, solution.provider_id)
        found.append((current.region if current is not None else None, False))
    return [(str(r), said) for r, said in found if r]


def _check_regions(session: Session, batch: _Batch, stored: Stored, allow_region: RegionCheck) -> None:
    """A row error for every row that would create, change or attach to a record outside the allowed regions."""
    in_file = {kind: {r.data.uscc: r.data.region for r in batch.rows[f"{kind}s"]} for kind in ("provider", "enterprise")}
    for rows in batch.rows.values():
        for row in rows:
            outside = [(r, said) for r, said in _owner_regions(session, in_file, stored, row) if not allow_region(r)]
            if outside:
                column = _OWNER[row.sheet.key][0]
                region, said = outside[0]
                message = (f"该行涉及的记录位于“{region}”，不在本账号管辖的地区内，不能导入" if said else
                           "该行涉及平台中已有的一条记录，它不在本账号管辖的地区内，不能导入")  # its region is not told
                batch.errors.append(row.error(column, getattr(row.data, column), message))


# --- entry points ----------------------------------------------------------------------


def _run(session: Session, batch: _Batch, actor: str, status: ListingStatus, progress: Progress | None,
         allow_region: RegionCheck | None = None) -> ImportReport:
    total = 2 * len(batch.raw)
    _validate(batch, progress, total)
    stored = load_stored(session, batch.rows)
    _check_references(batch, stored)
    if allow_region is not None:
        _check_regions(session, batch, stored, allow_region)
    if batch.errors:
        raise ImportRejected(sorted(batch.errors, key=_error_order))
    report = ImportReport(files=batch.files, rows=total // 2, warnings=batch.warnings)
    write(Writer(session, actor, ListingStatus(status), report, stored, progress, total, total // 2), batch.rows)
    return report


def _error_order(e: RowError) -> tuple[str, int, int, int]:
    sheet_order = next((i for i, s in enumerate(SHEETS) if s.title == e.sheet), -1)
    return (e.file, sheet_order, e.row or 0, 0)


def import_paths(*, session: Session, paths: list[Path], actor: str, progress: Progress | None = None,
                 status: ListingStatus = ListingStatus.PUBLISHED,
                 allow_region: RegionCheck | None = None) -> ImportReport:
    """Import files and folders (.xlsx, .json) as one: all rows valid, or ImportRejected and nothing stored.

    New providers and solutions get `status` (已入库 by default: the importer is a bureau or the CLI).
    `allow_region(region)` (when given) must accept the region of every record a row creates,
    changes or attaches to — as written in the file and as stored — or the row is an error
    naming the region (providers and enterprises by their own region; solutions, needs and
    chain links by their provider, enterprise and leader).
    """
    files, errors = expand_paths([Path(p) for p in paths])
    batch = _Batch(errors=errors)
    for path in files:
        _read_source(str(path), None, path, batch)
    if not files and not errors:
        batch.fail("", "没有找到 .xlsx 或 .json 文件")
    return _run(session, batch, actor, status, progress, allow_region)


def import_bytes(*, session: Session, filename: str, content: bytes, actor: str,
                 status: ListingStatus = ListingStatus.PUBLISHED, progress: Progress | None = None,
                 allow_region: RegionCheck | None = None) -> ImportReport:
    """Import one uploaded file (.xlsx or .json) with the same all-or-nothing rules (and `allow_region`)."""
    batch = _Batch()
    _read_source(Path(filename).name or "upload", content, None, batch)
    return _run(session, batch, actor, status, progress, allow_region)


def import_as(*, session: Session, user: User | None, filename: str, content: bytes, actor: str,
              progress: Progress | None = None) -> ImportReport:
    """Import an upload for `user`, checked as it runs (a queued import runs later than its upload):
    the account still active and still allowed to import (exchange permissions), every row within
    its regions as they are now. Otherwise Forbidden or ImportRejected, and nothing is stored."""
    if user is None or not user.active:
        raise Forbidden("importer_inactive", "发起导入的账号已停用或不存在，导入未执行，未保存任何数据")
    exchange_rules.require_import(user)
    return import_bytes(session=session, filename=filename, content=content, actor=actor, progress=progress,
                        allow_region=lambda region: in_regions(user, region))
