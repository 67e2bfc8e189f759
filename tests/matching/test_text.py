"""The matcher's text index: relevance over all offerings equals relevance one by one, and
indexes built at different times (sharing the process's term numbering) stay independent."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.records import SolutionRecord
from matching.text import TextIndex, query_terms

CATALOGUE = [
    SolutionRecord(id="1", name="设备点检云", provider_id="p", keywords=("点检", "预测性维护"),
                   description="扫码点检，停机预警，备件寿命预测"),
    SolutionRecord(id="2", name="进销存管理系统", provider_id="p", keywords=("WMS", "库存"),
                   description="采购、销售、库存一体化，扫码出入库"),
    SolutionRecord(id="3", name="MES 制造执行系统", provider_id="q", keywords=("排产", "报工"),
                   description="工单、报工、质量追溯，车间看板"),
    SolutionRecord(id="4", name="能耗监测平台", provider_id="q", keywords=("EMS", "能源管理"),
                   description="电表水表联网，能耗分析与预警"),
]
QUERIES = ["设备老是停机", "仓库找料全靠人记", "想上MES", "电费太高", "进消存", "质量追溯到批次", "完全无关的话"]


@pytest.mark.parametrize("query", QUERIES)
def test_relevance_of_all_equals_relevance_one_by_one(query: str) -> None:
    index = TextIndex(CATALOGUE)
    terms = query_terms(query)
    every = index.relevance_all(terms)
    for position, solution in enumerate(CATALOGUE):
        assert every[position] == pytest.approx(index.relevance(terms, solution).value, abs=1e-6)
    assert ((every >= 0) & (every <= 1 + 1e-6)).all()  # float32 weights


def test_a_typo_counts_through_its_correction() -> None:
    index = TextIndex(CATALOGUE)
    assert index.corrections("进消存") == ("进销存",)
    assert index.relevance_all(query_terms("进消存")).argmax() == 1


def test_an_edit_shows_after_a_rebuild_and_older_indexes_keep_their_view() -> None:
    before = TextIndex(CATALOGUE)
    edited = list(CATALOGUE)
    edited[3] = replace(edited[3], description="空压机群控节能，压缩空气泄漏检测")  # new words
    after = TextIndex(edited)
    terms = query_terms("空压机漏气")
    assert before.relevance_all(terms)[3] == 0.0  # numbered after `before` was built: unknown there
    assert after.relevance_all(terms).argmax() == 3
    assert "空压机" not in before.known(terms) and "空压机" in after.known(terms)


def test_an_empty_catalogue_has_no_relevance() -> None:
    index = TextIndex([])
    assert index.relevance_all(query_terms("设备联网")).shape == (0,)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["设备", "点检", "库存", "扫码", "能耗", "预警", "报工", "MES", "停机", "追溯"]),
                min_size=1, max_size=6))
def test_relevance_of_all_matches_one_by_one_for_any_word_mix(words: list[str]) -> None:
    index = TextIndex(CATALOGUE)
    terms = query_terms("".join(words))
    every = index.relevance_all(terms)
    one_by_one = np.asarray([index.relevance(terms, s).value for s in CATALOGUE])
    assert np.allclose(every, one_by_one, atol=1e-6)
