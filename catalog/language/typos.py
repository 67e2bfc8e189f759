"""Typo correction against the catalogue's own words, by sound (pinyin) first.

People type Chinese through a pinyin IME, so a typo is usually a homophone or a near one:
质量追述 for 追溯, 设备连网 for 联网, 能源管里 for 管理, 牌产 for 排产. A word of the
query is *suspect* when the catalogue does not use it and jieba does not know it as a
common word. A suspect is corrected to a catalogue word of the same length that sounds the
same — tones ignored, and the usual confusions of the IME folded (z/zh, c/ch, s/sh, n/l,
-n/-ng), or a letter off in one syllable (追朔 → 追溯) — and differs in at most half its
characters; among several, the one the catalogue
uses most wins. The vocabulary is the catalogue's indexed words plus the domain
dictionary, so a word of a listing published today is correctable today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import Levenshtein

from catalog.language.segment import tokenizer
from catalog.language.tokens import cjk_runs

COMMON_WORD = 1000  # a word jieba counts this often is meant, not a typo
RARE_WORD = 5  # a word jieba counts at most this often may hide a near homophone
EVERYDAY_CHAR = 20000  # a span of characters each this common alone is ordinary speech (老是, 太高)
MIN_LEN, MAX_LEN = 2, 5  # the lengths of the words a typo is corrected to

_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))


@lru_cache(maxsize=4096)
def fuzzy(syllable: str) -> str:
    """A syllable with the confusions an IME user makes folded together."""
    for long, short in _INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long):]
            break
    for long, short in _FINALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


@lru_cache(maxsize=32768)
def _syllable(char: str) -> str:
    return fuzzy(lazy_pinyin(char, style=Style.NORMAL)[0])


def sound(word: str) -> tuple[str, ...]:
    """The word's sound, each character in its usual reading (tones dropped, confusions
    folded): the same reading for what was typed and for the catalogue's words."""
    return tuple(map(_syllable, word))


def everyday(word: str) -> bool:
    """Is every character of `word` a very common word on its own (老, 是; 太, 高)?"""
    freq = tokenizer().FREQ
    return all(freq.get(char, 0) >= EVERYDAY_CHAR for char in word)


