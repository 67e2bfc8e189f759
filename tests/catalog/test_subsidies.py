"""Subsidies of many offerings at once are the subsidies of each alone, under every city's policy."""

from __future__ import annotations

import random

import numpy as np

from catalog.subsidies.amounts import subsidy_amount, subsidy_amounts
from catalog.subsidies.policies import load_policies


def test_amounts_at_once_equal_each_alone() -> None:
    rng = random.Random(11)
    spends = np.array([0.0, -1.0, 0.3, 1.0, 4.99, 5.0, 12.5, 80.0, 400.0] + [rng.uniform(0, 200) for _ in range(200)])
    levels = np.array([rng.randint(0, 5) for _ in spends])
    for policy in load_policies():
        together = subsidy_amounts(policy, spends, levels)
        alone = [subsidy_amount(policy, float(s), int(lv)) for s, lv in zip(spends, levels, strict=True)]
        assert together.tolist() == alone, policy.key
        assert any(alone), policy.key  # the cases reach at least one paying tier
