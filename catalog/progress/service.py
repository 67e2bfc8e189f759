"""Writes of what a bureau keeps for its pilot: the target table (目标总表) and the finance list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from catalog.audit import service as audit
from catalog.progress import workbooks
from catalog.progress.models import FinanceProduct, TargetRow
from catalog.progress.permissions import progress_city
from catalog.progress.schemas import FinanceProductIn
from catalog.users.models import User
from catalog.users.service import actor_of


def add_finance_product(*, session: Session, region: str, data: FinanceProductIn, actor: str) -> FinanceProduct:
    """Add a product to a city's finance list, audited."""
    product = FinanceProduct(region=region, **data.model_dump())
    session.add(product)
    session.flush()
    audit.append(session=session, actor=actor, action="create", record_type="finance_product",
                 record_key=str(product.id), before=None, after=data.model_dump(mode="json") | {"region": region})
    return product


def add_finance_product_as(*, session: Session, user: User, region: str | None,
                           data: FinanceProductIn) -> FinanceProduct:
    """`user` adds a product to the finance list of the city it asks for (`progress_city`: the
    bureau of that city only, its first region by default), audited as that user."""
    city = progress_city(user, region)
    return add_finance_product(session=session, region=city, data=data, actor=actor_of(user))


def upsert_targets(*, session: Session, rows: list[TargetRow]) -> int:
    """Store target rows, updating in place the one already there for the same region, segment,
    year and indicator; returns how many were new."""
    created = 0
    for row in rows:
        found = session.exec(select(TargetRow).where(
            TargetRow.region == row.region, TargetRow.segment == row.segment, TargetRow.year == row.year,
            TargetRow.indicator == row.indicator)).first()
        if found is None:
            session.add(row)
            created += 1
            continue
        for name in ("table_name", "industries", "position", "unit", "target", "measure"):
            setattr(found, name, getattr(row, name))
        session.add(found)
    session.flush()
    return created


@dataclass(frozen=True)
class TargetImport:
    """What an import of the target table did: for which city, how many rows, how many new."""

    region: str
    rows: int
    created: int


def import_targets(*, session: Session, user: User, content: bytes, region: str | None) -> TargetImport:
    """A bureau's target table (xlsx, 明细 layout) stored for its city: every row checked first
    (ImportRejected names each bad cell, nothing is stored), then each row added or updated."""
    city = progress_city(user, region)
    rows = workbooks.parse_targets(content, region=city, table_name=f"{city}目标总表")
    return TargetImport(region=city, rows=len(rows), created=upsert_targets(session=session, rows=rows))
