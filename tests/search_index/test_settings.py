"""Index settings are applied as reviewed, and every task's outcome is checked."""

from __future__ import annotations

import meilisearch
import pytest

from search_index.client import IndexTaskFailed, index_uid, wait_or_raise
from search_index.settings import INDEX_SETTINGS, settings_differ
from search_index.sync import ensure_index


@pytest.mark.meili
def test_settings_are_applied_to_every_index(meili: meilisearch.Client, prefix: str) -> None:
    for kind, wanted in INDEX_SETTINGS.items():
        got = meili.index(index_uid(prefix, kind)).get_settings()
        assert got["searchableAttributes"] == wanted["searchableAttributes"]
        assert set(got["filterableAttributes"]) >= set(wanted["filterableAttributes"])
        assert set(got["sortableAttributes"]) == set(wanted["sortableAttributes"])
        assert got["rankingRules"] == wanted["rankingRules"]
        assert got["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 3, "twoTypos": 12}
    solutions = meili.index(index_uid(prefix, "solutions")).get_settings()
    assert {"industries", "scenarios", "status", "price_band", "excellent"} <= set(solutions["filterableAttributes"])


@pytest.mark.meili
def test_wait_or_raise_fails_on_a_failed_task(meili: meilisearch.Client, prefix: str) -> None:
    uid = index_uid(prefix, "solutions")
    task = meili.index(uid).add_documents([{"no_id_here": 1, "name": "缺少主键"}])
    with pytest.raises(IndexTaskFailed):
        wait_or_raise(meili, task)


@pytest.mark.meili
def test_applied_settings_compare_equal_so_a_restart_does_not_reindex(
    meili: meilisearch.Client, prefix: str
) -> None:
    for kind, wanted in INDEX_SETTINGS.items():
        uid = index_uid(prefix, kind)
        assert settings_differ(wanted, meili.index(uid).get_settings()) == []
        before = meili.get_tasks({"indexUids": [uid], "limit": 1000}).results
        ensure_index(meili, uid, kind)
        after = meili.get_tasks({"indexUids": [uid], "limit": 1000}).results
        assert len(after) == len(before)  # nothing re-applied


def test_a_changed_setting_is_noticed() -> None:
    wanted = INDEX_SETTINGS["solutions"]
    current = {**wanted, "sortableAttributes": list(reversed(wanted["sortableAttributes"])),
               "typoTolerance": {**wanted["typoTolerance"], "disableOnWords": []}}
    assert settings_differ(wanted, current) == []
    moved = {**current, "searchableAttributes": list(reversed(wanted["searchableAttributes"]))}
    assert settings_differ(wanted, moved) == ["searchableAttributes"]
    fewer = {**current, "filterableAttributes": wanted["filterableAttributes"][1:]}
    assert settings_differ(wanted, fewer) == ["filterableAttributes"]
