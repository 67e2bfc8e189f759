"""Admission control: how many requests a worker runs at once, and which goes next.

A worker that takes every request at once shares its CPU among all of them, so under
overload every request is as slow as the queue is long, a search as much as a match
computed over the whole catalogue. Here at most `limit` requests run at once; the others
wait, earliest deadline first. A request's deadline is its arrival plus the latency its
kind of request is expected to keep (Budget): a search typed into a box goes ahead of
a match, an export or a write, and a request that has already waited longer than a
search's budget goes ahead of a new search, so nothing waits for ever.

Static files and non-HTTP messages pass without waiting.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Receive, Scope, Send

READS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Budget:
    """Seconds a kind of request is expected to take, used to order waiting requests."""

    search: float = 0.25  # the search box and its suggestions
    read: float = 1.0  # pages and API reads
    heavy: float = 3.0  # matching, exports, imports and every write

    def of(self, method: str, path: str) -> float:
        if path.startswith(("/api/search", "/search")):
            return self.search
        if method not in READS or path.endswith(("/matches", "/bundle", "/leads")) or "export" in path:
            return self.heavy
        return self.read


@dataclass
class Gate:
    """At most `limit` holders at once; waiters let in by earliest deadline (one event loop)."""

    limit: int
    _running: int = 0
    _waiting: list[tuple[float, int, asyncio.Future[None]]] = field(default_factory=list)
    _order: itertools.count[int] = field(default_factory=itertools.count)

    async def enter(self, deadline: float) -> None:
        if self._running < self.limit and not self._waiting:
            self._running += 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (deadline, next(self._order), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # let in, then cancelled: pass the place on
                self.leave()
            raise

    def leave(self) -> None:
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():  # a cancelled waiter's future is done: skip it
                turn.set_result(None)  # the place goes straight to the waiter
                return
        self._running -= 1


class Admission:
    """ASGI middleware: every HTTP request except static files goes through one Gate."""

    def __init__(self, app: ASGIApp, limit: int, budget: Budget | None = None) -> None:
        self.app = app
        self.gate = Gate(limit)
        self.budget = budget or Budget()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith("/static/"):
            await self.app(scope, receive, send)
            return
        await self.gate.enter(time.monotonic() + self.budget.of(scope["method"], path))
        try:
            await self.app(scope, receive, send)
        finally:
            self.gate.leave()
