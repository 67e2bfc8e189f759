"""The matcher's text: relevance over all offerings (postings) equals the sum of what each
matched word adds to one offering (its own terms), typos count through their correction,
and indexes built at different times stay independent."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.records import SolutionRecord
from matching.text import TextIndex

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


def _one_by_one(index: TextIndex, text: str) -> np.ndarray:
    need = index.read(text)
    best = need.relevance.best
    return np.asarray([sum(index.language.index.matched(need.relevance.terms, pos).values()) / best if best else 0.0
                       for pos in range(index.size)])


@pytest.mark.parametrize("query", QUERIES)
def test_relevance_of_all_equals_relevance_one_by_one(query: str) -> None:
    index = TextIndex(CATALOGUE)
    every = index.relevance_all(index.read(query))
    assert np.allclose(every, _one_by_one(index, query), atol=1e-9)
    assert ((every >= 0) & (every <= 1 + 1e-9)).all()
    for position in range(len(CATALOGUE)):
        assert index.relevance(index.read(query), position).value == pytest.approx(every[position])


def test_a_typo_counts_through_its_correction() -> None:
    index = TextIndex(CATALOGUE)
    need = index.read("进消存")
    assert [(c.typed, c.corrected) for c in need.understood.corrections] == [("进消存", "进销存")]
    assert index.relevance_all(need).argmax() == 1
    assert "进销存" in index.relevance(need, 1).matched


def test_an_edit_shows_after_a_rebuild_and_older_indexes_keep_their_view() -> None:
    before = TextIndex(CATALOGUE)
    edited = list(CATALOGUE)
    edited[3] = replace(edited[3], description="空压机群控节能，压缩空气泄漏检测")  # new words
    after = TextIndex(edited)
    assert after.relevance_all(after.read("空压机漏气")).argmax() == 3
    assert not before.language.index.knows("空压机") and after.language.index.knows("空压机")


def test_an_empty_catalogue_has_no_relevance() -> None:
    index = TextIndex([])
    assert index.relevance_all(index.read("设备联网")).shape == (0,)


def test_a_need_speaks_of_the_scenarios_of_the_offerings_that_answer_it() -> None:
    labelled = [replace(s, scenarios=scenario) for s, scenario in zip(CATALOGUE, (
        ("设备管理运维",), ("仓储物流",), ("生产过程管控",), ("能源能耗管理",)), strict=True)]
    index = TextIndex(labelled)
    assert index.read("设备老是停机").scenarios[0][0] == "设备管理运维"
    assert sum(share for _, share in index.read("电费太高").scenarios) == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["设备", "点检", "库存", "扫码", "能耗", "预警", "报工", "MES", "停机", "追溯"]),
                min_size=1, max_size=6))
def test_relevance_of_all_matches_one_by_one_for_any_word_mix(words: list[str]) -> None:
    index = TextIndex(CATALOGUE)
    text = "".join(words)
    assert np.allclose(index.relevance_all(index.read(text)), _one_by_one(index, text), atol=1e-9)
