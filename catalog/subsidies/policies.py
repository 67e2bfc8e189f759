"""Subsidy policies per city, kept as data (data/policies.json), loaded into plain records.

The arithmetic on them (what a tier pays) lives in catalog/subsidies/amounts.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from catalog.language.text import normalize


@dataclass(frozen=True)
class PolicyTier:
    """One rung: from `min_level` up, `rate` of the spend capped at `cap_wan`,
    or a `fixed_wan` award (never above the spend)."""

    min_level: int
    label_zh: str
    rate: float = 0.0
    cap_wan: float | None = None
    fixed_wan: float | None = None


@dataclass(frozen=True)
class Policy:
    """A city's subsidy rules."""

    key: str
    name_zh: str
    regions: tuple[str, ...] = ()
    tiers: tuple[PolicyTier, ...] = ()
    level_scale: dict[str, int] = field(default_factory=dict)
    note_zh: str = ""

    def level_of(self, label: str | None) -> int:
        """The rung number of a level label on this policy's scale (0 when unknown)."""
        if not label:
            return 0
        return self.level_scale.get(label.strip().upper(), self.level_scale.get(label.strip(), 0))

    def applies_to(self, region: str | None) -> bool:
        norm = normalize(region)
        return bool(norm) and any(normalize(r) in norm for r in self.regions)


def _tier(raw: dict[str, object]) -> PolicyTier:
    def num(key: str) -> float | None:
        value = raw.get(key)
        return None if value is None else float(value)  # type: ignore[arg-type]

    return PolicyTier(
        min_level=int(raw["min_level"]),  # type: ignore[call-overload]
        label_zh=str(raw["label"]),
        rate=num("rate") or 0.0,
        cap_wan=num("cap_wan"),
        fixed_wan=num("fixed_wan"),
    )


def parse_policies(raw: dict[str, object]) -> list[Policy]:
    """Policies from the JSON form (see data/policies.json)."""
    items = raw["policies"]
    assert isinstance(items, list)
    return [
        Policy(
            key=str(p["key"]),
            name_zh=str(p["name"]),
            regions=tuple(p.get("regions", [])),
            tiers=tuple(sorted((_tier(t) for t in p["tiers"]), key=lambda t: t.min_level)),
            level_scale={str(k).upper() if str(k).isascii() else str(k): int(v)
                         for k, v in p.get("level_scale", {}).items()},
            note_zh=str(p.get("note", "")),
        )
        for p in items
    ]


@cache
def load_policies() -> tuple[Policy, ...]:
    """The policies shipped with the package; the one without regions is the default."""
    path = Path(__file__).resolve().parents[1] / "data" / "policies.json"
    return tuple(parse_policies(json.loads(path.read_text("utf-8"))))


def policy_for_region(region: str | None, policies: tuple[Policy, ...] | None = None) -> Policy:
    """The policy of the city an enterprise is in, or the default."""
    pool = policies if policies is not None else load_policies()
    for policy in pool:
        if policy.regions and policy.applies_to(region):
            return policy
    return next(p for p in pool if not p.regions)