def _one_letter_apart(a: str, b: str) -> bool:
    """Two syllables one letter apart (shuo / shu, qin / qing): a near homophone."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    return Levenshtein.distance(a, b) == 1


@dataclass(frozen=True)
class Correction:
    """`typed` read as `corrected`; `near` when they sound alike but not the same (then the
    typed word stands too, and the corrected one counts less)."""

    typed: str
    corrected: str
    near: bool = False


class TypoCorrector:
    """Corrects suspect words of a text to catalogue words that sound the same.

    Args:
        usage: word → how many listings use it (the catalogue's document frequency); words
            of the domain dictionary may be added with a count of 1.
    """

    def __init__(self, usage: Mapping[str, int]) -> None:
        self.usage = {w: n for w, n in usage.items() if MIN_LEN <= len(w) <= MAX_LEN and cjk_runs(w) == [w]}

    @cached_property
    def _by_sound(self) -> dict[tuple[str, ...], list[str]]:
        """The catalogue's words by sound (made on the first suspect word, not per catalogue)."""
        out: dict[tuple[str, ...], list[str]] = {}
        for word in self.usage:
            out.setdefault(sound(word), []).append(word)
        return out

    @cached_property
    def _by_context(self) -> dict[tuple[tuple[str, ...], tuple[str, ...], int], list[tuple[tuple[str, ...], list[str]]]]:
        """Sounds by everything but one syllable, for near homophones."""
        out: dict[tuple[tuple[str, ...], tuple[str, ...], int], list[tuple[tuple[str, ...], list[str]]]] = {}
        for key, found in self._by_sound.items():
            for pos in range(len(key)):
                out.setdefault((key[:pos], key[pos + 1:], len(key)), []).append((key, found))
        return out

    def suspect(self, word: str) -> bool:
        """Is `word` likely a typo: Chinese, unused by the catalogue, not a common word, and
        not a phrase of everyday characters that jieba merely does not list (老是)?"""
        freq = tokenizer().FREQ
        return (len(word) >= 2 and cjk_runs(word) == [word] and word not in self.usage
                and freq.get(word, 0) < COMMON_WORD and not everyday(word))

    def candidate(self, word: str) -> Correction | None:
        """What `word` was most likely meant as, or None: a catalogue word that sounds the
        same, else (for a word jieba does not know) one a letter off in one syllable."""
        typed = sound(word)
        same = [w for w in self._by_sound.get(typed, ()) if self._close(word, w)]
        if same:
            return Correction(word, max(same, key=lambda w: (self.usage[w], w)))
        if tokenizer().FREQ.get(word, 0) > RARE_WORD:
            return None
        near = []
        for pos, syllable in enumerate(typed):
            for other_sound, others in self._neighbours(typed, pos):
                if _one_letter_apart(syllable, other_sound[pos]):
                    near += [w for w in others if self._close(word, w) and w[pos] != word[pos]]
        if not near:
            return None
        return Correction(word, max(near, key=lambda w: (self.usage[w], w)), near=True)

    def _neighbours(self, typed: tuple[str, ...], pos: int) -> list[tuple[tuple[str, ...], list[str]]]:
        """Catalogue sounds equal to `typed` except at position `pos`."""
        key = (typed[:pos], typed[pos + 1:], len(typed))
        return self._by_context.get(key, [])

    @staticmethod
    def _close(word: str, other: str) -> bool:
        changed = sum(a != b for a, b in zip(word, other, strict=True))
        return 0 < changed <= max(1, len(word) // 2)

    def spans(self, words: list[str]) -> list[tuple[str, bool]]:
        """What may hold a typo, each with whether only a same-sounding word may replace it:
        each suspect word; and a word with a lone character beside it (变压 + 气 → 变压气,
        as jieba cuts a misspelt 变压器), which must sound exactly like a catalogue word."""
        out: dict[str, bool] = {}
        for i, word in enumerate(words):
            if self.suspect(word):
                out[word] = False
            if len(word) < 2:
                continue
            if i + 1 < len(words) and len(words[i + 1]) == 1:
                out.setdefault(word + words[i + 1], True)
            if i > 0 and len(words[i - 1]) == 1:
                out.setdefault(words[i - 1] + word, True)
        return [(s, exact) for s, exact in out.items()
                if cjk_runs(s) == [s] and s not in self.usage and tokenizer().FREQ.get(s, 0) < COMMON_WORD
                and not everyday(s)]

    def correct(self, text: str, words: Iterable[str]) -> list[Correction]:
        """Corrections for the suspect words among `words` (the precise-mode words of the
        normalised `text`, in order), longest span first, each typed span once. A
        character that is part of a catalogue word in the text is never changed (料 of
        领料单 stays, however jieba cut it)."""
        out: list[Correction] = []
        for span, exact in sorted(self.spans(list(words)), key=lambda s: -len(s[0])):
            if any(span in c.typed or c.typed in span for c in out):
                continue
            fix = self.candidate(span)
            if fix and not (exact and fix.near) and not self._covered(text, fix):
                out.append(fix)
        return out

    def _covered(self, text: str, fix: Correction) -> bool:
        """Is a character the fix changes part of a catalogue word of `text` around it?"""
        start = text.find(fix.typed)
        changed = [start + i for i, (a, b) in enumerate(zip(fix.typed, fix.corrected, strict=True)) if a != b]
        end = start + len(fix.typed)
        for pos in changed:
            for size in (2, 3, 4):
                for left in range(max(0, pos - size + 1), pos + 1):
                    right = left + size
                    inside = left >= start and right <= end
                    if not inside and right <= len(text) and text[left:right] in self.usage:
                        return True
        return False
