"""The catalogue as the search has learned it from the index: one `Snapshot` per index.

Relevance needs catalogue statistics (how many listings use a word), the typo corrector
the catalogue's vocabulary, the scenario prior its labels, and the result set the fields
it is filtered, counted and sorted by (`search_index.facts`). So the search keeps a
snapshot of the index's documents, learned once (`catalog.language`), derived data like
the index itself.

A snapshot follows the index: at most every `PROBE_S` a search asks the engine which
documents were written after the latest it has seen (each carries `indexed_at`) and how
many there are. Changed and new documents are fetched and scored on the fly beside the
held ones (`Changes`), deleted ones are left out, and their words are never taken for
typos; what this process writes to the index is folded in as it is written (`fold`); so an edit counts as soon as it is indexed, while a search between probes asks
the engine nothing. Relearning a large catalogue costs seconds of CPU that requests wait
on, so it waits until the changes are many or have been folded in a while (`relearn_due`).
"""

from __future__ import annotations

import gc
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from cachetools import LRUCache

from catalog.language.lexical import Listing
from catalog.language.query import CatalogueText, Understanding
from catalog.language.text import normalize
from search_index import candidates
from search_index.client import Steps
from search_index.facts import Facts

log = logging.getLogger(__name__)

PAGE = 1000  # documents fetched per request when learning an index
MAX_AGE_S = 600.0  # a snapshot older than this is relearned in the background (a safety net)
PROBE_S = 0.25  # how often a search asks the engine what changed (an edit shows within this)
MAX_CHANGES = 500  # more changed documents than this: relearn, rather than score them on the fly
SMALL = 2000  # a catalogue this small relearns on any change (it takes milliseconds)
RELEARN_SHARE = 0.005  # a larger one relearns once this share of it has changed ...
SETTLE_S = 60.0  # ... or its oldest folded change is this old (statistics and vocabulary catch up)
Probed = Literal["unchanged", "folded", "lags"]
# Carries out steps blocking (in a background thread), returning their result.
Relearn = Callable[[Steps[Any]], Any]
FIELDS = list(dict.fromkeys([*candidates.FIELDS, "region_prefixes", "served", "public", "listed_at", "indexed_at"]))


def listing_of(doc: dict[str, Any]) -> Listing:
    """What the language model reads of a solution document."""
    return Listing(key=str(doc["id"]), name=doc.get("name", ""), keywords=tuple(doc.get("keywords", ())),
                   description=doc.get("description", ""), scenarios=tuple(doc.get("scenarios", ())))


@dataclass(frozen=True)
class Changes:
    """What the index holds besides the snapshot, as the last probe found it: documents
    written since (new or edited, complete), and the held listings they replace or that
    were deleted. `version` tells answers computed before a change from those after;
    `since` is when the first change was folded in (monotonic seconds)."""

    docs: tuple[dict[str, Any], ...] = ()
    gone: frozenset[Any] = frozenset()
    version: int = 0
    since: float = 0.0
    # New documents this process folded in as it wrote them, not yet seen in the index
    # (they are not counted when the probe compares the index's size with the snapshot's)
    pending: frozenset[Any] = frozenset()

    @property
    def count(self) -> int:
        return len(self.docs) + len(self.gone - {d["id"] for d in self.docs})


class _Known:
    """The text of the folded documents, asked whether it holds a word (`in`)."""

    def __init__(self, docs: Iterable[dict[str, Any]]) -> None:
        listings = [listing_of(d) for d in docs]
        self._text = "\n".join(normalize(" ".join([x.name, *x.keywords, x.description])) for x in listings)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(word) and word in self._text


