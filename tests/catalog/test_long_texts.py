"""How a long text (a story, a report excerpt) is weighed (catalog/language/query.py): a word
told on the way, whose scenarios the rest of the text does not share, counts less than the
words that agree; and relevance feedback is lent only by listings holding several of the
query's words. Both are learned from the catalogue's labels, not from a word list."""

from __future__ import annotations

import dataclasses

from catalog.language.lexical import Listing
from catalog.language.query import CatalogueText, Weights

DATA = "生产数据采集 产量统计 停机记录 设备联网"
SUPPLY = "供应商协同 询价比价 供应商门户 采购订单"
LISTINGS = [
    *[Listing(f"D{i}", f"产线数据平台{i}", ("数据采集", "停机"), f"{DATA} 车间看板{i}", ("生产管控",)) for i in range(4)],
    *[Listing(f"S{i}", f"供应商协同平台{i}", ("供应商", "询价"), f"{SUPPLY} 对账{i}", ("采购供应",)) for i in range(4)],
    Listing("Q", "质量检验系统", ("检验",), "来料检验 不合格品", ("质量管控",)),
]
STORY = ("供应商来讲了好几次，车间的停机记录没有，产量统计全靠手抄，设备联网也没做，"
         "生产数据采集不上来，车间看板更谈不上，我就想先把数据采集做起来")


def test_a_word_told_on_the_way_counts_less_in_a_long_text() -> None:
    text = CatalogueText(LISTINGS)
    terms = text.relevance(text.understand(STORY)).terms
    plain = text.understand(STORY).terms
    assert terms["供应商"] < plain["供应商"]  # its scenario (采购供应) is not the story's
    assert terms["停机"] > 0.9 * plain["停机"]  # the story is about the line's data


def test_a_short_text_keeps_every_word() -> None:
    text = CatalogueText(LISTINGS)
    query = text.understand("供应商 停机")
    assert text.relevance(query).terms["供应商"] == query.terms["供应商"]


def test_weighing_long_texts_can_be_turned_off() -> None:
    text = CatalogueText(LISTINGS, dataclasses.replace(Weights(), coherence=1.0))
    query = text.understand(STORY)
    assert text.relevance(query).terms["供应商"] == query.terms["供应商"]


def test_feedback_comes_from_listings_holding_several_query_words() -> None:
    """停机 and 询价 asked together: the supply listings hold 询价 only, so none of their own
    words (门户, 对账…) is added as feedback."""
    text = CatalogueText(LISTINGS)
    widened = text.relevance(text.understand("询价 停机 产量")).terms
    assert "门户" not in widened and "供应商门户" not in widened
