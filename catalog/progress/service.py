"""Writes of the progress lists a bureau keeps."""

from __future__ import annotations

from sqlmodel import Session

from catalog.audit import service as audit
from catalog.progress.models import FinanceProduct
from catalog.progress.schemas import FinanceProductIn


def add_finance_product(*, session: Session, region: str, data: FinanceProductIn, actor: str) -> FinanceProduct:
    """Add a product to a city's finance list, audited."""
    product = FinanceProduct(region=region, **data.model_dump())
    session.add(product)
    session.flush()
    audit.append(session=session, actor=actor, action="create", record_type="finance_product",
                 record_key=str(product.id), before=None, after=data.model_dump(mode="json") | {"region": region})
    return product
