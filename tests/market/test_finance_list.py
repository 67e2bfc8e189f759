"""The finance list (金融清单): a bureau adds a product for its city through the service, audited."""

from __future__ import annotations

from sqlmodel import Session, select

from catalog.audit.models import AuditEntry
from catalog.db import get_engine
from catalog.progress.models import FinanceProduct


def test_a_bureau_adds_a_finance_product_and_the_audit_log_names_it(client, world, as_user, database_url) -> None:
    response = client.post("/api/progress/finance", headers=as_user("jj_bureau"),
                           json={"name": "数转贷", "lender": "九江银行", "rate_pct": 3.2, "term_months": 36})
    assert response.status_code == 201, response.text
    product_id = response.json()["id"]
    with Session(get_engine(database_url)) as session:
        stored = session.get(FinanceProduct, product_id)
        entry = session.exec(select(AuditEntry).where(AuditEntry.record_type == "finance_product",
                                                      AuditEntry.record_key == str(product_id))).one()
    assert stored is not None and stored.region == response.json()["region"] and stored.region
    assert entry.action == "create" and entry.actor.endswith("jj_bureau")
    bad = client.post("/api/progress/finance", headers=as_user("jj_bureau"), json={"name": "", "lender": "x"})
    assert bad.status_code == 422
