"""`market backup` and `market restore`: an empty instance gets identical records, the
same search results, and an audit chain that verifies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import meilisearch
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from catalog.audit import service as audit
from catalog.db import get_engine
from catalog.errors import Conflict, ValidationFailed
from market import backup
from search_index.client import index_uid, search
from search_index.server import LocalMeilisearch
from search_index.sync import reindex

QUERIES = ("MES", "设备管理", "仓储物流", "财务", "质量追溯", "纺织")


def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key, datetimes compared as UTC instants."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with get_engine(url).connect() as conn:
        for table in backup.tables():
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(sa.select(table).order_by(*order)).all()
            out[table.name] = [tuple(_plain(v) for v in row) for row in rows]
    return out


def _plain(value: Any) -> Any:
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return audit._iso(value)  # naive (SQLite) and aware (PostgreSQL) alike, as UTC
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _hits(client: meilisearch.Client, prefix: str) -> list[list[tuple[float, list[int]]]]:
    """Per query: the ranking scores in order, each with the ids scoring it.

    Hits of equal score come back in the order their documents were indexed, which follows
    the database's physical row order (the document builders read without ORDER BY), so
    ties are compared as sets.
    """
    uid = index_uid(prefix, "solutions")
    out = []
    for q in QUERIES:
        groups: dict[float, list[int]] = {}
        for hit in search(client, uid, {"q": q, "limit": 500, "showRankingScore": True})["hits"]:
            groups.setdefault(round(hit["_rankingScore"], 9), []).append(hit["id"])
        out.append([(score, sorted(ids)) for score, ids in groups.items()])
    return out


def _documents(client: meilisearch.Client, prefix: str) -> dict[str, list[dict[str, Any]]]:
    """Every indexed document, without `indexed_at` (when it was written, not what it says)."""
    out = {}
    for kind in ("solutions", "providers", "needs"):
        docs = client.index(index_uid(prefix, kind)).get_documents({"limit": 10_000}).results
        out[kind] = sorted(({k: v for k, v in dict(d).items() if k != "indexed_at"} for d in docs),
                           key=lambda d: d["id"])
    return out


@pytest.mark.meili
def test_restore_gives_identical_records_search_and_audit_chain(
    demo_database_url: str, database_url: str, tmp_path: Path,
    meili: meilisearch.Client, meili_server: LocalMeilisearch, prefix: str,
) -> None:
    reindex(database_url=demo_database_url, client=meili, prefix=prefix)
    before_hits = _hits(meili, prefix)
    assert any(before_hits), "the demo catalogue must answer at least one query"
    out = tmp_path / "bk"
    manifest = backup.backup(database_url=demo_database_url, out_dir=out, client=meili,
                             meili_dump_dir=meili_server.data_dir / "dumps")
    assert manifest["counts"]["solution"] > 0 and manifest["audit_head"]["id"] > 0
    assert manifest["search"]["status"] == "dumped" and (out / backup.MEILI_FILE).stat().st_size > 0

    restored_prefix = prefix + "r"
    try:
        report = backup.restore(database_url=database_url, in_dir=out, client=meili, prefix=restored_prefix)
        assert report.counts == manifest["counts"]
        assert _snapshot(database_url) == _snapshot(demo_database_url)
        assert _documents(meili, restored_prefix) == _documents(meili, prefix)
        assert _hits(meili, restored_prefix) == before_hits
        with Session(get_engine(database_url)) as session:
            assert audit.verify(session=session).ok
            # the restored instance keeps working: new audit entries chain on
            audit.append(session=session, actor="t", action="check", record_type="solution",
                         record_key="1", before=None, after={"x": 1})
            session.commit()
            assert audit.verify(session=session).ok
    finally:
        for index in meili.get_indexes({"limit": 1000})["results"]:
            if index.uid.startswith(restored_prefix):
                meili.delete_index(index.uid)


def test_restore_refuses_a_non_empty_instance(demo_database_url: str, tmp_path: Path) -> None:
    out = tmp_path / "bk"
    backup.backup(database_url=demo_database_url, out_dir=out)
    before = _snapshot(demo_database_url)
    with pytest.raises(Conflict) as caught:
        backup.restore(database_url=demo_database_url, in_dir=out)
    assert "空实例" in caught.value.message
    assert _snapshot(demo_database_url) == before


def test_restore_rejects_a_corrupt_backup(demo_database_url: str, database_url: str, tmp_path: Path) -> None:
    out = tmp_path / "bk"
    manifest = backup.backup(database_url=demo_database_url, out_dir=out)
    data = out / manifest["database"]["file"]
    data.write_bytes(data.read_bytes()[:-10])
    with pytest.raises(ValidationFailed) as caught:
        backup.restore(database_url=database_url, in_dir=out)
    assert "损坏" in caught.value.message
    seeded = backup.seeded_tables()  # rows the migrations themselves write
    assert not any(rows for name, rows in _snapshot(database_url).items() if name not in seeded)


def test_backup_refuses_a_used_directory(demo_database_url: str, tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(Conflict):
        backup.backup(database_url=demo_database_url, out_dir=tmp_path)
