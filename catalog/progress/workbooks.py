"""xlsx of the target table: the export in the table's own layout (indicators down, segment ×
year columns, target and computed figure side by side) plus a 明细 sheet that imports back."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from catalog import xlsx
from catalog.errors import ImportRejected, RowError
from catalog.exchange.format import unquote
from catalog.progress.measures import MEASURES
from catalog.progress.models import TargetRow
from catalog.progress.queries import RowProgress, columns, pivot
from catalog.xlsx_writer import Book, Sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DETAIL_HEADERS = ["序号", "分段", "行业代码", "年度", "指标", "单位", "目标值", "完成值", "完成率", "计算口径"]
_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDE7F5")


def column_title(segment: str, year: int | None) -> str:
    return " ".join(p for p in (segment, f"{year}年" if year else "") if p) or "全市"


def _cell_value(item: RowProgress | None) -> tuple[Any, Any]:
    if item is None:
        return None, None
    return item.row.target, (item.actual if item.actual is not None else "—")


def _table_sheet(out: Sheet, title: str, rows: list[RowProgress]) -> None:
    cols = columns(rows)
    sheet = out.cells
    out.append([title])
    out.append(["序号", "指标", "单位", *[t for c in cols for t in (column_title(*c), "")]])
    out.append(["", "", "", *["目标值", "完成值"] * len(cols)])
    for i in range(len(cols)):
        start = 4 + 2 * i
        sheet.merge_cells(start_row=2, start_column=start, end_row=2, end_column=start + 1)
    for number, (indicator, unit, cells) in enumerate(pivot(rows), start=1):
        values = [v for c in cols for v in _cell_value(cells.get(c))]
        out.append([number, indicator, unit, *values])
    for row in sheet.iter_rows(min_row=1, max_row=3):
        for cell in row:
            cell.font, cell.alignment = _BOLD, Alignment(horizontal="center")
            if cell.row > 1:
                cell.fill = _HEAD
    sheet.column_dimensions["B"].width = 26
    for i in range(4, 4 + 2 * len(cols)):
        sheet.column_dimensions[get_column_letter(i)].width = 11


def _detail_sheet(sheet: Sheet, rows: list[RowProgress]) -> None:
    sheet.append(DETAIL_HEADERS)
    for cell in sheet.cells[1]:
        cell.font, cell.fill = _BOLD, _HEAD
    for item in rows:
        r = item.row
        sheet.append([r.position, r.segment, ",".join(r.industries), r.year, r.indicator, r.unit, r.target,
                      item.actual, item.percent, r.measure or ""])


def export_targets(rows: list[RowProgress], *, title: str) -> bytes:
    """The workbook: 目标总表 (the table's layout, computed figures filled in) and 明细."""
    book = Book()
    _table_sheet(book.sheet("目标总表"), title, rows)
    _detail_sheet(book.sheet("明细"), rows)
    return book.to_bytes()


def _number(value: Any, row: int, column: str, errors: list[RowError]) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        errors.append(RowError(file="", sheet="明细", row=row, column=column, value=value, message=f"“{value}”不是数字"))
        return None


def parse_targets(content: bytes, *, region: str, table_name: str) -> list[TargetRow]:
    """Target rows from a workbook's 明细 sheet (or first sheet) in the DETAIL_HEADERS layout."""
    lines = _sheet_lines(content)
    head = [str(v or "").strip() for v in (lines[0] if lines else [])]
    missing = [h for h in ("指标", "目标值") if h not in head]
    if missing:
        raise ImportRejected([], f"表头缺少：{'、'.join(missing)}（应为：{'、'.join(DETAIL_HEADERS)}）")
    return _rows(lines[1:], head, region, table_name)


def _sheet_lines(content: bytes) -> list[tuple[Any, ...]]:
    """The rows of the 明细 sheet (or the first one) through the hardened reader (catalog.xlsx)."""
    try:
        with xlsx.open_workbook(BytesIO(content)) as book:
            if not book.sheetnames:
                return []
            title = "明细" if "明细" in book.sheetnames else book.sheetnames[0]
            rows = [cells for _, cells in xlsx.sheet_rows(book, title)]
    except xlsx.WorkbookRejected as error:
        raise ImportRejected([], f"无法读取该文件：{error.message_zh}（请上传 .xlsx 格式的目标总表）") from error
    width = max((max(cells) + 1 for cells in rows if cells), default=0)
    return [tuple(cells.get(i) for i in range(width)) for cells in rows]


def _rows(lines: list[tuple[Any, ...]], head: list[str], region: str, table_name: str) -> list[TargetRow]:
    errors: list[RowError] = []
    out: list[TargetRow] = []
    for number, line in enumerate(lines, start=2):
        cells = dict(zip(head, (unquote(v) for v in line), strict=False))
        indicator = str(cells.get("指标") or "").strip()
        if not indicator:
            continue
        target = _number(cells.get("目标值"), number, "目标值", errors)
        year = cells.get("年度")
        measure = str(cells.get("计算口径") or "").strip() or None
        if measure and measure not in MEASURES:
            errors.append(RowError(file="", sheet="明细", row=number, column="计算口径", value=measure,
                                   message=f"未知的计算口径“{measure}”"))
        codes = [c.strip() for c in str(cells.get("行业代码") or "").replace("，", ",").split(",") if c.strip()]
        out.append(TargetRow(region=region, table_name=table_name, segment=str(cells.get("分段") or "").strip(),
                             industries=codes, year=int(year) if year not in (None, "") else None,
                             position=int(cells.get("序号") or number - 1), indicator=indicator,
                             unit=str(cells.get("单位") or "").strip(), target=target or 0.0, measure=measure))
    if errors:
        raise ImportRejected(errors, f"目标总表有 {len(errors)} 处错误，未导入")
    return out
