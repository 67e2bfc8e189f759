"""At most a few imports at once in a worker: reading and validating a workbook is the most
memory a request can take (bounded per import by catalog.exchange.format's limits), so the number of
imports running together bounds the worker's peak. A request past the limit is told to retry
(503 with Retry-After) rather than queued holding its upload.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from market.errors import ServiceUnavailable

DEFAULT_SLOTS = 1
_slots = threading.BoundedSemaphore(DEFAULT_SLOTS)
_size = DEFAULT_SLOTS


def configure(slots: int) -> None:
    """Set how many imports may run at once in this process (MARKET_MAX_IMPORTS)."""
    global _slots, _size
    if slots != _size:
        _slots, _size = threading.BoundedSemaphore(max(1, slots)), max(1, slots)


@contextmanager
def import_slot(*, wait: bool = False) -> Iterator[None]:
    """Hold one import slot while the body runs; ServiceUnavailable when all are taken (a
    background job `wait`s for its turn instead)."""
    held = _slots
    if not held.acquire(blocking=wait):
        raise ServiceUnavailable("imports_busy", "已有导入正在进行（每个服务进程同时最多处理 "
                                 f"{_size} 个导入），请稍后再试")
    try:
        yield
    finally:
        held.release()
