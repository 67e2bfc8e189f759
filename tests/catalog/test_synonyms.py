"""The synonym table: found on normalised text, longest term first, Latin terms only as
whole words."""

from __future__ import annotations

from catalog.language.synonyms import synonyms


def test_terms_are_found_longest_first_without_overlaps() -> None:
    found = [term for term, _group in synonyms().find("上ＭＥＳ系統，再做仓储管理和能耗监测")]
    # full-width and traditional folded, case-folded; 能耗监测 rather than its part 能耗
    assert found == ["mes", "仓储管理", "能耗监测"]
    assert [t for t, _ in synonyms().find("仓储管理系统")] == ["仓储管理系统"]


def test_latin_terms_match_only_as_whole_words() -> None:
    table = synonyms()
    assert [t for t, _ in table.find("mes")] == ["mes"]
    assert [t for t, _ in table.find("xmes systems")] == []
    assert table.groups_in("EMS") != table.groups_in("MES")


def test_a_term_is_found_wherever_it_occurs() -> None:
    table = synonyms()
    for term, group in table.by_term.items():
        assert group in table.groups_in(f"前文{term}后文" if not term[-1].isascii() else f"前文 {term} 后文")
