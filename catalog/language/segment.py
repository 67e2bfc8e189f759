"""Chinese word segmentation (jieba) with the domain dictionary, set up once, offline.

`search_words` gives jieba's search mode (compounds and their parts: 棉纺织 → 棉纺,
纺织, 棉纺织), which is what a sub-word index field and query key terms need.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba

_DICTIONARY = Path(__file__).resolve().parents[1] / "data" / "dictionary.txt"
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_WORDLIKE = re.compile(r"[\w\u4e00-\u9fff]")

jieba.setLogLevel(logging.WARNING)


def tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer with the domain dictionary loaded."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tk = jieba.Tokenizer()
                tk.initialize()
                tk.load_userdict(str(_DICTIONARY))
                _tokenizer = tk
    return _tokenizer


def _keep(word: str) -> bool:
    return bool(word.strip()) and bool(_WORDLIKE.search(word))


@lru_cache(maxsize=32768)
def words(text: str) -> tuple[str, ...]:
    """Precise-mode words of `text` (punctuation and spaces dropped)."""
    return tuple(w for w in tokenizer().cut(text) if _keep(w))


@lru_cache(maxsize=32768)
def search_words(text: str) -> tuple[str, ...]:
    """Search-mode words of `text`: every word plus the dictionary words inside it."""
    return tuple(w for w in tokenizer().cut_for_search(text) if _keep(w))


def known(word: str) -> bool:
    """Is `word` in the dictionary (jieba's own or the domain one)?"""
    return bool(tokenizer().FREQ.get(word))


@lru_cache(maxsize=32768)
def parts(text: str) -> tuple[str, ...]:
    """The dictionary words inside the longer words of `text` (棉纺织 → 棉纺, 纺织), without
    the words themselves: what search mode adds to the precise cut. One jieba pass."""
    freq = tokenizer().FREQ
    out: dict[str, None] = {}
    for word in tokenizer().cut(text):
        for size in (2, 3):
            if len(word) <= size:
                continue
            for i in range(len(word) - size + 1):
                gram = word[i:i + size]
                if freq.get(gram) and _keep(gram):
                    out[gram] = None
    return tuple(out)
