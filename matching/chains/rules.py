"""The domain rules the chain proposal applies: which offerings fit a member, how well one
connects it to its leader, the level it can expect after, and its city's subsidy."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from catalog.subsidies.amounts import policy_level, subsidy
from catalog.subsidies.policies import policy_for_region
from catalog.taxonomy import industry_fits, level_names, level_number
from matching.records import EnterpriseRecord, SolutionRecord

CONNECT_SCENARIO = "供应链协同"


def policy_subsidy(member: EnterpriseRecord, spend_wan: float, level_after: str) -> tuple[float, str]:
    """The subsidy of the member's city (catalog/policies + catalog/subsidies) at its level after."""
    policy = policy_for_region(member.region)
    result = subsidy(policy=policy, spend_wan=spend_wan, level=policy_level(policy, level_after))
    return result.amount_wan, result.reason_zh


def fits(sol: SolutionRecord, ent: EnterpriseRecord) -> bool:
    """Does the offering suit the member's size and industry at all?"""
    return fits_cached(sol.size_fit, sol.industries, ent.size, ent.industry)


@lru_cache(maxsize=65536)
def fits_cached(size_fit: str, industries: tuple[str, ...], size: str | None, industry: str) -> bool:
    size_ok = size_fit in ("均可", "") or not size or size_fit == size
    industry_ok = not industries or not industry or industry_fits(industries, industry)
    return size_ok and industry_ok


def connects(sol: SolutionRecord, relation: str) -> bool:
    """Does a 供应链协同 offering connect a member to its leader?

    Yes when collaboration is the offering's main scenario, or when it faces the
    member's side of the relation (采购供应 for suppliers and partners, 营销销售 for
    customers); not when collaboration is only a side feature (a TMS, say).
    """
    if CONNECT_SCENARIO not in sol.scenarios:
        return False
    facing = "营销销售" if relation == "客户" else "采购供应"
    return sol.scenarios[0] == CONNECT_SCENARIO or facing in sol.scenarios


def expected_level(
    before: str | None, offerings: Sequence[SolutionRecord], covered_share: float | None,
) -> str:
    """The level a member can expect after its offerings.

    At most one rung up per round: towards the offerings' highest target level (never
    down); when no offering names a target, one rung up once half its (visible) needs
    are covered. 未评测 counts as 一级 for the step. With no visible needs
    (`covered_share` None) the level is not forecast and stays as it is.
    """
    now = level_number(before)
    base = max(now, 1)
    if covered_share is None:  # its needs are not visible: nothing to judge the step on
        return before or "未评测"
    targets = [level_number(s.target_level) for s in offerings if s.target_level]
    if targets:
        after = max(now, min(max(targets), base + 1))
    elif covered_share >= 0.5 and offerings:
        after = min(4, base + 1)
    else:
        after = now
    return level_names()[after] if after else (before or "未评测")
