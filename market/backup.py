"""`market backup` / `market restore`: a consistent database dump, a Meilisearch dump and a
manifest (row counts per table, the audit chain's head), and the way back.

Database, by backend:
- SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live file page by
  page under a read transaction, so writers may keep going; counts and the audit head are
  then read from the copy itself, so they describe exactly what was saved.
- PostgreSQL: a logical dump of every table as JSON lines, read in ONE `REPEATABLE READ,
  READ ONLY` transaction (one snapshot: counts, audit head and rows agree). Chosen over
  `pg_dump --format=custom` because pg_dump refuses a server newer than itself and its
  output only restores into PostgreSQL; the JSON dump restores into an empty, migrated
  instance of either backend with the same code, and needs no binaries on the host.

Search: the index is derived from the database. The backup asks Meilisearch for a dump
(POST /dumps) and keeps the file when the server is local (its dump dir is known); restore
rebuilds the index from the restored database with `reindex`, which is robust whatever
version the dump came from (importing a dump needs a server restarted with --import-dump).
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from catalog.audit import service as audit
from catalog.db import get_engine
from catalog.errors import Conflict, ValidationFailed
from market import schema  # noqa: F401  (every table on SQLModel.metadata)
from market.database import migrate

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
JSON_FILE = "database.jsonl.gz"
MEILI_FILE = "search.dump"
FORMAT_VERSION = 1
SKIPPED_TABLES = frozenset({"alembic_version"})


@dataclass(frozen=True)
class RestoreReport:
    counts: dict[str, int]
    audit_message_zh: str
    reindexed: dict[str, int] | None


def tables() -> list[sa.Table]:
    """Every table of the schema, parents before children."""
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _counts(conn: sa.Connection) -> dict[str, int]:
    return {t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in tables()}


def _audit_head(conn: sa.Connection) -> dict[str, Any]:
    table = SQLModel.metadata.tables["auditentry"]
    row = conn.execute(sa.select(table.c.id, table.c.hash).order_by(table.c.id.desc()).limit(1)).first()
    return {"id": int(row[0]), "hash": str(row[1])} if row else {"id": 0, "hash": audit.GENESIS}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- values as JSON

def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value: Any, column: sa.Column[Any]) -> Any:
    if isinstance(value, dict) and len(value) == 1 and not isinstance(column.type, sa.JSON):
        (tag, text), = value.items()
        decoders: dict[str, Callable[[str], Any]] = {"$dt": datetime.fromisoformat, "$d": date.fromisoformat, "$dec": Decimal,
                    "$b64": base64.b64decode}
        if tag in decoders:
            return decoders[tag](text)
    return value


# ---------------------------------------------------------------- backup

def _backup_sqlite(database_url: str, out_dir: Path) -> tuple[dict[str, Any], dict[str, int], dict[str, Any]]:
    source_path = sa.engine.make_url(database_url).database or ""
    target = out_dir / SQLITE_FILE
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    copy_engine = sa.create_engine(f"sqlite:///{target}")
    try:
        with copy_engine.connect() as conn:
            counts, head = _counts(conn), _audit_head(conn)
    finally:
        copy_engine.dispose()
    return {"format": "sqlite-backup-api", "file": SQLITE_FILE, "sha256": _sha256(target)}, counts, head


def _backup_logical(database_url: str, out_dir: Path) -> tuple[dict[str, Any], dict[str, int], dict[str, Any]]:
    target = out_dir / JSON_FILE
    engine = get_engine(database_url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        counts, head = _counts(conn), _audit_head(conn)
        with gzip.open(target, "wt", encoding="utf-8") as handle:
            for table in tables():
                handle.write(json.dumps({"table": table.name}, ensure_ascii=False) + "\n")
                order = list(table.primary_key.columns) or list(table.columns)
                for row in conn.execution_options(yield_per=2000).execute(sa.select(table).order_by(*order)):
                    record = {key: _encode(value) for key, value in row._mapping.items()}
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        conn.rollback()
    return {"format": "jsonl-repeatable-read", "file": JSON_FILE, "sha256": _sha256(target)}, counts, head


def _meili_dump(client: Any, dump_dir: Path | None, out_dir: Path) -> dict[str, Any]:
    """Ask Meilisearch for a dump; copy the file when its dump dir is known."""
    from search_index.client import task_uid, wait_or_raise

    try:
        task = client.create_dump()
        wait_or_raise(client, task, timeout_ms=600_000)
        finished = client.get_task(task_uid(task))
    except Exception as exc:  # the index is derived: a backup without it still restores
        return {"status": "skipped", "reason_zh": f"搜索索引未转储（{type(exc).__name__}），恢复时由数据库重建"}
    details = getattr(finished, "details", None) or {}
    dump_uid = details.get("dumpUid") if isinstance(details, dict) else None
    result: dict[str, Any] = {"status": "dumped", "dump_uid": dump_uid}
    source = dump_dir / f"{dump_uid}.dump" if dump_dir and dump_uid else None
    if source is not None and source.exists():
        shutil.copyfile(source, out_dir / MEILI_FILE)
        result.update(file=MEILI_FILE, sha256=_sha256(out_dir / MEILI_FILE))
    else:
        result["note_zh"] = "转储文件保存在搜索服务器的 dumps 目录中"
    return result


def backup(*, database_url: str, out_dir: Path, client: Any = None, meili_dump_dir: Path | None = None) -> dict[str, Any]:
    """Write a consistent dump of the database (and of Meilisearch) and a manifest into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise Conflict("backup_dir_not_empty", f"备份目录 {out_dir} 不是空目录，请换一个新目录")
    dialect = get_engine(database_url).dialect.name
    dump = _backup_sqlite if dialect == "sqlite" else _backup_logical
    database, counts, head = dump(database_url, out_dir)
    manifest = {
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "backend": dialect,
        "database": database,
        "counts": counts,
        "audit_head": head,
        "search": _meili_dump(client, meili_dump_dir, out_dir) if client is not None
        else {"status": "skipped", "reason_zh": "未连接搜索服务，恢复时由数据库重建索引"},
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    return manifest


# ---------------------------------------------------------------- restore

def read_manifest(in_dir: Path) -> dict[str, Any]:
    """The manifest of a backup directory, its database file checked against its hash."""
    path = in_dir / MANIFEST
    if not path.exists():
        raise ValidationFailed("backup_missing_manifest", f"{in_dir} 中没有 {MANIFEST}，不是一个备份目录")
    manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ValidationFailed("backup_bad_version", f"不支持的备份格式版本：{manifest.get('format_version')}")
    data = in_dir / manifest["database"]["file"]
    if not data.exists() or _sha256(data) != manifest["database"]["sha256"]:
        raise ValidationFailed("backup_corrupt", f"备份文件 {data.name} 缺失或已损坏（校验和不符）")
    return manifest


@functools.cache
def seeded_tables() -> frozenset[str]:
    """Tables the migrations themselves fill (e.g. a singleton row): found by migrating a scratch database."""
    with tempfile.TemporaryDirectory(prefix="szt-schema-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'scratch.db'}"
        migrate(url)
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                return frozenset(name for name, n in _counts(conn).items() if n)
        finally:
            engine.dispose()


def _require_empty(conn: sa.Connection) -> None:
    seeded = seeded_tables()
    used = {name: n for name, n in _counts(conn).items() if n and name not in seeded}
    if used:
        listed = "、".join(f"{name}（{n} 行）" for name, n in sorted(used.items()))
        raise Conflict("restore_target_not_empty", f"目标数据库不是空的：{listed}。恢复只能写入空实例")


def _rows_from_sqlite(path: Path) -> Iterator[tuple[sa.Table, list[dict[str, Any]]]]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            for table in tables():
                order = list(table.primary_key.columns) or list(table.columns)
                yield table, [dict(r._mapping) for r in conn.execute(sa.select(table).order_by(*order))]
    finally:
        engine.dispose()


def _rows_from_json(path: Path) -> Iterator[tuple[sa.Table, list[dict[str, Any]]]]:
    known = SQLModel.metadata.tables
    table: sa.Table | None = None
    rows: list[dict[str, Any]] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if set(record) == {"table"} and record["table"] in known:
                if table is not None:
                    yield table, rows
                table, rows = known[record["table"]], []
                continue
            if table is not None:
                rows.append({k: _decode(v, table.c[k]) for k, v in record.items() if k in table.c})
    if table is not None:
        yield table, rows


def _reset_sequences(conn: sa.Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}).scalar()
        if seq:
            conn.execute(sa.text(f'SELECT setval(:s, COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 0) + 1, false)'),
                         {"s": seq})


def _load_rows(database_url: str, manifest: dict[str, Any], in_dir: Path) -> None:
    data = in_dir / manifest["database"]["file"]
    source = _rows_from_sqlite(data) if manifest["database"]["format"] == "sqlite-backup-api" else _rows_from_json(data)
    with get_engine(database_url).begin() as conn:
        _require_empty(conn)
        for name in seeded_tables():  # the backup holds these tables' rows as they were
            conn.execute(SQLModel.metadata.tables[name].delete())
        for table, rows in source:
            for start in range(0, len(rows), 1000):
                conn.execute(table.insert(), rows[start:start + 1000])
        _reset_sequences(conn)


def _check_restored(database_url: str, manifest: dict[str, Any]) -> tuple[dict[str, int], str]:
    from sqlmodel import Session

    with get_engine(database_url).connect() as conn:
        counts, head = _counts(conn), _audit_head(conn)
    expected = {k: v for k, v in manifest["counts"].items() if k in counts}
    if {k: counts[k] for k in expected} != expected or head != manifest["audit_head"]:
        raise ValidationFailed("restore_mismatch", "恢复后的行数或审计链末条与备份清单不符")
    with Session(get_engine(database_url)) as session:
        result = audit.verify(session=session)
    if not result.ok:
        raise ValidationFailed("restore_audit_broken", f"恢复后审计链校验失败：{result.message_zh}")
    return counts, result.message_zh


def restore(*, database_url: str, in_dir: Path, client: Any = None, prefix: str = "szt") -> RestoreReport:
    """Restore a backup into an empty instance, verify counts and the audit chain, rebuild search."""
    manifest = read_manifest(in_dir)
    migrate(database_url)
    _load_rows(database_url, manifest, in_dir)
    counts, message = _check_restored(database_url, manifest)
    reindexed = None
    if client is not None:
        from search_index.sync import reindex

        reindexed = reindex(database_url=database_url, client=client, prefix=prefix)
    return RestoreReport(counts=counts, audit_message_zh=message, reindexed=reindexed)
