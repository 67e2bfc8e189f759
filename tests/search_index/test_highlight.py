"""Highlighting: query terms marked, everything else escaped, long text cropped around a match."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from catalog.language.lexical import Listing
from catalog.language.query import CatalogueText
from search_index import analysis
from search_index.analysis import QueryPlan
from search_index.query import highlight, query_pattern

CATALOGUE = CatalogueText([Listing("1", "仓库扫码出入库", ("盘点",), "库存盘点与扫码出入库")])


def analyse(q: str) -> QueryPlan:
    return analysis.analyse(CATALOGUE, q)


def test_terms_are_marked_and_markup_in_the_text_is_escaped() -> None:
    pattern = query_pattern(analyse("扫码 出入库"))
    shown = highlight('<script>alert("x")</script> 扫码出入库 & 盘点', pattern)
    assert "<script>" not in shown and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in shown
    assert "<mark>扫码</mark>" in shown and "&amp; 盘点" in shown


def test_a_long_text_is_cropped_around_the_first_match() -> None:
    pattern = query_pattern(analyse("盘点"))
    shown = highlight("前言" * 100 + "库存盘点" + "后记" * 100, pattern, crop=40)
    assert shown.startswith("…") and shown.endswith("…") and "盘点</mark>" in shown
    assert len(shown.replace("<mark>", "").replace("</mark>", "")) == 40 + 2  # the crop and two ellipses


MARKED = query_pattern(analyse("扫码 盘点"))  # understood once, outside the examples


@given(st.text(alphabet=st.sampled_from(list("扫码盘点库存<>&\"'ab ")), max_size=60))
def test_without_its_marks_a_highlight_is_the_escaped_text(text: str) -> None:
    import html

    shown = highlight(text, MARKED)
    assert shown.replace("<mark>", "").replace("</mark>", "") == html.escape(text)
