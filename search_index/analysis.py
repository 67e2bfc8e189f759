"""Query understanding: fold, correct typos, find concepts, infer scenarios, key terms.

Pure functions over text and catalog data (synonyms, dictionary, lexicon): no client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from catalog import segment
from catalog.synonyms import SynonymGroup, synonyms
from catalog.taxonomy import taxonomy
from catalog.text import normalize

try:  # the pain-point lexicon (catalog/lexicon.py) is optional for search
    from catalog import lexicon as _lexicon
except ImportError:  # pragma: no cover
    _lexicon = None  # type: ignore[assignment]

MAX_ENGINE_WORDS = 10  # Meilisearch ignores a query's 11th word and beyond
_KNOWN_FREQ = 50  # a jieba word this frequent is a real word, not a typo
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Function words and filler that carry no search intent.
STOPWORDS = frozenset(
    """的 了 和 与 及 或 在 是 有 没有 也 都 还 就 又 再 很 太 要 想 想要 需要 希望 能 能够 可以 会
    我们 我 你 他们 他 她 它 咱们 公司 企业 厂里 单位 这个 那个 这些 哪个 哪些 哪台 什么 怎么 怎样 如何
    一个 一些 一下 一套 一多 点 个 把 被 让 给 对 跟 从 到 用 做 搞 弄 上 下 里 中 后 前 时 每 各
    老是 总是 经常 常常 老 总 天天 每天 每次 突然 现在 目前 之前 去年 今年 以后 顺便 另外 同时 而且 但是
    不 不知道 知道 不能 不会 不好 不行 太多 很多 好几 好几次 半天 全靠 靠 只能 还是 已经 差点 来回
    系统 软件 平台 工具 方案 解决方案 产品 管理 管住 管起来 起来 实现 进行 支持 一遍 一些 便宜 便宜点""".split()
)


@dataclass(frozen=True)
class QueryPlan:
    """What a query asks for.

    Attributes:
        raw: the text as typed.
        text: folded and typo-corrected.
        terms: key terms (no stop words), in order; synonym-group terms included.
        groups: synonym groups mentioned.
        scenarios: inferred (scenario, share) pairs, best first.
        expansions: product words for the pain points named (from the lexicon).
        corrections: (typed, corrected) pairs applied.
    """

    raw: str
    text: str
    terms: tuple[str, ...]
    groups: tuple[SynonymGroup, ...]
    scenarios: tuple[tuple[str, float], ...]
    expansions: tuple[str, ...]
    corrections: tuple[tuple[str, str], ...]
    frugal: bool = False  # asks for something cheap (便宜点的, 预算有限)
    small: bool = False  # speaks for a small firm (小厂, 规下)

    def engine_query(self, limit: int = MAX_ENGINE_WORDS) -> str:
        """Key terms for Meilisearch, at most `limit` words, concepts first."""
        picked: list[str] = []
        covered = " ".join(term for g in self.groups for term in g.terms)
        for group in self.groups:
            picked.append(_shortest_cjk(group))
        for term in self.terms:
            if term not in covered and term not in picked:
                picked.append(term)
        for term in self.expansions:
            if term not in picked:
                picked.append(term)
        out: list[str] = []
        count = 0
        for term in picked:
            size = max(1, len(segment.words(term)))
            if count + size > limit:
                continue
            out.append(term)
            count += size
        return " ".join(out)


def _shortest_cjk(group: SynonymGroup) -> str:
    """The group's term Meilisearch matches best: a short Chinese one, else the canonical."""
    cjk = [t for t in group.terms if _CJK.search(t)]
    return min(cjk, key=len) if cjk else group.canonical


@cache
def vocabulary() -> frozenset[str]:
    """Domain words (dictionary, synonym terms, scenario names) a typo may be corrected to."""
    path = Path(segment.__file__).resolve().parent / "data" / "dictionary.txt"
    words = {line.split()[0] for line in path.read_text("utf-8").splitlines() if line.strip()}
    words |= {t for g in synonyms().groups for t in g.terms if _CJK.search(t)}
    words |= set(taxonomy().scenarios)
    return frozenset(w for w in words if len(w) >= 2 and _CJK.fullmatch(w[0]))


@cache
def _wildcards() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for word in vocabulary():
        for i in range(len(word)):
            table.setdefault(word[:i] + "?" + word[i + 1:], []).append(word)
    return {k: tuple(v) for k, v in table.items()}


