"""Checks on single values: 统一社会信用代码, phone numbers, numbers, enumerations,
scenarios and industries. Every failure raises ValueError with a Chinese message
saying what is wrong and what was expected (pydantic turns it into a field error).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from catalog.language.text import clean_value, normalize
from catalog.taxonomy import GENERIC, resolve_industry, taxonomy

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


@lru_cache(maxsize=65536)
def _clean_short(text: str) -> str:
    return clean_value(text)


def clean(value: object) -> str:
    """catalog.language.text.clean_value, memoised for short values (names, codes, enumerations)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in a spreadsheet: 1001.0 → "1001"
    text = value if isinstance(value, str) else str(value)
    return _clean_short(text) if len(text) <= 48 else clean_value(text)


def split_values(value: object) -> list[str]:
    """A multi-valued cell split on ; ； 、 (or a list), each value cleaned, empties dropped."""
    if value is None:
        return []
    parts = value if isinstance(value, list | tuple) else re.split(r"[;；、]", str(value))
    return [item for item in (clean(part) for part in parts) if item]


def check_digit(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 computed from its first 17 (GB 32100-2015)."""
    if len(first17) != 17 or any(ch not in _USCC_VALUE for ch in first17):
        raise ValueError("统一社会信用代码前 17 位应为数字或大写字母（不含 I、O、S、V、Z）")
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_is_valid(code: str | None) -> bool:
    """Is this an 18-character 统一社会信用代码 with a correct check digit?"""
    if not code or len(code) != 18 or any(ch not in _USCC_VALUE for ch in code):
        return False
    return check_digit(code[:17]) == code[17]


def make_uscc(seed_17_chars: str) -> str:
    """A valid 统一社会信用代码: 17 given characters plus their check digit.

    Any other seed (a name, a number) is turned deterministically into 17 characters
    starting with 91 (an enterprise registered with the market regulator).
    """
    seed = seed_17_chars.strip().upper()
    if len(seed) != 17 or any(ch not in _USCC_VALUE for ch in seed):
        digest = hashlib.sha256(seed_17_chars.encode("utf-8")).digest()
        seed = "91" + "".join(USCC_ALPHABET[b % 31] for b in digest[:15])
    return seed + check_digit(seed)


def clean_uscc(value: object) -> str:
    """Validate and return a 统一社会信用代码 (spaces and full-width folded, upper-cased)."""
    code = clean(value).replace(" ", "").upper()
    if not code:
        raise ValueError("统一社会信用代码不能为空")
    if len(code) != 18:
        raise ValueError(f"统一社会信用代码应为 18 位，实际为 {len(code)} 位")
    bad = sorted({ch for ch in code if ch not in _USCC_VALUE})
    if bad:
        raise ValueError(f"统一社会信用代码含非法字符“{''.join(bad)}”（不使用 I、O、S、V、Z）")
    expected = check_digit(code[:17])
    if code[17] != expected:
        raise ValueError(f"统一社会信用代码校验位错误：第 18 位应为“{expected}”，实际为“{code[17]}”")
    return code


def phone_is_valid(value: str | None) -> bool:
    """Mainland mobile (1[3-9] + 9 digits) or landline with area code (0792-1234567)."""
    return bool(value) and (_MOBILE.match(value or "") or _LANDLINE.match(value or "")) is not None


def clean_phone(value: object) -> str | None:
    """Validate and return a phone number (spaces dropped, +86 removed); empty → None."""
    text = clean_value(None if value is None else str(value))
    if not text:
        return None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    text = re.sub(r"[\s()]", "", text).removeprefix("+86").removeprefix("0086")
    if not phone_is_valid(text):
        raise ValueError("联系电话格式不正确，应为 11 位手机号（如 13912345678）或带区号的座机（如 0792-1234567）")
    return text


def _similarity(a: str, b: str) -> float:
    """Character-bag similarity that suits Chinese (no spaces between words)."""
    sa, sb = " ".join(a), " ".join(b)
    return (fuzz.token_sort_ratio(sa, sb) + fuzz.token_set_ratio(sa, sb)) / 2


def suggest(value: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = 55) -> list[str]:
    """The valid choices closest to a mistyped value, best first (close runners-up only)."""
    target = normalize(value)
    scored = sorted(
        ((_similarity(target, normalize(c)), i, c) for i, c in enumerate(dict.fromkeys(choices))),
        key=lambda item: (-item[0], item[1]),
    )
    if not scored or scored[0][0] < cutoff:
        return []
    best = scored[0][0]
    return [c for score, _i, c in scored[:limit] if score >= max(cutoff, best - 12)]


def _unknown(label: str, value: str, choices: Sequence[str]) -> ValueError:
    close = suggest(value, choices)
    if close:
        return ValueError(f"未知的{label}“{value}”，是否指：{'、'.join(close)}？")
    return ValueError(f"未知的{label}“{value}”，可选值：{'、'.join(choices)}")


def resolve_choice(value: object, choices: Sequence[str], label: str) -> str:
    """One value from a fixed list (case, width and 繁/简 folded); unknown → suggestions."""
    text = clean(value)
    found = _choice_index(tuple(choices)).get(normalize(text))
    if found is None:
        raise _unknown(label, text, choices)
    return found


@lru_cache(maxsize=64)
def _choice_index(choices: tuple[str, ...]) -> dict[str, str]:
    return {normalize(c): c for c in choices}


def resolve_scenarios(values: Iterable[str]) -> list[str]:
    """Scenario names from the taxonomy, de-duplicated in order; unknown ones rejected."""
    scenarios = taxonomy().scenarios
    return _dedupe(resolve_choice(v, scenarios, "应用场景") for v in values)


def _industry_choices() -> list[str]:
    tax = taxonomy()
    return [name for code, name in tax.industries.items() if code != GENERIC] + [GENERIC, *tax.aliases]


def resolve_industries(values: Iterable[str]) -> list[str]:
    """Industry names, segment aliases or GB/T 4754 codes → codes (通用 kept), de-duplicated."""
    codes: list[str] = []
    for value in values:
        text = clean(value)
        found = _resolve_industry(text)
        if not found:
            raise _unknown("行业", text, _industry_choices())
        codes.extend(found)
    return _dedupe(codes)


@lru_cache(maxsize=4096)
def _resolve_industry(text: str) -> tuple[str, ...]:
    return tuple(resolve_industry(text))


def resolve_one_industry(value: object) -> str:
    """Exactly one industry code (an enterprise's own); 通用 and multi-code aliases rejected."""
    text = clean(value)
    codes = resolve_industries([text]) if text else []
    if not codes:
        raise ValueError("细分行业不能为空")
    if codes == [GENERIC]:
        raise ValueError("企业的细分行业不能为“通用”，请填写行业名称或国民经济行业代码（如 C261）")
    if len(codes) > 1:
        names = "、".join(f"{c} {taxonomy().industries.get(c, '')}" for c in codes)
        raise ValueError(f"“{text}”对应多个行业（{names}），请填写其中一个")
    return codes[0]


def parse_number(value: object, label: str = "") -> float | None:
    """A number from a cell: 12, 12.5, "12.5", "１２", "1,200"; empty → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label}应为数字")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = clean_value(str(value)).replace(",", "").replace(" ", "")
        text = text.removesuffix("万元").removesuffix("万")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{label}应为数字，实际为“{value}”") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"{label}应为有限的数字")
    return number


def parse_whole(value: object, label: str = "") -> int | None:
    """A whole number from a cell ("30", 30.0); a fraction is rejected."""
    number = parse_number(value, label)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueError(f"{label}应为整数，实际为“{value}”")
    return int(number)


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
