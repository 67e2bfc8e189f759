"""Database rows as the matcher's plain records, and the published catalogue as a cached
MatchContext.

The context is derived data (like the search index, it can be rebuilt at any time). It is
kept per database and per provider filter and rebuilt when the catalogue's fingerprint
changes. Learning a large catalogue's text takes seconds, so a context of more than
`BUILT_BEHIND` offerings is rebuilt in a thread of its own while the last one goes on
answering (a change reaches recommendations seconds later, and no request waits for it),
and reads again the need texts its predecessor had read before it takes over;
a smaller one is rebuilt at once, in milliseconds. A rebuild reloads only the listings and providers whose `version` (every ORM
update bumps it, see catalog.records.Versioned) or `updated_at` changed, and one thread builds while
the others asking for the same context wait for it instead of building it too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from threading import Lock
from typing import Any, TypeVar

import sqlalchemy as sa
from cachetools import LRUCache
from sqlalchemy import CompoundSelect, func, literal, union_all
from sqlmodel import Session, col, select

from catalog.engagements import queries as engagement_queries
from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise, Need
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.solutions.permissions import visible_solutions
from market import heap
from matching.records import EnterpriseRecord, NeedRecord, ProviderRecord, SolutionRecord
from matching.scoring import MatchContext

Row = TypeVar("Row", Solution, Provider)
Record = TypeVar("Record", SolutionRecord, ProviderRecord)
Stamp = tuple[int, datetime]  # (version, updated_at) of a row
Kept = TypeVar("Kept")
MAX_CONTEXTS = 32
BUILT_BEHIND = 2000  # offerings above which a stale context answers while its successor is built
_LOAD_CHUNK = 500  # ids per IN (...) when reloading changed rows
CARRIED_READINGS = 1024  # need texts the last context had read, read again by its successor before it answers


def solution_record(row: Solution) -> SolutionRecord:
    """A Solution row as the matcher's record."""
    return SolutionRecord(
        id=str(row.id), name=row.name, provider_id=str(row.provider_id),
        industries=tuple(row.industries), scenarios=tuple(row.scenarios),
        description=row.description, keywords=tuple(row.keywords), price_wan=row.price_wan,
        billing=row.billing, deployment=row.deployment, deploy_days=row.deploy_days,
        size_fit=row.size_fit, target_level=row.target_level, excellent=row.excellent,
    )


def provider_record(row: Provider, stats: dict[str, float]) -> ProviderRecord:
    """A Provider row with its engagement record as the matcher's record."""
    return with_stats(ProviderRecord(id=str(row.id), name=row.name, region=row.region,
                                     service_regions=tuple(row.service_regions), capacity=row.capacity),
                      stats)


def with_stats(record: ProviderRecord, stats: dict[str, float]) -> ProviderRecord:
    """The provider's record with its engagement statistics (catalog.engagements.queries.provider_records)."""
    return replace(record, accepted=int(stats.get("accepted", 0)), terminated=int(stats.get("terminated", 0)),
                   rating_sum=float(stats.get("rating_sum", 0.0)),
                   rating_count=int(stats.get("rating_count", 0)))


def enterprise_record(row: Enterprise, *, with_budget: bool = True) -> EnterpriseRecord:
    """An Enterprise row as matching context (the budget only when allowed)."""
    return EnterpriseRecord(
        id=str(row.id), name=row.name, region=row.region, industry=row.industry, size=row.size,
        level=row.level, budget_wan=row.budget_wan if with_budget else None,
    )


def need_record(row: Need, *, with_budget: bool = True) -> NeedRecord:
    return NeedRecord(id=str(row.id), enterprise_id=str(row.enterprise_id), text=row.text,
                      scenario=row.scenario or None, priority=row.priority,
                      budget_wan=row.budget_wan if with_budget else None)


def _fingerprint_query() -> CompoundSelect:
    parts = [sa.select(literal(model.__name__), func.count(), func.coalesce(func.sum(col(model.version)), 0),
                    func.coalesce(func.max(col(model.id)), 0), func.max(col(model.updated_at)))
             for model in (Solution, Provider, Engagement)]
    return union_all(*parts)


_FINGERPRINT = _fingerprint_query()  # built once: it is asked on every match request


def catalogue_fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes whenever a listing, provider or engagement is added, changed or deleted,
    whatever order concurrent transactions commit in (the sum of versions only grows); the
    latest change time tells databases apart (a backup of another restored in its place)."""
    return tuple(tuple(row) for row in session.execute(_FINGERPRINT).all())


@dataclass
class _Records:
    """One database's listings and providers as records, each with the stamp it was read at."""

    solutions: dict[int, tuple[Stamp, SolutionRecord]] = field(default_factory=dict)
    providers: dict[int, tuple[Stamp, ProviderRecord]] = field(default_factory=dict)
    lock: Lock = field(default_factory=Lock)


@dataclass
class _Slot:
    """A cached context and the fingerprint it was built at; `building` lets one thread build."""

    building: Lock = field(default_factory=Lock)
    fingerprint: tuple[Any, ...] | None = None
    context: MatchContext | None = None