@dataclass
class Snapshot:
    """One index's documents as learned at `made` (monotonic seconds)."""

    text: CatalogueText
    ids: list[Any]
    revs: list[str]
    facts: Facts
    # The latest `indexed_at` the snapshot has seen, held or folded in: a probe asks for the
    # documents written after it. The index worker writes documents in the order it builds
    # them; documents of two writers racing may slip past, and the relearning every
    # MAX_AGE_S takes them in.
    watermark: float
    made: float
    changes: Changes = field(default_factory=Changes)
    probed: float = 0.0  # monotonic time of the last probe
    position: dict[Any, int] = field(default_factory=dict)
    understood: LRUCache[tuple[str, bool, int], Understanding] = field(default_factory=lambda: LRUCache(maxsize=4096))
    answers: LRUCache[tuple[Any, ...], Any] = field(default_factory=lambda: LRUCache(maxsize=4096))  # by the search
    fits: dict[str, Any] = field(default_factory=dict)  # industry → each listing's fit to it (by the search)

    def __post_init__(self) -> None:
        self.position = {doc_id: pos for pos, doc_id in enumerate(self.ids)}

    @property
    def learnt(self) -> bool:
        """Whether the snapshot holds anything (`EMPTY` stands in while one is learned)."""
        return self is not EMPTY

    def holds(self, doc_id: Any, rev: str | None) -> bool:
        """Is the document with this id held, under this rev?"""
        pos = self.position.get(doc_id)
        return pos is not None and self.revs[pos] == rev

    def understand(self, q: str, *, correct: bool = True) -> Understanding:
        """What `q` asks for (remembered: a query is often asked again). A word of a
        document written since the snapshot was learnt is not a typo."""
        key = (q, correct, self.changes.version)
        found = self.understood.get(key)
        if found is None:
            known = _Known(self.changes.docs) if self.changes.docs else ()
            found = self.understood[key] = self.text.understand(q, correct=correct, known=known)
        return found

    def fold(self, docs: Iterable[dict[str, Any]], deleted: Iterable[Any] = ()) -> None:
        """Take documents being written to the index (complete, as `probe` fetches them)
        and deletions into `changes` at once: the engine's task may take seconds on a large
        index, and a later probe finds the same revs there and leaves them."""
        before = self.changes
        held = {d["id"]: d for d in before.docs}
        # as the engine will give them back (JSON: an enum is its value)
        written = {d["id"]: candidates.compact(json.loads(json.dumps({k: d[k] for k in FIELDS if k in d})))
                   for d in docs}
        held.update(written)
        deleted = set(deleted)
        for doc_id in deleted:
            held.pop(doc_id, None)
        gone = set(before.gone) | {i for i in held if i in self.position} | (deleted & self.position.keys())
        pending = (set(before.pending) | {i for i in written if i not in self.position}) - deleted
        self.changes = Changes(docs=tuple(held.values()), gone=frozenset(gone), version=before.version + 1,
                               since=before.since or time.monotonic(), pending=frozenset(pending))

    def relearn_due(self, now: float) -> bool:
        """Should the snapshot be relearned: it is old, or (for a large catalogue) its
        folded changes are many or have waited SETTLE_S, or (a small one) it has any."""
        if now - self.made > MAX_AGE_S:
            return True
        count = self.changes.count
        if not count:
            return False
        if len(self.ids) <= SMALL:
            return True
        return count > RELEARN_SHARE * len(self.ids) or now - self.changes.since > SETTLE_S

    def due(self) -> bool:
        """Whether a search should probe the engine for changes now (and claim the probe)."""
        now = time.monotonic()
        if now - self.probed < PROBE_S:
            return False
        self.probed = now
        return True


def learn(docs: list[dict[str, Any]]) -> Snapshot:
    """A snapshot of these documents (CPU only)."""
    return Snapshot(text=CatalogueText([listing_of(d) for d in docs]), ids=[d["id"] for d in docs],
                    revs=[d.get("rev", "") for d in docs], facts=Facts(docs),
                    watermark=_newest(docs), made=time.monotonic())


def _newest(docs: Iterable[dict[str, Any]], floor: float = 0.0) -> float:
    """The latest `indexed_at` of the documents (or `floor`)."""
    return max([floor, *(float(d.get("indexed_at") or 0.0) for d in docs)])


def fetch_all(uid: str) -> Steps[Snapshot]:
    """A snapshot of every document of an index, fetched page by page. The documents are
    also kept for showing as hits (`search_index.candidates`)."""
    docs: list[dict[str, Any]] = []
    while True:
        answer = yield f"indexes/{uid}/documents/fetch", {"fields": FIELDS, "limit": PAGE, "offset": len(docs)}
        docs += [candidates.compact(d) for d in answer["results"]]
        if len(answer["results"]) < PAGE or len(docs) >= int(answer.get("total", 0)):
            break
    candidates.store.keep(uid, docs)
    return learn(docs)


EMPTY = learn([])


def _settle() -> None:
    """Keep the cyclic collector off a new snapshot: it lives until relearned, and walking its
    million objects in every full collection paused every request (see market.heap). Its
    objects are still freed by reference counting once it is replaced."""
    gc.freeze()


