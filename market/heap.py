"""Keeping the cyclic garbage collector off a served worker's long-lived objects.

A worker holds some 250,000 objects that live as long as it does: modules, routes,
pydantic models, the segmenter's dictionary, the lexicon and synonym tables. Every full
collection walked them all, about 120 ms on a 2-core machine, and every request on the
worker waited meanwhile: under load that pause was most of the search API's p99. Once
the app has started and loaded what requests use, `settle` moves those objects into the
permanent generation the collector skips (`gc.freeze`); what requests allocate later is
collected as before.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Load what every search uses, then exempt everything alive from cyclic collection."""
    from catalog.language import tokens
    from catalog.language.typos import sound

    tokens.terms("设备联网 仓库找料 MES")  # the segmenter's dictionary, the synonym groups
    sound("联网")  # the pinyin tables
    gc.collect()
    gc.freeze()


def release() -> None:
    """Hand the exempted objects back to the collector (the app is shutting down)."""
    gc.unfreeze()