_slots: LRUCache[str, _Slot] = LRUCache(maxsize=MAX_CONTEXTS)
_records: LRUCache[str, _Records] = LRUCache(maxsize=8)
_registry = Lock()


def _kept(cache: LRUCache[str, Kept], key: str, make: Callable[[], Kept]) -> Kept:
    """The cache's entry for `key`, made on first use (one maker at a time)."""
    with _registry:
        found = cache.get(key)
        if found is None:
            found = cache[key] = make()
        return found


def match_context(session: Session, *, provider_id: int | None = None) -> MatchContext:
    """The published catalogue (optionally one provider's) as a MatchContext, cached."""
    url = str(getattr(session.get_bind(), "url", ""))
    slot = _kept(_slots, f"{url}#{provider_id or ''}", _Slot)
    fingerprint = catalogue_fingerprint(session)
    if slot.fingerprint == fingerprint and slot.context is not None:
        return slot.context
    bind, last = session.get_bind(), slot.context
    if last is not None and len(last.solutions) > BUILT_BEHIND and isinstance(bind, sa.Engine):
        _build_behind(slot, bind, url, provider_id)
        return last
    with slot.building:  # who finds it stale builds; the others wait here for the result
        fingerprint = catalogue_fingerprint(session)  # taken before the rows: never newer than them
        if slot.fingerprint != fingerprint or slot.context is None:
            slot.context = _build(session, _kept(_records, url, _Records), provider_id)
            slot.fingerprint = fingerprint
            heap.keep()  # the collector need not walk the catalogue's records in every full pass
        return slot.context


def cached_contexts(url: str) -> list[MatchContext]:
    """The contexts kept for the database at `url` (the whole catalogue's and per provider)."""
    with _registry:
        slots = [slot for key, slot in _slots.items() if key.partition("#")[0] == url]
    return [slot.context for slot in slots if slot.context is not None]


def _build_behind(slot: _Slot, engine: sa.Engine, url: str, provider_id: int | None) -> None:
    """Rebuild the slot's context in a thread of its own, unless one is being built."""
    if not slot.building.acquire(blocking=False):
        return

    def build() -> None:
        try:
            with Session(engine) as session:  # closed (its connection back in the pool) before the swap
                fingerprint = catalogue_fingerprint(session)
                context = (_build(session, _kept(_records, url, _Records), provider_id)
                           if slot.fingerprint != fingerprint else None)
            if context is not None:
                if slot.context is not None:  # the needs it had read answer as fast in its successor
                    context.read_ahead(slot.context.index.remembered(CARRIED_READINGS))
                slot.context, slot.fingerprint = context, fingerprint
                heap.keep()
        finally:
            slot.building.release()

    threading.Thread(target=build, name="match-context", daemon=True).start()


def _build(session: Session, records: _Records, provider_id: int | None) -> MatchContext:
    stamps = (sa.select(col(Solution.id), col(Solution.version), col(Solution.updated_at),
                        col(Provider.id), col(Provider.version), col(Provider.updated_at))
              .join(Provider, col(Solution.provider_id) == Provider.id))
    statement = visible_solutions(None, stamps).order_by(col(Solution.id))  # what the public listing shows
    if provider_id is not None:
        statement = statement.where(col(Solution.provider_id) == provider_id)
    current = session.execute(statement).all()
    solution_versions = {row[0]: (row[1], row[2]) for row in current}
    provider_versions = {row[3]: (row[4], row[5]) for row in current}
    whole = provider_id is None  # a whole-catalogue build also forgets what left it
    solutions = _refresh(session, Solution, solution_versions, records.solutions, records.lock,
                         solution_record, forget=whole)
    providers = _refresh(session, Provider, provider_versions, records.providers, records.lock,
                         lambda row: provider_record(row, {}), forget=whole)
    stats = engagement_queries.provider_records(session=session)
    rated = {str(pid): with_stats(record, stats.get(str(pid), {})) for pid, record in providers.items()}
    return MatchContext([solutions[sid] for sid in solution_versions], rated)


def _refresh(session: Session, model: type[Row], versions: dict[int, Stamp],
             cache: dict[int, tuple[Stamp, Record]], lock: Lock, convert: Callable[[Row], Record], *,
             forget: bool) -> dict[int, Record]:
    """Records for `versions` (id → stamp): kept ones whose stamp matches, the rest
    loaded in chunks and kept for the next rebuild; with `forget`, kept records of ids
    not in `versions` are dropped."""
    with lock:
        out = {i: cache[i][1] for i, v in versions.items() if i in cache and cache[i][0] == v}
    stale = [i for i in versions if i not in out]
    for chunk in _chunks(stale, _LOAD_CHUNK):
        for row in session.exec(select(model).where(col(model.id).in_(chunk))):
            assert row.id is not None
            out[row.id] = convert(row)
            with lock:
                cache[row.id] = ((row.version, row.updated_at), out[row.id])
    for missing in [i for i in versions if i not in out]:  # deleted since the id query
        del versions[missing]
    if forget:
        with lock:
            for gone in [i for i in cache if i not in versions]:
                del cache[gone]
    return out


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
