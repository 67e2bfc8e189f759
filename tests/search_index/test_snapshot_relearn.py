"""When a snapshot relearns its catalogue, and what it makes of documents folded in since."""

from __future__ import annotations

import time
from typing import Any

import pytest

from search_index import textual
from search_index.textual import SETTLE_S, Changes, learn


def _doc(i: int, name: str, description: str = "") -> dict[str, Any]:
    return {"id": i, "name": name, "keywords": [], "description": description, "scenarios": ["质量管控"],
            "public": True, "indexed_at": 1.0}


CATALOGUE = [_doc(1, "来料检验质量追溯", "批次质量追溯与来料检验"), _doc(2, "批次质量追溯看板", "质量追溯报表"),
             _doc(3, "设备点检系统", "设备点检与保养提醒"), _doc(4, "能耗监测一体机", "能源计量与能耗分析")]


def test_a_small_catalogue_relearns_on_any_change() -> None:
    snap = learn(CATALOGUE)
    now = time.monotonic()
    assert not snap.relearn_due(now)
    snap.changes = Changes(docs=(_doc(5, "新品"),), version=1, since=now)
    assert snap.relearn_due(now)


def test_a_large_catalogue_waits_for_many_changes_or_settled_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual, "SMALL", 1)  # these four listings stand for a large catalogue
    monkeypatch.setattr(textual, "RELEARN_SHARE", 0.5)
    snap = learn(CATALOGUE)
    now = time.monotonic()
    snap.changes = Changes(docs=(_doc(5, "新品"),), version=1, since=now)
    assert not snap.relearn_due(now)  # one change: scored on the fly, no relearning yet
    assert snap.relearn_due(now + SETTLE_S + 1)  # until it has waited long enough
    snap.changes = Changes(docs=(_doc(5, "新品"), _doc(6, "另一新品")), gone=frozenset({1, 2}), version=2, since=now)
    assert snap.relearn_due(now)  # or the changes are many
    snap.changes = Changes()
    assert snap.relearn_due(snap.made + textual.MAX_AGE_S + 1)  # an old snapshot relearns anyway


def test_a_word_of_a_document_written_since_learning_is_not_taken_for_a_typo() -> None:
    snap = learn(CATALOGUE)
    assert [(c.typed, c.corrected) for c in snap.understand("质量追述").corrections] == [("追述", "追溯")]
    snap.changes = Changes(docs=(_doc(5, "工艺追述记录仪", "生产过程追述"),), version=1, since=time.monotonic())
    assert snap.understand("质量追述").corrections == ()
