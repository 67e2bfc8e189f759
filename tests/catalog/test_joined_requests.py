"""A short text that joins two requests (想上 MES 管住报工，顺便把设备联网) is answered for both
(catalog/language/query.py, `Weights.joined`): the listing best for the second request scores
at least `joined` of the best, though it holds only half the text's words; a new listing,
scored on the fly, gets the same; a single request is weighed as before."""

from __future__ import annotations

import dataclasses

from catalog.language.lexical import Listing
from catalog.language.query import CatalogueText, Weights

MES = [Listing(f"M{i}", f"轻量MES{i}", ("MES", "工单", "报工"), f"MES 工单管理 扫码报工 工单进度 报工统计 生产执行{i}",
               ("生产管控",)) for i in range(2)]
NETWORK = Listing("N", "联网盒子", ("联网",), "设备联网 状态监控", ("设备管理",))
OTHER = [*[Listing(f"O{i}", f"设备点检{i}", ("设备", "点检"), "设备点检 设备状态 设备台账 看状态", ("设备管理",))
           for i in range(4)],
         *[Listing(f"F{i}", f"财务软件{i}", ("记账",), "记账 报表 发票", ("财务管理",)) for i in range(3)]]
JOINED = "想上个MES管住工单报工，顺便把设备联网看状态"


def _network_text(weights: Weights) -> float:
    text = CatalogueText([*MES, NETWORK, *OTHER], weights)
    return float(text.relevance(text.understand(JOINED)).text[len(MES)])


def test_the_listing_best_for_the_second_request_scores_as_one_that_answers_a_request() -> None:
    joined = _network_text(Weights())
    assert joined >= Weights().joined - 1e-9
    assert joined > _network_text(dataclasses.replace(Weights(), joined=0.0)) + 0.1


def test_a_listing_scored_on_the_fly_gets_what_a_held_one_gets() -> None:
    held = CatalogueText([*MES, NETWORK, *OTHER])
    relevance = held.relevance(held.understand(JOINED)).without_arrays()
    fresh = held.total_new(relevance, NETWORK)
    assert abs(fresh - float(held.totals(held.relevance(held.understand(JOINED)))[len(MES)])) < 0.05


def test_one_request_is_weighed_as_before() -> None:
    text = CatalogueText([*MES, NETWORK, *OTHER])
    assert text.relevance(text.understand("想上个MES管住工单报工")).requests == ()
