"""The one writer of every downloadable workbook (exchange export, event schedule, pilot lists,
target table, cohort and chain proposals).

Every cell goes through `neutralise`: text that a spreadsheet would run as a formula (starting
with = + - @, a tab or a carriage return) is written with a leading apostrophe, so
`=HYPERLINK(...)` typed into a name comes out as the text it is. catalog.exchange.format.unquote undoes
it when a workbook is imported again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from catalog.exchange.format import FORMULA_PREFIXES

BOLD = Font(bold=True)


def neutralise(value: Any) -> Any:
    """A spreadsheet cell value: lists joined with ；, text that would run as a formula quoted."""
    if isinstance(value, list | tuple):
        value = "；".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "'")):
        return "'" + value
    return value


class Sheet:
    """One worksheet: rows appended through `neutralise`; `cells` for styling what was written."""

    def __init__(self, book: Book, worksheet: Any) -> None:
        self._book = book
        self.cells = worksheet

    def append(self, row: Iterable[Any]) -> None:
        self.cells.append([neutralise(v) for v in row])

    def header(self, titles: Iterable[Any], font: Font = BOLD) -> None:
        """A row of titles in `font` (bold by default)."""
        values = [neutralise(t) for t in titles]
        if self._book.write_only:
            cells = []
            for value in values:
                cell = WriteOnlyCell(self.cells, value=value)
                cell.font = font
                cells.append(cell)
            self.cells.append(cells)
            return
        self.cells.append(values)
        for cell in self.cells[self.cells.max_row]:
            cell.font = font


class Book:
    """A workbook to download; `write_only` streams rows (large exports) at the cost of styling
    cells after they are written."""

    def __init__(self, *, write_only: bool = False) -> None:
        self.write_only = write_only
        self._workbook = Workbook(write_only=write_only)
        self._fresh = not write_only  # a normal workbook starts with one empty sheet

    def sheet(self, title: str) -> Sheet:
        """A new sheet named `title` (the first one reuses the workbook's initial sheet)."""
        if self._fresh:
            self._fresh = False
            worksheet: Worksheet = self._workbook.active  # type: ignore[assignment]
            worksheet.title = title
            return Sheet(self, worksheet)
        return Sheet(self, self._workbook.create_sheet(title))

    def save(self, target: Any) -> None:
        self._workbook.save(target)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()
