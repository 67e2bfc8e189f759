"""The write phase of an import: the stored records an import names, then upserts in the
caller's transaction (flushed, never committed). Runs only once every row has passed
validation (catalog/exchange/imports.py); counts created / updated / unchanged per list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, SQLModel, col, select

from catalog import writes
from catalog.chains.models import ChainLink
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import RowError
from catalog.exchange.format import LIST_LABELS, SHEETS, Sheet
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.records import Audited, utcnow
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution

Progress = Callable[[int, int], None]
M = TypeVar("M", bound=SQLModel)


@dataclass
class ImportReport:
    """What an import did: counts per list, warnings and names flagged as probable duplicates."""

    files: list[str] = field(default_factory=list)
    rows: int = 0
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {s.key: {"created": 0, "updated": 0, "unchanged": 0} for s in SHEETS})
    warnings: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    def summary_zh(self) -> str:
        """One line per list that had rows: 服务商：新增 3，更新 1，未变 20."""
        lines = []
        for key, c in self.counts.items():
            if any(c.values()):
                lines.append(f"{LIST_LABELS[key]}：新增 {c['created']}，更新 {c['updated']}，未变 {c['unchanged']}")
        return "\n".join(lines) or "没有可导入的数据"


@dataclass
class Row:
    """One validated row and where it came from."""

    file: str
    sheet: Sheet
    row: int
    data: Any  # the validated row schema

    def error(self, column_key: str, value: Any, message: str) -> RowError:
        return RowError(self.file, self.sheet.title, self.row, self.sheet.title_of(column_key), value, message)


@dataclass
class Stored:
    """The stored records an import names, by business key."""

    providers: dict[str, Provider]
    solutions: dict[str, Solution]
    enterprises: dict[str, Enterprise]
    links: dict[tuple[int, int], ChainLink] = field(default_factory=dict)
    needs: dict[tuple[int, str], Need] = field(default_factory=dict)


def _by_key(session: Session, model: type[M], column: str, keys: list[str], chunk: int = 500) -> dict[str, M]:
    """Existing records whose `column` is in `keys`, by key (one query per `chunk` keys)."""
    found: dict[str, M] = {}
    unique = sorted(set(keys))
    for start in range(0, len(unique), chunk):
        part = unique[start:start + chunk]
        for record in session.exec(select(model).where(col(getattr(model, column)).in_(part))).all():
            found[getattr(record, column)] = record
    return found


def load_stored(session: Session, rows: dict[str, list[Row]]) -> Stored:
    """The stored records these rows name, fetched by key in a few queries."""
    provider_keys = [r.data.uscc for r in rows["providers"]] + [r.data.provider_uscc for r in rows["solutions"]]
    enterprise_keys = [r.data.uscc for r in rows["enterprises"]] + [r.data.enterprise_uscc for r in rows["needs"]]
    for r in rows["links"]:
        enterprise_keys += [k for k in (r.data.leader_uscc, r.data.member_uscc, r.data.via_uscc) if k]
    stored = Stored(
        providers=_by_key(session, Provider, "uscc", provider_keys),
        solutions=_by_key(session, Solution, "code", [r.data.code for r in rows["solutions"]]),
        enterprises=_by_key(session, Enterprise, "uscc", enterprise_keys),
    )
    ids = sorted(int(e.id or 0) for e in stored.enterprises.values())
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for link in session.exec(select(ChainLink).where(col(ChainLink.leader_id).in_(part))).all():
            stored.links[(link.leader_id, link.member_id)] = link
        if rows["needs"]:
            for need in session.exec(select(Need).where(col(Need.enterprise_id).in_(part))).all():
                stored.needs[(need.enterprise_id, need.code)] = need
    return stored


@dataclass
class Writer:
    session: Session
    actor: str
    status: ListingStatus
    report: ImportReport
    stored: Stored
    progress: Progress | None
    total: int
    done: int = 0

    def upsert(self, list_key: str, model: type[Audited], rows: list[Row], existing: dict[Any, Any],
               key: Callable[[Row], Any], changes: Callable[[Row], dict[str, Any]],
               values: Callable[[Row], dict[str, Any]]) -> dict[Any, int]:
        """Update stored records in place, insert the others in one statement; returns every key's id."""
        ids = {k: int(record.id) for k, record in existing.items()}
        new_keys: list[Any] = []
        new_values: list[dict[str, Any]] = []
        with writes.conflict_on_stale():
            for row in rows:
                record = existing.get(key(row))
                if record is None:
                    new_keys.append(key(row))
                    new_values.append(values(row))
                else:
                    self._update_one(list_key, record, changes(row))
        writes.flush(session=self.session)
        created = writes.insert_rows(session=self.session, model=model, rows=new_values, actor=self.actor)
        ids.update(zip(new_keys, created, strict=True))
        self.report.counts[list_key]["created"] += len(created)
        self.done += len(rows)
        if self.progress:
            self.progress(self.done, self.total)
        if issubclass(model, (Provider, Enterprise)):
            self._flag_duplicates(model, dict(zip(created, new_values, strict=True)))
        return ids

    def _update_one(self, list_key: str, record: Audited, changes: dict[str, Any]) -> None:
        old_name = getattr(record, "name", None)
        counts = self.report.counts[list_key]
        if writes.change(session=self.session, record=record, changes=changes, actor=self.actor):
            counts["updated"] += 1
            if isinstance(record, Provider) and record.name != old_name:
                provider_service.enqueue_provider_solutions(session=self.session, provider=record)
        else:
            counts["unchanged"] += 1

    def _flag_duplicates(self, model: type[Provider] | type[Enterprise], created: dict[int, dict[str, Any]]) -> None:
        """Flag new providers/enterprises whose name key matches another record with another USCC."""
        keys = sorted({v["name_key"] for v in created.values() if v["name_key"]})
        first: dict[str, tuple[int | None, str, str]] = {}
        for start in range(0, len(keys), 500):
            query = (select(model.id, model.name_key, model.uscc, model.name)
                     .where(col(model.name_key).in_(keys[start:start + 500])).order_by(col(model.id)))
            for record_id, name_key, uscc, name in self.session.exec(query).all():
                first.setdefault(name_key, (record_id, uscc, name))
        for record_id, new in created.items():
            other = first.get(new["name_key"])
            if other is not None and other[1] != new["uscc"]:
                self.session.execute(update(model).where(col(model.id) == record_id).values(probable_duplicate_of=other[0]))
                self.report.duplicates.append(
                    f"{model.label}“{new['name']}”（{new['uscc']}）与“{other[2]}”（{other[1]}）名称相近，已标记为疑似重复，请核实")


