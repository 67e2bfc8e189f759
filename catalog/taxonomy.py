"""The taxonomy: the 17 scenarios, GB/T 4754-2017 industry codes and their hierarchy,
the plans' segment names as aliases, levels and the other enumerations.

One module answers "does industry X fit industry Y, and how closely".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from pathlib import Path

from catalog.language.text import normalize

GENERIC = "通用"


class IndustryFit(IntEnum):
    """How closely an offering's industry fits an enterprise's industry."""

    NONE = 0
    GENERIC = 1
    DIVISION = 2  # same two-digit division (C26 vs C261, or C261 vs C262)
    GROUP = 3  # the same group, or the offering names exactly the enterprise's code


@dataclass(frozen=True)
class Taxonomy:
    scenarios: tuple[str, ...]
    industries: dict[str, str]  # code → name; 通用 → "*"
    aliases: dict[str, tuple[str, ...]]  # segment name → codes
    levels: dict[str, int]
    deployment: tuple[str, ...]
    billing: tuple[str, ...]
    srdi_tiers: tuple[str, ...]

    def industry_names(self) -> dict[str, str]:
        """Every accepted spelling of an industry (code, name, alias) → canonical code(s)."""
        names: dict[str, str] = {}
        for code, name in self.industries.items():
            names[normalize(code)] = code
            if code != GENERIC:
                names[normalize(name)] = code
        return names


@cache
def taxonomy() -> Taxonomy:
    """Load the taxonomy shipped with the package (a copy of shared/formats/taxonomy.json)."""
    raw = json.loads((Path(__file__).resolve().parent / "data" / "taxonomy.json").read_text("utf-8"))
    industries = {k: v for k, v in raw["industries"].items() if not k.startswith("_")}
    aliases = {k: tuple(v) for k, v in raw["industry_aliases"].items() if not k.startswith("_")}
    return Taxonomy(
        scenarios=tuple(raw["scenarios"]),
        industries=industries,
        aliases=aliases,
        levels=dict(raw["levels"]),
        deployment=tuple(raw["deployment"]),
        billing=tuple(raw["billing"]),
        srdi_tiers=tuple(raw["srdi_tiers"]),
    )


def resolve_industry(value: str) -> list[str]:
    """Map an industry as users write it (code, name or segment alias) to codes.

    Returns an empty list when the value is not known.
    """
    tax = taxonomy()
    key = normalize(value)
    by_name = tax.industry_names()
    if key in by_name:
        return [by_name[key]]
    upper = value.strip().upper()
    if upper in tax.industries:
        return [upper]
    for alias, codes in tax.aliases.items():
        if normalize(alias) == key or normalize(alias.removesuffix("业")) == key.removesuffix("业"):
            return list(codes)
    return []


def division(code: str) -> str:
    """The two-digit division of a code: C261 → C26."""
    return code[:3] if len(code) >= 3 and code[0].isalpha() else code


def ancestors(code: str) -> list[str]:
    """The code and its parents: C261 → [C261, C26]."""
    if code == GENERIC:
        return [GENERIC]
    parent = division(code)
    return [code] if parent == code else [code, parent]


def industry_fit(offering_codes: list[str] | tuple[str, ...], enterprise_code: str) -> IndustryFit:
    """How closely an offering for `offering_codes` fits an enterprise in `enterprise_code`.

    Same group (or exact code) > same division > 通用 > other.
    """
    best = IndustryFit.NONE
    ent_div = division(enterprise_code)
    for code in offering_codes:
        if code == GENERIC:
            fit = IndustryFit.GENERIC
        elif code == enterprise_code:
            fit = IndustryFit.GROUP
        elif code == ent_div or division(code) == ent_div:
            fit = IndustryFit.DIVISION
        else:
            fit = IndustryFit.NONE
        best = max(best, fit)
    return best


def industry_fits(offering_codes: list[str] | tuple[str, ...], enterprise_code: str) -> bool:
    """Does an offering for these codes fit an enterprise in this industry at all?"""
    return industry_fit(offering_codes, enterprise_code) > IndustryFit.NONE


def level_number(level: str | None) -> int:
    """一级 → 1 … 四级 → 4; 未评测 or empty → 0."""
    if not level:
        return 0
    return taxonomy().levels.get(level, 0)


PILOT_LEVEL = 2  # 二级: the level the pilot asks every enterprise to reach (试点达标线)
JIANGXI_SCALE = re.compile(r"^L([1-9])$")  # 江西's L1–L9, read as half-steps of 一级…四级 (L4 ≈ 二级)


def level_names() -> tuple[str, ...]:
    """The levels in order: 未评测, 一级 … 四级."""
    levels = taxonomy().levels
    return tuple(sorted(levels, key=levels.__getitem__))


def target_levels() -> tuple[str, ...]:
    """The levels an offering may promise to lift to: the pilot level and above (二级 … 四级)."""
    return tuple(name for name in level_names() if level_number(name) >= PILOT_LEVEL)


def level_on_scale(label: str | None) -> float | None:
    """A level on one line: 未评测 0, 一级…四级 1–4, 江西 L1–L9 as half-steps (L2 ≈ 一级, L4 ≈ 二级);
    None for a label on neither scale."""
    text = (label or "").strip()
    found = JIANGXI_SCALE.match(text.upper())
    if found:
        return int(found.group(1)) / 2
    value = taxonomy().levels.get(text)
    return float(value) if value is not None else None


def reaches_pilot_level(label: str | None) -> bool:
    """True when a level is 二级 or above (on the L scale: L4 and above); 未评测, empty or
    unknown labels do not."""
    value = level_on_scale(label)
    return value is not None and value >= PILOT_LEVEL
