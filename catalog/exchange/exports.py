"""Export of the catalogue in the exchange format (.xlsx or JSON), the inverse of imports.

Only the exchange keys are written (no ids, statuses or timestamps), rows sorted by
their keys, so export → import into an empty database → export gives the same file.
Spreadsheet cells that start with = + - @ are prefixed with ' (formula injection);
the import strips it again.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from sqlalchemy import false, or_, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from catalog.access import bureau_regions
from catalog.chains.models import ChainLink
from catalog.enterprises.models import Enterprise, Need
from catalog.exchange import permissions as exchange_rules
from catalog.exchange.format import SHEETS, Sheet
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.users.models import User
from catalog.xlsx_writer import Book

Progress = Callable[[int, int], None]
_BATCH = 1000


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _fields(record: Any, sheet: Sheet, **extra: Any) -> dict[str, Any]:
    row = {c.key: extra[c.key] if c.key in extra else getattr(record, c.key, None) for c in sheet.columns}
    return {k: _plain(v) for k, v in row.items()}


def _inside(column: Any, regions: list[str] | None) -> Any:
    """A WHERE clause: `column` starts with one of `regions` (None: no limit; no usable prefix: nothing)."""
    if regions is None:
        return true()
    prefixes = [r.strip() for r in regions if r and r.strip()]
    return or_(*[col(column).startswith(r, autoescape=True) for r in prefixes]) if prefixes else false()


def _providers(regions: list[str] | None) -> Any:
    return select(Provider).where(_inside(Provider.region, regions)).order_by(col(Provider.uscc))


def _solutions(regions: list[str] | None) -> Any:
    return (select(Solution, Provider.uscc).join(Provider, col(Solution.provider_id) == col(Provider.id))
            .where(_inside(Provider.region, regions)).order_by(col(Solution.code)))


def _enterprises(regions: list[str] | None) -> Any:
    return select(Enterprise).where(_inside(Enterprise.region, regions)).order_by(col(Enterprise.uscc))


def _needs(regions: list[str] | None) -> Any:
    return (select(Need, Enterprise.uscc).join(Enterprise, col(Need.enterprise_id) == col(Enterprise.id))
            .where(_inside(Enterprise.region, regions))
            .order_by(col(Enterprise.uscc), col(Need.position), col(Need.code)))


def _links(regions: list[str] | None) -> Any:
    leader, member, via = aliased(Enterprise), aliased(Enterprise), aliased(Enterprise)
    return (select(ChainLink, leader.uscc, member.uscc, via.uscc)
            .join(leader, col(ChainLink.leader_id) == leader.id)
            .join(member, col(ChainLink.member_id) == member.id)
            .outerjoin(via, col(ChainLink.via_id) == via.id)
            .where(_inside(leader.region, regions))
            .order_by(leader.uscc, member.uscc))


def _row(sheet: Sheet, result: Any) -> dict[str, Any]:
    if sheet.key in ("providers", "enterprises"):
        return _fields(result, sheet)
    if sheet.key == "solutions":
        return _fields(result[0], sheet, provider_uscc=result[1])
    if sheet.key == "needs":
        return _fields(result[0], sheet, enterprise_uscc=result[1])
    link, leader_uscc, member_uscc, via_uscc = result
    return _fields(link, sheet, leader_uscc=leader_uscc, member_uscc=member_uscc, via_uscc=via_uscc)


_QUERIES: dict[str, Callable[[list[str] | None], Any]] = {
    "providers": _providers,
    "solutions": _solutions,
    "enterprises": _enterprises,
    "needs": _needs,
    "links": _links,
}


def _rows(session: Session, sheet: Sheet, regions: list[str] | None) -> Iterator[dict[str, Any]]:
    query = _QUERIES[sheet.key](regions).execution_options(yield_per=_BATCH)
    for result in session.exec(query):
        yield _row(sheet, result)


def _total(session: Session, regions: list[str] | None) -> int:
    return sum(int(session.exec(select(func.count()).select_from(query(regions).order_by(None).subquery())).one())
               for query in _QUERIES.values())


class _Counter:
    def __init__(self, session: Session, progress: Progress | None, regions: list[str] | None) -> None:
        self.progress, self.done = progress, 0
        self.total = _total(session, regions) if progress else 0

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % _BATCH == 0 or self.done == self.total):
            self.progress(self.done, self.total)


def _write_xlsx(session: Session, target: Any, counter: _Counter, regions: list[str] | None) -> None:
    book = Book(write_only=True)
    for sheet in SHEETS:
        out = book.sheet(sheet.title)
        for index, column in enumerate(sheet.columns, start=1):
            out.cells.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(column.title) + 2)
        out.header(column.title for column in sheet.columns)
        for row in _rows(session, sheet, regions):
            out.append(row.values())
            counter.tick()
    book.save(target)


def _json_document(session: Session, counter: _Counter, regions: list[str] | None) -> bytes:
    document: dict[str, list[dict[str, Any]]] = {}
    for sheet in SHEETS:
        document[sheet.key] = []
        for row in _rows(session, sheet, regions):
            document[sheet.key].append(row)
            counter.tick()
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def export_bytes(*, session: Session, fmt: str, progress: Progress | None = None,
                 regions: list[str] | None = None) -> bytes:
    """The catalogue as an exchange file: fmt "xlsx" or "json".

    `regions` (prefix match) limits it to providers and enterprises located there, the
    solutions of those providers, the needs of those enterprises and the chain links of
    those leaders; None exports everything.
    """
    counter = _Counter(session, progress, regions)
    kind = fmt.lower().lstrip(".")
    if kind == "json":
        return _json_document(session, counter, regions)
    if kind == "xlsx":
        buffer = io.BytesIO()
        _write_xlsx(session, buffer, counter, regions)
        return buffer.getvalue()
    raise ValueError(f"不支持的导出格式“{fmt}”，应为 xlsx 或 json")


def export_as(*, session: Session, user: User | None, fmt: str, progress: Progress | None = None) -> bytes:
    """The catalogue as `user` may export it (the counterpart of `imports.import_as`): a bureau only
    (exchange permissions; Forbidden otherwise), limited to the regions it administers
    (`access.bureau_regions`), as `export_bytes` limits it."""
    exchange_rules.require_export(user)
    return export_bytes(session=session, fmt=fmt, progress=progress, regions=bureau_regions(user))


def export_path(*, session: Session, path: Path, progress: Progress | None = None,
                regions: list[str] | None = None) -> int:
    """Write the catalogue to `path` (.xlsx or .json by its extension); returns the rows written.

    `regions` limits the export as in export_bytes.
    """
    path = Path(path)
    counter = _Counter(session, progress, regions)
    kind = path.suffix.lower()
    if kind == ".xlsx":
        _write_xlsx(session, path, counter, regions)
    elif kind == ".json":
        path.write_bytes(_json_document(session, counter, regions))
    else:
        raise ValueError(f"不支持的导出格式“{path.suffix}”，应为 .xlsx 或 .json")
    return counter.done
