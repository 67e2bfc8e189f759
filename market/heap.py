"""Keeping the cyclic garbage collector off a served worker's long-lived objects.

A worker holds some 250,000 objects that live as long as it does: modules, routes,
pydantic models, the segmenter's dictionary, the lexicon and synonym tables. Every full
collection walked them all, about 120 ms on a 2-core machine, and every request on the
worker waited meanwhile: under load that pause was most of the search API's p99. Once
the app has started and loaded what requests use, `settle` moves those objects into the
permanent generation the collector skips (`gc.freeze`); what requests allocate later is
collected as before.

Full collections still come every ten collections of the middle generation (some three
seconds under load), each walking what requests left alive — the answers and pages the
search remembers — for tens of milliseconds. Little garbage is cyclic and long-lived
(a few hundred objects a minute), so a worker makes full collections a hundred times
rarer (FULL_EVERY).
"""

from __future__ import annotations

import gc

FULL_EVERY = 1000  # collections of the middle generation between full ones (CPython's default: 10)
_thresholds: list[tuple[int, int, int]] = []  # the collector's thresholds before `settle`


def settle() -> None:
    """Load what every search uses, then exempt everything alive from cyclic collection."""
    from catalog.language import tokens
    from catalog.language.typos import sound

    tokens.terms("设备联网 仓库找料 MES")  # the segmenter's dictionary, the synonym groups
    sound("联网")  # the pinyin tables
    gc.collect()
    gc.freeze()
    _thresholds.append(gc.get_threshold())
    young, middle, _ = _thresholds[0]
    gc.set_threshold(young, middle, FULL_EVERY)


def keep() -> None:
    """In a settled worker, exempt what is alive now as well: a long-lived structure was
    just built (the matcher's catalogue); it is freed by reference counting once replaced."""
    if _thresholds:
        gc.freeze()


def release() -> None:
    """Hand the exempted objects back to the collector (the app is shutting down)."""
    gc.unfreeze()
    if _thresholds:
        gc.set_threshold(*_thresholds[0])
        _thresholds.clear()