def _all_ids(uid: str) -> Steps[set[Any]]:
    ids: set[Any] = set()
    while True:
        answer = yield f"indexes/{uid}/documents/fetch", {"fields": ["id"], "limit": 10 * PAGE, "offset": len(ids)}
        ids |= {d["id"] for d in answer["results"]}
        if len(answer["results"]) < 10 * PAGE:
            return ids


def probe(uid: str, snap: Snapshot) -> Steps[Probed]:
    """Fold what the index holds besides `snap` into `snap.changes` (documents written
    since it was learnt, documents deleted): "folded" when something changed, "unchanged"
    when not. More changes than MAX_CHANGES are not folded in ("lags"): the caller relearns."""
    results = (yield "multi-search", {"queries": [
        {"indexUid": uid, "q": "", "filter": f"indexed_at > {snap.watermark!r}", "limit": MAX_CHANGES + 1,
         "attributesToRetrieve": ["id", "rev", "indexed_at"]},
        {"indexUid": uid, "q": "", "limit": 0, "facets": ["public"]},
    ]})["results"]
    hits, count = results[0]["hits"], sum(results[1].get("facetDistribution", {}).get("public", {}).values())
    if len(hits) > MAX_CHANGES:
        return "lags"
    before = snap.changes
    docs = {d["id"]: d for d in before.docs}
    wanted = [h["id"] for h in hits if not snap.holds(h["id"], h.get("rev"))
              and docs.get(h["id"], {}).get("rev") != h.get("rev")]
    if wanted:
        answer = yield f"indexes/{uid}/documents/fetch", {"ids": wanted, "fields": FIELDS, "limit": len(wanted)}
        docs.update({d["id"]: candidates.compact(d) for d in answer["results"]})
    pending = set(before.pending) - {h["id"] for h in hits}
    gone = set(before.gone) | {i for i in docs if i in snap.position}
    alive = (len(snap.ids) - len(gone)) + len(docs) - len(pending)
    if count < alive:  # some were deleted: which ones
        present = yield from _all_ids(uid)
        gone |= {i for i in snap.ids if i not in present}
        docs = {i: d for i, d in docs.items() if i in present or i in pending}
    snap.watermark = _newest(hits, snap.watermark)
    if not wanted and gone == before.gone and len(docs) == len(before.docs) and pending == before.pending:
        return "unchanged"
    snap.changes = Changes(docs=tuple(docs.values()), gone=frozenset(gone), version=before.version + 1,
                           since=before.since or time.monotonic(), pending=frozenset(pending))
    return "folded"


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
            found = yield from fetch_all(uid)
            self._by_uid[uid] = found
            _settle()
        return found

    def follow(self, uid: str, snap: Snapshot, relearn: Relearn) -> Steps[None]:
        """Bring `snap` up to the index when a probe is due (see `probe`); one that lags the
        index too far to fold, or whose relearning is due, is relearned in the background."""
        if not snap.learnt or not snap.due():
            return
        if (yield from probe(uid, snap)) == "lags" or snap.relearn_due(time.monotonic()):
            self.stale(uid, relearn)

    def fold(self, uid: str, docs: Iterable[dict[str, Any]], deleted: Iterable[Any] = ()) -> None:
        """What this process is writing to index `uid`, into its snapshot (see `Snapshot.fold`)."""
        snap = self._by_uid.get(uid)
        if snap is not None and snap.learnt:
            snap.fold(docs, deleted)

    def probe_soon(self) -> None:
        """Have the next search of every snapshot probe the index (after this process wrote to it)."""
        for snap in list(self._by_uid.values()):
            snap.probed = 0.0

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
                self._by_uid[uid] = relearn(fetch_all(uid))
                _settle()
            except Exception:  # noqa: BLE001 - derived data: the old snapshot keeps serving
                log.exception("relearning the search index %s failed", uid)
            finally:
                with self._lock:
                    self._learning.discard(uid)

        threading.Thread(target=work, name=f"learn-{uid}", daemon=True).start()

    def learning(self, uid: str) -> bool:
        with self._lock:
            return uid in self._learning

    def forget(self, uid: str | None = None) -> None:
        """Drop one snapshot (or all): the next search learns anew."""
        if uid is None:
            self._by_uid.clear()
        else:
            self._by_uid.pop(uid, None)


snapshots = Snapshots()
