"""Subsidy arithmetic: what a city's policy pays on a spend at a level (pure, shared by
the acceptance rule in catalog and the bundles and proposals in matching)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalog.subsidies.policies import Policy, PolicyTier
from catalog.taxonomy import level_number


@dataclass(frozen=True)
class Subsidy:
    """The expected subsidy on a spend, and the words that explain it."""

    policy_key: str
    policy_name_zh: str
    tier_zh: str | None
    spend_wan: float
    amount_wan: float
    reason_zh: str

    @property
    def net_wan(self) -> float:
        return round(self.spend_wan - self.amount_wan, 4)


def policy_level(policy: Policy, *labels: str | None) -> int:
    """The highest rung any of `labels` reaches on the policy's scale (一级…四级 as fallback)."""
    best = 0
    for label in labels:
        if not label:
            continue
        on_scale = policy.level_of(label)
        best = max(best, on_scale if on_scale else level_number(label))
    return best


def tier_for(policy: Policy, level: int) -> PolicyTier | None:
    """The highest tier whose starting level `level` reaches."""
    reached = [t for t in policy.tiers if level >= t.min_level]
    return reached[-1] if reached else None


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def subsidy_amount(policy: Policy, spend_wan: float, level: int) -> float:
    """The amount alone (万元), as `subsidy` computes it."""
    tier = tier_for(policy, level)
    spend = max(0.0, float(spend_wan))
    if tier is None:
        return 0.0
    if tier.fixed_wan is not None:
        return round(min(tier.fixed_wan, spend), 4)
    amount = spend * tier.rate
    return round(min(amount, tier.cap_wan) if tier.cap_wan is not None else amount, 4)


def subsidy_amounts(policy: Policy, spends_wan: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """`subsidy_amount` of many spends at once, each at its own level."""
    spends = np.maximum(np.asarray(spends_wan, dtype=np.float64), 0.0)
    levels = np.asarray(levels)
    out = np.zeros(spends.shape)
    for level in np.unique(levels).tolist():
        tier = tier_for(policy, int(level))
        if tier is None:
            continue
        at = levels == level
        if tier.fixed_wan is not None:
            out[at] = np.minimum(tier.fixed_wan, spends[at])
        else:
            amount = spends[at] * tier.rate
            out[at] = np.minimum(amount, tier.cap_wan) if tier.cap_wan is not None else amount
    return np.round(out, 4)


def subsidy(*, policy: Policy, spend_wan: float, level: int) -> Subsidy:
    """The subsidy `policy` pays on `spend_wan` (万元) for an enterprise reaching rung `level`.

    A rate tier pays `rate × spend`, at most `cap_wan`; a fixed tier pays its amount,
    never more than the spend. Below the first tier nothing is paid.

    Returns:
        Subsidy with amount, tier name and a Chinese reason naming the policy.
    """
    spend = max(0.0, float(spend_wan))
    tier = tier_for(policy, level)
    if tier is None:
        return Subsidy(policy.key, policy.name_zh, None, spend, 0.0,
                       f"按{policy.name_zh}，未达到补贴起点等级，不计补贴")
    amount = subsidy_amount(policy, spend, level)
    if tier.fixed_wan is not None:
        rule = f"{tier.label_zh}定额{_fmt(tier.fixed_wan)}万元，不超过实际投入"
    else:
        cap = f"，最高{_fmt(tier.cap_wan)}万元" if tier.cap_wan is not None else ""
        rule = f"{tier.label_zh}按投入的{round(tier.rate * 100)}%{cap}"
    reason = f"按{policy.name_zh}（{rule}），预计补贴{_fmt(amount)}万元"
    return Subsidy(policy.key, policy.name_zh, tier.label_zh, spend, amount, reason)
