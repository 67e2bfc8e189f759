"""What this process writes to the index counts in its searches at once, before the engine
has indexed it, and stays counted once the engine has it."""

from __future__ import annotations

import meilisearch
import pytest
from search_builders import add_provider, add_solution, names, sync
from sqlmodel import Session

from catalog.providers.models import Provider
from search_index.client import index_uid, run, wait_or_raise
from search_index.documents import solution_document
from search_index.textual import probe, snapshots

pytestmark = pytest.mark.meili



def test_a_folded_listing_is_found_before_the_engine_indexes_it_and_after(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session, service_regions=["江西省"])
    edited = add_solution(session, provider, name="来料检验质量追溯", scenarios=["质量管控"])
    gone = add_solution(session, provider, name="批次质量追溯看板", scenarios=["质量管控"])
    session.commit()
    sync(database_url, meili, prefix)
    uid = index_uid(prefix, "solutions")
    snapshots.forget(uid)
    assert set(names(meili, prefix, "质量追溯")) == {"来料检验质量追溯", "批次质量追溯看板"}
    snap = snapshots.peek(uid)
    assert snap is not None

    edited.name = "来料检验质量追溯二期"
    new = add_solution(session, provider, name="氢能叉车质量追溯终端", scenarios=["质量管控"])
    session.commit()
    owner = session.get(Provider, provider.id)
    assert owner is not None
    docs = [solution_document(edited, owner), solution_document(new, owner)]
    snapshots.fold(uid, docs, deleted=[gone.id])  # as the index worker does while the engine works
    want = {"来料检验质量追溯二期", "氢能叉车质量追溯终端"}
    assert set(names(meili, prefix, "质量追溯")) == want
    assert run(meili, probe(uid, snap)) == "unchanged"  # the engine lags: nothing of the fold is undone
    assert set(names(meili, prefix, "质量追溯")) == want

    wait_or_raise(meili, meili.index(uid).add_documents(docs))
    wait_or_raise(meili, meili.index(uid).delete_document(gone.id or 0))
    run(meili, probe(uid, snap))  # the engine caught up: the same revs, nothing fetched again
    assert not snap.changes.pending
    assert set(names(meili, prefix, "质量追溯")) == want
