"""Who sees which unpublished solutions is stated once (`seen_beyond_published`): the SQL filter
`visible_solutions` and the search's audience (market/search/api.py, checked against the
index in tests/search_index/test_visibility.py) both read it; an inactive account sees no more
than the public."""

from __future__ import annotations

from catalog_builders import make_solution, provider_data, solution_data
from sqlmodel import Session, select

from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions import permissions as solution_rules
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.solutions.permissions import Beyond
from catalog.users.models import Role, User


def _published(session: Session, seed: str, **overrides: str) -> Provider:
    return provider_service.create_provider(session=session, data=provider_data(seed, **overrides), actor="tester",
                                            status=ListingStatus.PUBLISHED)


def _codes(session: Session, user: User | None) -> set[str]:
    return set(session.exec(solution_rules.visible_solutions(user, select(Solution.code))).all())


def test_the_rule_and_its_sql_agree(session: Session) -> None:
    here = _published(session, "p1")
    there = _published(session, "p2", region="河南省新乡市红旗区")
    make_solution(session, here, "S-001")
    for provider_id, code in ((here.id, "S-002"), (there.id, "S-003")):
        solution_service.create_solution(session=session, data=solution_data(int(provider_id or 0), code),
                                         actor="tester", status=ListingStatus.PENDING)
    bureau = User(username="b", password_hash="x", role=Role.BUREAU, regions=["江西省九江市", ""])
    provider = User(username="p", password_hash="x", role=Role.PROVIDER, provider_id=there.id)
    enterprise = User(username="e", password_hash="x", role=Role.ENTERPRISE, enterprise_id=1)
    asleep = User(username="z", password_hash="x", role=Role.BUREAU, regions=["江西省九江市"], active=False)
    assert solution_rules.seen_beyond_published(bureau) == Beyond(regions=("江西省九江市",))
    assert solution_rules.seen_beyond_published(provider) == Beyond(own_provider_id=there.id)
    for nobody in (None, enterprise, asleep):
        assert solution_rules.seen_beyond_published(nobody) == Beyond()
        assert _codes(session, nobody) == {"S-001"}
    assert _codes(session, bureau) == {"S-001", "S-002"}
    assert _codes(session, provider) == {"S-001", "S-003"}
