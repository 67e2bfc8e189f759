"""A cohort's scope (catalog.enterprises.queries.CohortScope) reads the same in the database
(the bureau's job, the command line on the database) and over records read from a file."""

from __future__ import annotations

import itertools

from catalog_builders import enterprise_data
from sqlmodel import Session

from catalog.enterprises import service as enterprise_service
from catalog.enterprises.queries import CohortScope, cohort_members

FIRMS = [("江西省九江市濂溪区", "C26", 1), ("江西省九江市湖口县", "C34", 2), ("河南省新乡市长垣市", "C34", 1),
         ("江西省南昌市", "C261", 1)]
SCOPES = [CohortScope(regions=("江西省九江市",)), CohortScope(regions=("江西省",), industry_codes=("C26",)),
          CohortScope(regions=("河南省新乡市", "江西省九江市"), batch=1), CohortScope(regions=()),
          CohortScope(regions=(), everywhere=True, industry_codes=("C34",)), CohortScope(regions=("九江",))]


def test_the_database_and_a_file_agree_on_who_is_in_a_cohort(session: Session) -> None:
    for n, (region, industry, batch) in enumerate(FIRMS):
        enterprise_service.create_enterprise(session=session, actor="局", data=enterprise_data(
            f"e{n}", region=region, industry=industry, batch=batch))
    session.flush()
    for scope in SCOPES:
        stored = {e.region for e in cohort_members(session=session, scope=scope)[0]}
        read = {r for r, i, b in FIRMS if scope.covers(r, i, b)}
        assert stored == read, scope
    assert not any(scope.covers(*firm) for firm, scope in itertools.product(FIRMS, SCOPES[3:4]))
