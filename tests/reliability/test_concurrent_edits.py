"""Two users editing the same solution: the second gets 409 and nobody's edit is lost.

The solution is one not yet published (sol_a_pending): there a provider's edit changes the
record itself, as the bureau's does. (A provider's edit of a published listing waits as a
revision and leaves the record's version alone: tests/market/test_revisions_api.py.)"""

from __future__ import annotations

import threading

from sqlmodel import Session
from web_builders import World

from catalog.db import get_engine
from catalog.errors import Conflict
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.solutions.schemas import SolutionUpdate


def test_second_editor_on_a_stale_version_gets_409_in_chinese(client, world: World, bearer) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/solutions/{world.ids['sol_a_pending']}"
    provider, bureau = bearer("provider_a"), bearer("jj_bureau")
    version = client.get(url, headers=provider).json()["version"]
    assert client.get(url, headers=bureau).json()["version"] == version
    first = client.patch(url, headers=provider, json={"description": "服务商改的描述", "version": version})
    assert first.status_code == 200, first.text
    second = client.patch(url, headers=bureau, json={"price_wan": 9.5, "version": version})
    assert second.status_code == 409, second.text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in second.json()["message"])
    current = client.get(url, headers=bureau).json()
    assert current["description"] == "服务商改的描述" and current["price_wan"] != 9.5
    retry = client.patch(url, headers=bureau, json={"price_wan": 9.5, "version": current["version"]})
    assert retry.status_code == 200, retry.text
    final = client.get(url, headers=bureau).json()
    assert final["description"] == "服务商改的描述" and final["price_wan"] == 9.5


def test_interleaved_transactions_cannot_overwrite_each_other(database_url: str, world: World) -> None:
    """Both read version v, the first commits; the second's UPDATE (still holding v) is refused."""
    engine = get_engine(database_url)
    with Session(engine, expire_on_commit=False) as one, Session(engine, expire_on_commit=False) as two:
        a = one.get(Solution, world.ids["sol_a"])
        b = two.get(Solution, world.ids["sol_a"])
        assert a is not None and b is not None and a.version == b.version
        two.commit()  # end the read transaction (SQLite would otherwise refuse the write as locked)
        solution_service.update_solution(session=one, solution=a, data=SolutionUpdate(description="甲"),
                                        actor="a", expected_version=a.version)
        one.commit()
        try:
            solution_service.update_solution(session=two, solution=b, data=SolutionUpdate(description="乙"),
                                            actor="b", expected_version=b.version)
            two.commit()
            raised = False
        except Conflict:
            two.rollback()
            raised = True
    assert raised
    with Session(engine) as check:
        stored = check.get(Solution, world.ids["sol_a"])
        assert stored is not None and stored.description == "甲"


def test_simultaneous_requests_one_wins_one_gets_409(client, world: World, bearer) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/solutions/{world.ids['sol_a_pending']}"
    editors = [bearer("provider_a"), bearer("jj_bureau")]
    version = client.get(url, headers=editors[0]).json()["version"]
    barrier, codes = threading.Barrier(len(editors)), []

    def edit(headers: dict[str, str], text: str) -> None:
        barrier.wait()
        codes.append(client.patch(url, headers=headers, json={"description": text, "version": version}).status_code)

    threads = [threading.Thread(target=edit, args=(h, f"编辑{i}")) for i, h in enumerate(editors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(codes) == [200, 409], codes