def write(writer: Writer, rows: dict[str, list[Row]]) -> None:
    """Upsert every validated row, list by list, parents before children."""
    stored, status, actor = writer.stored, writer.status, writer.actor
    providers = writer.upsert("providers", Provider, rows["providers"], stored.providers,
                              lambda r: r.data.uscc, lambda r: r.data.model_dump(),
                              lambda r: provider_service.provider_values(r.data, status=status, actor=actor))

    def solution_fields(r: Row) -> dict[str, Any]:
        return r.data.model_dump(exclude={"provider_uscc"}) | {"provider_id": providers[r.data.provider_uscc]}

    writer.upsert("solutions", Solution, rows["solutions"], stored.solutions, lambda r: r.data.code,
                  solution_fields, lambda r: solution_service.solution_values(
                      r.data, provider_id=providers[r.data.provider_uscc], status=status, actor=actor))
    enterprises = writer.upsert("enterprises", Enterprise, rows["enterprises"], stored.enterprises,
                                lambda r: r.data.uscc, lambda r: r.data.model_dump(),
                                lambda r: enterprise_service.enterprise_values(r.data))
    _write_needs(writer, rows["needs"], enterprises)
    _write_links(writer, rows["links"], enterprises)
    writes.flush(session=writer.session)


def _write_needs(writer: Writer, rows: list[Row], enterprises: dict[str, int]) -> None:
    positions: dict[int, int] = {}
    for (enterprise_id, _code), need in writer.stored.needs.items():
        positions[enterprise_id] = max(positions.get(enterprise_id, -1), need.position)

    def values(r: Row) -> dict[str, Any]:
        owner = enterprises[r.data.enterprise_uscc]
        positions[owner] = positions.get(owner, -1) + 1
        return enterprise_service.need_values(r.data, enterprise_id=owner, position=positions[owner])

    writer.upsert("needs", Need, rows, writer.stored.needs,
                  lambda r: (enterprises[r.data.enterprise_uscc], r.data.code),
                  lambda r: r.data.model_dump(exclude={"enterprise_uscc"}), values)


def _write_links(writer: Writer, rows: list[Row], enterprises: dict[str, int]) -> None:
    def fields(r: Row) -> dict[str, Any]:
        d = r.data
        return {"leader_id": enterprises[d.leader_uscc], "member_id": enterprises[d.member_uscc],
                "via_id": enterprises[d.via_uscc] if d.via_uscc else None, "relation": d.relation, "share": d.share}

    def values(r: Row) -> dict[str, Any]:
        now = utcnow()
        return fields(r) | {"created_at": now, "updated_at": now}

    writer.upsert("links", ChainLink, rows, writer.stored.links,
                  lambda r: (enterprises[r.data.leader_uscc], enterprises[r.data.member_uscc]), fields, values)
