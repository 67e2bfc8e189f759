"""Admission control: a worker runs a bounded number of requests; waiting ones go in by
deadline (searches first), a cancelled waiter never keeps a place."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from market.admission import Admission, Budget, Gate


def run(coroutine):  # type: ignore[no-untyped-def]
    """asyncio.run in a thread of its own: a browser test may hold this thread's event loop."""
    with ThreadPoolExecutor(max_workers=1) as own_thread:
        return own_thread.submit(asyncio.run, coroutine).result()


async def _queue(gate: Gate, waiters: dict[str, float], order: list[str]) -> list[asyncio.Task[None]]:
    async def wait(name: str, deadline: float) -> None:
        await gate.enter(deadline)
        order.append(name)
        gate.leave()

    tasks = [asyncio.create_task(wait(name, deadline)) for name, deadline in waiters.items()]
    for _ in range(3):
        await asyncio.sleep(0)  # every waiter queued
    return tasks


def test_waiting_requests_go_in_by_deadline_not_arrival() -> None:
    async def scenario() -> list[str]:
        gate, order = Gate(limit=1), []
        await gate.enter(0.0)  # the one running
        tasks = await _queue(gate, {"match": 3.0, "search": 0.25, "page": 1.0}, order)
        assert order == []  # all wait while the place is taken
        gate.leave()
        await asyncio.gather(*tasks)
        return order

    assert run(scenario()) == ["search", "page", "match"]


def test_up_to_the_limit_nobody_waits() -> None:
    async def scenario() -> int:
        gate = Gate(limit=3)
        for deadline in (1.0, 2.0, 3.0):
            await asyncio.wait_for(gate.enter(deadline), timeout=5)  # a guard against a hang
        return gate._running

    assert run(scenario()) == 3


def test_a_cancelled_waiter_keeps_no_place() -> None:
    async def scenario() -> int:
        gate = Gate(limit=1)
        await gate.enter(0.0)
        waiter = asyncio.create_task(gate.enter(1.0))
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        gate.leave()  # nobody is let in: the place is free again
        await asyncio.wait_for(gate.enter(2.0), timeout=5)
        return gate._running

    assert run(scenario()) == 1


def test_a_waiter_cancelled_after_being_let_in_passes_the_place_on() -> None:
    async def scenario() -> list[str]:
        gate, order = Gate(limit=1), []
        await gate.enter(0.0)
        first = asyncio.create_task(gate.enter(1.0))
        await asyncio.sleep(0)
        tasks = await _queue(gate, {"second": 2.0}, order)
        gate.leave()  # `first` is let in …
        first.cancel()  # … and cancelled before it runs (the client went away)
        with pytest.raises(asyncio.CancelledError):
            await first
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
        return order

    assert run(scenario()) == ["second"]


@pytest.mark.parametrize(("method", "path", "kind"), [
    ("GET", "/api/search", "search"), ("GET", "/api/search/suggest", "search"), ("GET", "/search", "search"),
    ("GET", "/api/solutions/3", "read"), ("GET", "/solutions", "read"),
    ("GET", "/api/enterprises/3/matches", "heavy"), ("GET", "/api/providers/2/leads", "heavy"),
    ("GET", "/api/solutions/export.xlsx", "heavy"), ("PATCH", "/api/solutions/3", "heavy"),
    ("POST", "/api/auth/token", "heavy"),
])
def test_budget_by_kind_of_request(method: str, path: str, kind: str) -> None:
    budget = Budget()
    assert budget.of(method, path) == getattr(budget, kind)


def test_static_files_and_lifespan_pass_without_a_place() -> None:
    seen: list[str] = []

    async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        seen.append(scope["type"] + ":" + scope.get("path", ""))

    async def scenario() -> None:
        admission = Admission(app, limit=1)
        await admission.gate.enter(0.0)  # the only place is taken
        for scope in ({"type": "http", "method": "GET", "path": "/static/app.css"}, {"type": "lifespan"}):
            await asyncio.wait_for(admission(scope, None, None), timeout=5)  # type: ignore[arg-type]
        request = asyncio.create_task(admission({"type": "http", "method": "GET", "path": "/api/search"},
                                                None, None))  # type: ignore[arg-type]
        await asyncio.sleep(0)
        assert not request.done()  # an ordinary request waits for the place
        admission.gate.leave()
        await asyncio.wait_for(request, timeout=5)

    run(scenario())
    assert seen == ["http:/static/app.css", "lifespan:", "http:/api/search"]
