"""Word segmentation: the parts of compounds a sub-word field needs."""

from __future__ import annotations

from catalog.language import segment


def test_parts_are_the_words_inside_longer_words() -> None:
    parts = segment.parts("棉纺织企业的待处理订单")
    assert "纺织" in parts and "处理" in parts
    assert "棉纺织" not in parts and "待处理" not in parts  # whole words are in the text itself
    assert set(parts) == set(segment.search_words("棉纺织企业的待处理订单")) - set(segment.words("棉纺织企业的待处理订单"))
