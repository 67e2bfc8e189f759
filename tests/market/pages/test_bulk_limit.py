"""A bulk action changes at most catalog.limits.BULK_ITEMS records (catalog/providers/review.py):
more is refused as a whole with a message naming the limit, nothing changed; up to the limit,
every chosen record is handled."""

from __future__ import annotations

from page_helpers import flashes, login, post_form
from sqlmodel import Session

from catalog.db import get_engine
from catalog.limits import BULK_ITEMS
from catalog.providers.models import Provider
from catalog.solutions.models import Solution


def _status(url: str, model: type[Provider] | type[Solution], record_id: int) -> str:
    with Session(get_engine(url)) as session:
        record = session.get(model, record_id)
        assert record is not None
        return str(record.status)


def _ids(first: int, count: int) -> list[str]:
    """`first`, then ids no record has, `count` in all."""
    return [str(first)] + [str(900_000 + n) for n in range(count - 1)]


def test_over_the_limit_is_refused_and_names_it(page_client, world, database_url) -> None:
    login(page_client, "jj_bureau")
    too_many = post_form(page_client, "/bureau/solutions/bulk",
                         {"ids": _ids(world.ids["sol_a"], BULK_ITEMS + 1), "action": "suspend"},
                         page="/bureau/solutions")
    assert too_many.status_code == 303
    message = flashes(page_client, "/bureau/solutions")
    assert f"一次最多批量处理 {BULK_ITEMS} 项，本次选择了 {BULK_ITEMS + 1} 项" in message
    assert _status(database_url, Solution, world.ids["sol_a"]) == "已入库"
    flagged = post_form(page_client, "/bureau/solutions/bulk",
                        {"ids": _ids(world.ids["sol_a"], BULK_ITEMS + 1), "action": "excellent_on"},
                        page="/bureau/solutions")
    assert flagged.status_code == 303 and f"最多批量处理 {BULK_ITEMS} 项" in flashes(page_client, "/bureau/solutions")
    providers = post_form(page_client, "/bureau/providers/bulk",
                          {"ids": _ids(world.ids["provider_pending"], BULK_ITEMS + 1), "action": "publish"},
                          page="/bureau/providers")
    assert providers.status_code == 303 and f"最多批量处理 {BULK_ITEMS} 项" in flashes(page_client, "/bureau/providers")
    assert _status(database_url, Provider, world.ids["provider_pending"]) == "待审核"


def test_up_to_the_limit_every_record_is_handled(page_client, world, database_url) -> None:
    login(page_client, "jj_bureau")
    done = post_form(page_client, "/bureau/solutions/bulk",
                     {"ids": _ids(world.ids["sol_a"], BULK_ITEMS), "action": "suspend"}, page="/bureau/solutions")
    assert done.status_code == 303
    message = flashes(page_client, "/bureau/solutions")
    assert f"已暂停 1 项，{BULK_ITEMS - 1} 项未变更" in message
    assert _status(database_url, Solution, world.ids["sol_a"]) == "暂停"
