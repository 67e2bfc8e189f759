"""Text normalisation, in one place, for every stored name and keyword and every query.

Traditional → simplified (OpenCC), full-width → half-width, Latin case-folding,
collapsed white space. Company-name keys for de-duplication strip legal suffixes
and region prefixes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_converter = opencc.OpenCC("t2s")
_SPACES = re.compile(r"\s+")
# C0/C1 control characters (tab, newline and carriage return are white space, folded below), and
# the invisible format characters that make two names look alike or text run backwards: soft
# hyphen, zero-width spaces and joiners, bidirectional marks, embeddings, overrides and isolates,
# word joiner and invisible operators, the byte-order mark.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# Punctuation that NFKC leaves full-width but users treat as its ASCII form.
_EXTRA_FOLD = str.maketrans({"　": " ", "、": "、", "～": "~", "－": "-", "—": "-", "–": "-"})


def to_half_width(text: str) -> str:
    """Fold full-width ASCII forms (ＭＥＳ, １２３, ：) to half-width; drop control and invisible format characters."""
    return _CONTROLS.sub("", unicodedata.normalize("NFKC", text)).translate(_EXTRA_FOLD)


def to_simplified(text: str) -> str:
    """Fold traditional Chinese characters to simplified."""
    return str(_converter.convert(text))


@lru_cache(maxsize=65536)
def normalize(text: str | None) -> str:
    """Return the canonical form of a name, keyword or query.

    Traditional → simplified, full-width → half-width, Latin letters lower-cased,
    runs of white space collapsed to one space, ends stripped.
    """
    if not text:
        return ""
    folded = to_simplified(to_half_width(text)).casefold()
    return _SPACES.sub(" ", folded).strip()


def clean_value(text: str | None) -> str:
    """Return a stored value: half-width, simplified, spaces collapsed, case kept."""
    if text is None:
        return ""
    folded = to_simplified(to_half_width(str(text)))
    return _SPACES.sub(" ", folded).strip()


_LEGAL_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "股份公司",
    "分公司",
    "公司",
    "集团",
    "厂",
)

_REGION_PREFIX = re.compile(
    r"^(?:(?:[\u4e00-\u9fff]{2,3}?(?:省|自治区|市))?"
    r"(?:[\u4e00-\u9fff]{1,4}?(?:自治州|地区|市|州|盟))?"
    r"(?:[\u4e00-\u9fff]{1,4}?(?:区|县|旗))?)"
)

_PLACE_PREFIXES = (
    "九江", "新乡", "昌吉", "上海", "松江", "兴国", "江西", "河南", "新疆", "赣州",
    "郑州", "南昌", "乌鲁木齐",
)


def company_key(name: str | None) -> str:
    """Return a de-duplication key for a company name.

    Folds the text, drops brackets and punctuation, strips legal suffixes
    (有限公司, 股份有限公司 …) and a leading region (江西省九江市…, or a bare city name).
    """
    key = normalize(name)
    # A bracketed part is a place or a branch: 浔联数智科技(九江)有限公司.
    key = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", key)
    key = re.sub(r"[()（）\[\]【】\s·,.，。]", "", key)
    for suffix in _LEGAL_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    stripped = _REGION_PREFIX.sub("", key, count=1)
    if len(stripped) >= 2:
        key = stripped
    for place in _PLACE_PREFIXES:
        if key.startswith(place) and len(key) > len(place) + 1:
            key = key[len(place):]
            break
    return key


def split_multi(value: object) -> list[str]:
    """Split a multi-valued cell (`;`, `；` or `、`) into cleaned, non-empty values."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [clean_value(str(v)) for v in value]
    else:
        items = [clean_value(part) for part in re.split(r"[;；、]", str(value))]
    return [item for item in items if item]
