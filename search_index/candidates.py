"""Candidate documents kept in the process, so a search asks Meilisearch only for ids.

A text search shows a page of listings and sorts or scores a few more. Having Meilisearch send each candidate's
fields, and parsing and folding them again for every search, cost more than the search
itself. Instead the engine returns each hit's `id` and `rev` (a hash of the document's
content, set when the document is built), and the documents come from this store; the
ones it lacks, or holds under another `rev`, are fetched in one request and kept.

The store is content-addressed: an entry is used only when its `rev` is the one the
engine just returned, so an edited listing is never shown stale, and entries of two
servers or two indexes with the same uid cannot be confused (same id and rev means the
same content). The least recently used entries are dropped beyond `size`.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

from search_index.client import Steps

# The fields of a solution a search uses: re-ranking and the result cards.
FIELDS = [
    "id", "rev", "code", "name", "keywords", "description", "scenarios", "industries", "industry_names",
    "provider_id", "provider_name", "region", "service_regions", "deployment", "billing", "price_wan", "price_band",
    "deploy_days", "size_fit", "target_level", "excellent", "rating", "status",
]
STORE_SIZE = 25_000
# Strings up to this long are shared between documents (see `compact`).
SHARED_LEN = 40


@dataclass(frozen=True)
class Candidate:
    """A document as indexed."""

    doc: dict[str, Any]


def _shared(value: Any) -> Any:
    return sys.intern(value) if isinstance(value, str) and len(value) <= SHARED_LEN else value


def compact(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with its short strings shared and its lists as tuples, to keep many in memory.

    The same few hundred scenario names, synonym terms, industry codes and field values
    recur across thousands of documents; kept once each, 20,000 documents take about a
    third of the memory they take as parsed.
    """
    return {key: tuple(_shared(v) for v in value) if isinstance(value, list) else _shared(value)
            for key, value in doc.items()}


class CandidateStore:
    """Documents by (index uid, id), checked against the `rev` of each hit (thread-safe)."""

    def __init__(self, size: int = STORE_SIZE) -> None:
        self._entries: LRUCache[tuple[str, Any], Candidate] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def resolve(self, uid: str, hits: Sequence[dict[str, Any]]) -> Steps[list[Candidate]]:
        """The candidates of `hits` (dicts with `id` and `rev`), in their order; the documents
        the store lacks are fetched in one call (see `search_index.client.run`).

        Hits whose document is gone by the time it is fetched are left out.
        """
        found: dict[Any, Candidate] = {}
        missing: list[Any] = []
        with self._lock:
            for hit in hits:
                entry = self._entries.get((uid, hit["id"]))
                if entry is not None and hit.get("rev") is not None and entry.doc.get("rev") == hit["rev"]:
                    found[hit["id"]] = entry
                else:
                    missing.append(hit["id"])
        if missing:
            answer = yield f"indexes/{uid}/documents/fetch", {"ids": missing, "fields": FIELDS, "limit": len(missing)}
            found.update(self.keep(uid, [compact(d) for d in answer["results"]]))
        return [found[hit["id"]] for hit in hits if hit["id"] in found]

    def keep(self, uid: str, docs: Sequence[dict[str, Any]]) -> dict[Any, Candidate]:
        """Keep these (compact) documents, with the fields a hit shows."""
        fetched = {doc["id"]: Candidate(doc={k: doc[k] for k in FIELDS if k in doc}) for doc in docs}
        with self._lock:
            for doc_id, entry in fetched.items():
                self._entries[(uid, doc_id)] = entry
        return fetched


# One per process: the API's worker threads share it.
store = CandidateStore()
