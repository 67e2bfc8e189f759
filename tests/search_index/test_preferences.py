"""Stated preferences in a query — cheap, for a small firm — and what the re-ranker does
with them (pure: no server)."""

from __future__ import annotations

from search_index.analysis import analyse
from search_index.rerank import rerank


def _doc(code: str, price: float, size_fit: str) -> dict[str, object]:
    return {"id": code, "code": code, "name": "进销存云", "keywords": ["进销存"], "description": "扫码出入库",
            "scenarios": [], "industries": ["通用"], "synonyms": [], "price_wan": price, "size_fit": size_fit}


def test_cheap_and_small_are_understood_in_plain_words() -> None:
    plan = analyse("進銷存軟件 小廠用 便宜點的")  # traditional script too
    assert plan.frugal and plan.small
    assert not analyse("进销存软件").frugal and not analyse("进销存软件").small
    assert analyse("预算有限，想上个质量追溯").frugal
    assert analyse("几十个人的厂子 仓库管理").small


def test_the_reranker_prefers_cheap_small_firm_offerings_only_when_asked() -> None:
    docs = [_doc("big", 30.0, "规上"), _doc("small", 1.0, "规下")]
    asked = [doc["code"] for doc, _ in rerank(analyse("进销存 小厂用 便宜点的"), docs)]
    assert asked == ["small", "big"]
    neutral = {doc["code"]: score for doc, score in rerank(analyse("进销存"), docs)}
    # Without the preference only the engine's order separates two equally matching offerings.
    assert neutral["big"] > neutral["small"]
