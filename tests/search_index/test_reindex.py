"""`reindex` builds a new index and swaps it in: searches keep answering throughout."""

from __future__ import annotations

import threading

import meilisearch
import pytest
from search_builders import add_provider, add_solution, sync
from sqlmodel import Session

from catalog import outbox
from search_index.client import index_uid
from search_index.query import SearchRequest, search_solutions
from search_index.sync import reindex

pytestmark = pytest.mark.meili


def test_reindex_swaps_while_searches_keep_answering(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    for i in range(30):
        add_solution(session, provider, name=f"仓储管理系统{i}号", scenarios=["仓储物流"])
    session.commit()
    sync(database_url, meili, prefix)
    late = add_solution(session, provider, name="仓储条码标签打印", scenarios=["仓储物流"])
    session.commit()  # its outbox entry is not applied: only the rebuild can bring it in

    failures: list[BaseException] = []
    empty: list[int] = []
    answered = 0
    stop = threading.Event()

    def searcher() -> None:
        nonlocal answered
        while not stop.is_set():
            try:
                hits = search_solutions(client=meili, prefix=prefix, request=SearchRequest(q="仓储")).hits
            except BaseException as exc:  # noqa: BLE001 - any failure is what we look for
                failures.append(exc)
                return
            answered += 1
            if not hits:
                empty.append(answered)

    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        counts = reindex(database_url=database_url, client=meili, prefix=prefix)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert failures == [] and empty == []
    assert answered > 0
    assert counts["solutions"] == 31
    codes = [h["code"] for h in search_solutions(
        client=meili, prefix=prefix, request=SearchRequest(q="条码标签")).hits]
    assert late.code in codes
    uids = {i.uid for i in meili.get_indexes({"limit": 1000})["results"]}
    assert index_uid(prefix, "solutions") in uids
    assert not any(uid.startswith(f"{index_uid(prefix, 'solutions')}_build") for uid in uids)


def test_full_reindex_settles_the_outbox_it_read(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    add_solution(session, provider, name="能耗在线监测")
    session.commit()  # pending: provider and solution entries
    reindex(database_url=database_url, client=meili, prefix=prefix)
    assert outbox.pending(session=session, limit=10) == []  # the worker has nothing left to redo
    later = add_solution(session, provider, name="能源计量管理")
    session.commit()
    assert [e.record_id for e in outbox.pending(session=session, limit=10)] == [later.id]
