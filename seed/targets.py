"""Load the seed cities' target tables (目标总表) and finance products from seed/data/targets.json.

Idempotent: a row is found by (region, segment, year, indicator) and updated in place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from catalog.progress.models import FinanceProduct, TargetRow
from catalog.progress.service import upsert_targets

TARGETS_FILE = Path(__file__).resolve().parent / "data" / "targets.json"


def target_rows(raw: dict[str, Any]) -> list[TargetRow]:
    """Expand each table (rows × segments × years) into TargetRow records (not stored)."""
    rows: list[TargetRow] = []
    for table in raw["tables"]:
        years = table.get("years") or [table.get("year")]
        columns = [(seg, year) for seg in table["segments"] for year in years]
        for position, row in enumerate(table["rows"], start=1):
            for (segment, year), target in zip(columns, row["targets"], strict=True):
                rows.append(TargetRow(region=table["region"], table_name=table["name"], segment=segment["name"],
                                      industries=list(segment["industries"]), year=year, position=position,
                                      indicator=row["indicator"], unit=row["unit"], target=float(target),
                                      measure=row.get("measure")))
    return rows


def load_targets(*, session: Session, path: Path = TARGETS_FILE) -> int:
    """Load the seed target tables and finance products; returns the number of new target rows."""
    raw = json.loads(path.read_text("utf-8"))
    created = upsert_targets(session=session, rows=target_rows(raw))
    for item in raw.get("finance", []):
        exists = session.exec(select(FinanceProduct).where(FinanceProduct.region == item["region"],
                                                           FinanceProduct.name == item["name"])).first()
        if exists is None:
            session.add(FinanceProduct(**item))
    session.flush()
    return created
