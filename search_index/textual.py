"""The catalogue's text as the search has learned it: one `CatalogueText` per index.

Relevance needs catalogue statistics (how many listings use a word), the typo corrector
needs the catalogue's vocabulary and the scenario prior its labels, so the search keeps a
snapshot of the index's documents, learned once (`catalog.language`). The snapshot is
derived data like the index itself: it is rebuilt in the background when a search sees
that the index holds a document written after the snapshot was learnt (each document
carries `indexed_at`), or one under another `rev`, and at least every `MAX_AGE_S`;
meanwhile such documents are scored on the fly against the snapshot's statistics, so an
edit counts as soon as it is indexed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache

from catalog.language.lexical import Listing
from catalog.language.query import CatalogueText, Understanding
from search_index.client import Steps

log = logging.getLogger(__name__)

PAGE = 1000  # documents fetched per request when learning an index
MAX_AGE_S = 60.0  # a snapshot older than this is relearned in the background
# Carries out steps blocking (in a background thread), returning their result.
Relearn = Callable[[Steps[list[dict[str, Any]]]], list[dict[str, Any]]]
FIELDS = ["id", "rev", "name", "keywords", "description", "scenarios", "industries", "price_wan", "size_fit",
          "indexed_at"]


def listing_of(doc: dict[str, Any]) -> Listing:
    """What the language model reads of a solution document."""
    return Listing(key=str(doc["id"]), name=doc.get("name", ""), keywords=tuple(doc.get("keywords", ())),
                   description=doc.get("description", ""), scenarios=tuple(doc.get("scenarios", ())))


@dataclass
class Snapshot:
    """One index's documents as learned at `made` (monotonic seconds)."""

    text: CatalogueText
    ids: list[Any]
    revs: list[str]
    industries: list[tuple[str, ...]]
    prices: list[float]
    size_fits: list[str]
    newest: float  # the latest `indexed_at` among the documents learnt
    made: float
    position: dict[Any, int] = field(default_factory=dict)
    understood: LRUCache[tuple[str, bool], Understanding] = field(default_factory=lambda: LRUCache(maxsize=4096))
    answers: LRUCache[tuple[Any, ...], Any] = field(default_factory=lambda: LRUCache(maxsize=4096))  # by the search

    def __post_init__(self) -> None:
        self.position = {doc_id: pos for pos, doc_id in enumerate(self.ids)}

    def holds(self, doc_id: Any, rev: str | None) -> bool:
        """Is the document with this id held, under this rev?"""
        pos = self.position.get(doc_id)
        return pos is not None and self.revs[pos] == rev

    def understand(self, q: str, *, correct: bool = True) -> Understanding:
        """What `q` asks for (remembered: a query is often asked again)."""
        found = self.understood.get((q, correct))
        if found is None:
            found = self.understood[(q, correct)] = self.text.understand(q, correct=correct)
        return found


def learn(docs: list[dict[str, Any]]) -> Snapshot:
    """A snapshot of these documents (CPU only)."""
    return Snapshot(text=CatalogueText([listing_of(d) for d in docs]), ids=[d["id"] for d in docs],
                    revs=[d.get("rev", "") for d in docs],
                    industries=[tuple(d.get("industries", ())) for d in docs],
                    prices=[float(d.get("price_wan") or 0.0) for d in docs],
                    size_fits=[str(d.get("size_fit") or "") for d in docs],
                    newest=max((float(d.get("indexed_at") or 0.0) for d in docs), default=0.0), made=time.monotonic())


def fetch_all(uid: str) -> Steps[list[dict[str, Any]]]:
    """Every document of an index (the fields the language model reads), page by page."""
    docs: list[dict[str, Any]] = []
    while True:
        answer = yield f"indexes/{uid}/documents/fetch", {"fields": FIELDS, "limit": PAGE, "offset": len(docs)}
        docs += answer["results"]
        if len(answer["results"]) < PAGE or len(docs) >= int(answer.get("total", 0)):
            return docs


EMPTY = learn([])


class Snapshots:
    """The process's snapshots by index uid; relearning happens in one thread at a time."""

    def __init__(self) -> None:
        self._by_uid: dict[str, Snapshot] = {}
        self._lock = threading.Lock()
        self._learning: set[str] = set()

    def get(self, uid: str, relearn: Relearn | None = None) -> Steps[Snapshot]:
        """The snapshot of `uid`. When there is none yet: learned now (through steps), or,
        given `relearn`, learned in the background while an empty snapshot answers (every
        hit is then scored on the fly), so a coroutine never waits seconds on learning."""
        found = self._by_uid.get(uid)
        if found is None and relearn is not None:
            self.stale(uid, relearn)
            return EMPTY
        if found is None:
            found = learn((yield from fetch_all(uid)))
            self._by_uid[uid] = found
        return found

    def peek(self, uid: str) -> Snapshot | None:
        return self._by_uid.get(uid)

    def stale(self, uid: str, relearn: Relearn) -> None:
        """Relearn `uid` in a background thread (once at a time), fetching with `relearn`."""
        with self._lock:
            if uid in self._learning:
                return
            self._learning.add(uid)

        def work() -> None:
            try:
                self._by_uid[uid] = learn(relearn(fetch_all(uid)))
            except Exception:  # noqa: BLE001 - derived data: the old snapshot keeps serving
                log.exception("relearning the search index %s failed", uid)
            finally:
                with self._lock:
                    self._learning.discard(uid)

        threading.Thread(target=work, name=f"learn-{uid}", daemon=True).start()

    def learning(self, uid: str) -> bool:
        with self._lock:
            return uid in self._learning

    def old(self, uid: str) -> bool:
        found = self._by_uid.get(uid)
        return found is not None and time.monotonic() - found.made > MAX_AGE_S

    def forget(self, uid: str | None = None) -> None:
        """Drop one snapshot (or all): the next search learns anew."""
        if uid is None:
            self._by_uid.clear()
        else:
            self._by_uid.pop(uid, None)


snapshots = Snapshots()
