"""The candidate store: searches fetch only ids and revs from Meilisearch and
never show a document other than the indexed one (real server, real sync)."""

from __future__ import annotations

import meilisearch
import pytest
from search_builders import add_provider, add_solution, sync
from sqlmodel import Session

from catalog import outbox
from catalog.providers.models import ListingStatus
from catalog.solutions.models import Solution
from search_index.candidates import CandidateStore, compact
from search_index.client import index_uid, run, wait_or_raise
from search_index.documents import content_rev
from search_index.query import SearchRequest, search_solutions

pytestmark = pytest.mark.meili


def _doc(doc_id: int, name: str, **fields: object) -> dict[str, object]:
    doc: dict[str, object] = {"id": doc_id, "name": name, "keywords": ["质量追溯"], "description": "说明",
                              "scenarios": ["质量管控"], "industries": ["通用"], "synonyms": [], **fields}
    doc["rev"] = content_rev(doc)
    return doc


def _put(client: meilisearch.Client, prefix: str, *docs: dict[str, object]) -> None:
    wait_or_raise(client, client.index(index_uid(prefix, "solutions")).add_documents(list(docs)))


def _hit(doc: dict[str, object]) -> dict[str, object]:
    return {"id": doc["id"], "rev": doc["rev"]}


def test_documents_are_fetched_once_and_come_back_in_hit_order(meili: meilisearch.Client, prefix: str) -> None:
    one, two, three = _doc(1, "质量追溯系统"), _doc(2, "设备联网平台"), _doc(3, "能耗监测")
    _put(meili, prefix, one, two, three)
    store, uid = CandidateStore(), index_uid(prefix, "solutions")

    first = run(meili, store.resolve(uid, [_hit(three), _hit(one)]))
    assert [c.doc["name"] for c in first] == ["能耗监测", "质量追溯系统"]
    again = run(meili, store.resolve(uid, [_hit(one), _hit(three)]))
    assert again[0] is first[1] and again[1] is first[0]  # kept, not fetched again
    assert len(store) == 2


def test_an_edited_document_is_fetched_again(meili: meilisearch.Client, prefix: str) -> None:
    old = _doc(1, "质量追溯系统")
    _put(meili, prefix, old)
    store, uid = CandidateStore(), index_uid(prefix, "solutions")
    run(meili, store.resolve(uid, [_hit(old)]))

    new = _doc(1, "质量追溯系统（新版）")
    _put(meili, prefix, new)
    assert new["rev"] != old["rev"]
    [candidate] = run(meili, store.resolve(uid, [_hit(new)]))
    assert candidate.doc["name"] == "质量追溯系统（新版）"
    # A hit from before the edit does not bring the old text back: the store asks again.
    [candidate] = run(meili, store.resolve(uid, [_hit(old)]))
    assert candidate.doc["name"] == "质量追溯系统（新版）"


def test_hits_without_rev_are_always_fetched_and_gone_documents_left_out(
    meili: meilisearch.Client, prefix: str
) -> None:
    doc = _doc(1, "质量追溯系统")
    _put(meili, prefix, doc)
    store, uid = CandidateStore(), index_uid(prefix, "solutions")
    first = run(meili, store.resolve(uid, [{"id": 1}, {"id": 99, "rev": "0"}]))
    second = run(meili, store.resolve(uid, [{"id": 1}]))
    assert [c.doc["id"] for c in first] == [1]
    assert second[0] is not first[0]


def test_the_oldest_documents_are_dropped_beyond_the_size(meili: meilisearch.Client, prefix: str) -> None:
    docs = [_doc(i, f"方案{i}") for i in (1, 2, 3)]
    _put(meili, prefix, *docs)
    store, uid = CandidateStore(size=2), index_uid(prefix, "solutions")
    kept = run(meili, store.resolve(uid, [_hit(docs[0])]))
    run(meili, store.resolve(uid, [_hit(docs[1]), _hit(docs[2])]))
    assert len(store) == 2
    assert run(meili, store.resolve(uid, [_hit(docs[0])]))[0] is not kept[0]


def test_compact_keeps_values_and_shares_short_strings() -> None:
    a = compact({"id": 1, "scenarios": ["".join(["质量", "管控"])], "description": "长" * 100, "price_wan": 2.5})
    b = compact({"id": 2, "scenarios": ["".join(["质量", "管", "控"])], "description": "长" * 100})
    assert a == {"id": 1, "scenarios": ("质量管控",), "description": "长" * 100, "price_wan": 2.5}
    assert a["scenarios"][0] is b["scenarios"][0]


def test_content_rev_follows_the_content_not_the_key_order() -> None:
    doc = {"id": 1, "name": "质量追溯", "price_wan": 1.0}
    assert content_rev(doc) == content_rev({"price_wan": 1.0, "name": "质量追溯", "id": 1})
    assert content_rev(doc) == content_rev({**doc, "rev": "anything"})
    assert content_rev(doc) != content_rev({**doc, "price_wan": 1.5})


def test_search_shows_edits_and_withdrawals_as_soon_as_they_are_indexed(
    session: Session, database_url: str, meili: meilisearch.Client, prefix: str
) -> None:
    provider = add_provider(session)
    solution = add_solution(session, provider, name="来料检验质量追溯", keywords=["质量追溯"])
    add_solution(session, provider, name="质量追溯看板", keywords=["质量追溯"])
    session.commit()
    sync(database_url, meili, prefix)

    def names() -> list[str]:
        result = search_solutions(client=meili, prefix=prefix, request=SearchRequest(q="质量追溯 来料检验"))
        return [hit["name"] for hit in result.hits]

    assert "来料检验质量追溯" in names()
    row = session.get(Solution, solution.id)
    assert row is not None
    row.name = "来料检验质量追溯二期"
    session.add(row)
    outbox.enqueue(session=session, record_type="solution", record_id=row.id or 0)
    session.commit()
    sync(database_url, meili, prefix)
    assert "来料检验质量追溯二期" in names() and "来料检验质量追溯" not in names()

    row.status = ListingStatus.SUSPENDED
    session.add(row)
    outbox.enqueue(session=session, record_type="solution", record_id=row.id or 0)
    session.commit()
    sync(database_url, meili, prefix)
    assert all("来料检验" not in name for name in names())