def _is_word(word: str) -> bool:
    return word in vocabulary() or segment.tokenizer().FREQ.get(word, 0) >= _KNOWN_FREQ


def _covered(text: str, pos: int) -> bool:
    """Is the character at `pos` part of a real two-to-four-character word in `text`?"""
    for size in (2, 3, 4):
        for start in range(max(0, pos - size + 1), min(pos, len(text) - size) + 1):
            if _is_word(text[start:start + size]):
                return True
    return False


@lru_cache(maxsize=8192)
def correct_typos(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Replace one-character misspellings of domain words (进消存 → 进销存, 监侧 → 监测).

    A window is corrected only when it differs from exactly one domain word in one
    character, that character is not part of a real word in the text, and what is left
    of the window is not a real word either. Windows are three or four characters long:
    two-character ones are too often real phrases (要上 is not a misspelt 要货).
    """
    fixes: list[tuple[str, str]] = []
    for size in (4, 3):
        start = 0
        while start + size <= len(text):
            window = text[start:start + size]
            fix = _fix_window(text, start, window)
            if fix:
                fixes.append((window, fix))
                text = text[:start] + fix + text[start + size:]
                start += size
            else:
                start += 1
    return text, tuple(fixes)


def _fix_window(text: str, start: int, window: str) -> str | None:
    if not all(_CJK.fullmatch(c) for c in window) or _is_word(window):
        return None
    for i in range(len(window)):
        candidates = [w for w in _wildcards().get(window[:i] + "?" + window[i + 1:], ()) if w != window]
        if len(candidates) != 1 or _covered(text, start + i):
            continue
        rest = window[1:] if i == 0 else window[:-1] if i == len(window) - 1 else ""
        if len(rest) >= 2 and _is_word(rest):
            continue
        return candidates[0]
    return None


def key_terms(text: str) -> list[str]:
    """Words of `text` that carry intent: no stop words, no lone function characters."""
    out: list[str] = []
    for word in segment.words(text):
        if word in STOPWORDS or word in out:
            continue
        if len(word) == 1 and _CJK.fullmatch(word) and segment.tokenizer().FREQ.get(word, 0) > 20000:
            continue
        out.append(word)
    return out


def infer_scenarios(text: str, groups: list[SynonymGroup]) -> list[tuple[str, float]]:
    """Scenarios the text speaks of: the lexicon's inference plus the concepts' scenarios."""
    totals: dict[str, float] = {}
    if _lexicon is not None:
        for scenario, share in _lexicon.infer_scenarios(text):
            totals[scenario] = totals.get(scenario, 0.0) + share
    tagged = [g.scenario for g in groups if g.scenario]
    for scenario in tagged:
        totals[scenario] = totals.get(scenario, 0.0) + 1.0 / len(tagged)
    whole = sum(totals.values())
    if not whole:
        return []
    return sorted(((s, v / whole) for s, v in totals.items()), key=lambda item: -item[1])


# How people say "cheap" and "we are small"; the re-ranker then prefers low prices and
# offerings sized for small firms.
FRUGAL_MARKERS = ("便宜", "低价", "实惠", "省钱", "价格低", "不贵", "性价比", "免费", "预算有限", "预算少",
                  "预算不多", "钱不多", "没多少钱", "成本低", "低成本", "花钱少", "少花钱", "经济型")
SMALL_MARKERS = ("小厂", "小微", "小企业", "小公司", "小作坊", "作坊", "规下", "个体", "几十个人", "几十号人",
                 "十几个人", "人不多")


@lru_cache(maxsize=4096)
def analyse(raw: str) -> QueryPlan:
    """Understand a query as users type it (any script, width, typos, pain-point phrasing)."""
    folded = normalize(raw)
    text, fixes = correct_typos(folded)
    groups = synonyms().groups_in(text)
    expansions: list[str] = []
    if _lexicon is not None:
        expansions = [t for t in _lexicon.expand_terms(text) if t not in text]
    return QueryPlan(
        raw=raw,
        text=text,
        terms=tuple(key_terms(text)),
        groups=tuple(groups),
        scenarios=tuple(infer_scenarios(text, groups)),
        expansions=tuple(expansions),
        corrections=fixes,
        frugal=any(marker in text for marker in FRUGAL_MARKERS),
        small=any(marker in text for marker in SMALL_MARKERS),
    )
