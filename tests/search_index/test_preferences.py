"""Stated preferences in a query — cheap, for a small firm — and what the search does with
them (pure: no server)."""

from __future__ import annotations

from catalog.language.lexical import Listing
from catalog.language.query import CatalogueText
from search_index import analysis
from search_index.analysis import QueryPlan
from search_index.query import preference_bonus

CATALOGUE = CatalogueText([Listing("1", "进销存云", ("进销存",), "扫码出入库"),
                           Listing("2", "仓库管理", ("仓库",), "库位与盘点")])


def analyse(q: str) -> QueryPlan:
    return analysis.analyse(CATALOGUE, q)


def test_cheap_and_small_are_understood_in_plain_words() -> None:
    plan = analyse("進銷存軟件 小廠用 便宜點的")  # traditional script too
    assert plan.frugal and plan.small
    assert not analyse("进销存软件").frugal and not analyse("进销存软件").small
    assert analyse("预算有限，想上个质量追溯").frugal
    assert analyse("几十个人的厂子 仓库管理").small


def test_cheap_small_firm_offerings_gain_only_when_asked() -> None:
    asked = analyse("进销存 小厂用 便宜点的")
    assert preference_bonus(asked, 1.0, "规下") > preference_bonus(asked, 30.0, "规上") > 0
    neutral = analyse("进销存")
    assert preference_bonus(neutral, 1.0, "规下") == preference_bonus(neutral, 30.0, "规上") == 0
