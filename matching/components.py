"""The score components other than text: each returns (value in [0, 1], reason in Chinese)."""

from __future__ import annotations

from catalog.regions import covers, serves
from catalog.subsidies.amounts import Subsidy, policy_level, subsidy
from catalog.subsidies.policies import Policy
from catalog.taxonomy import IndustryFit, industry_fit, level_number, taxonomy
from matching.records import EnterpriseRecord, NeedRecord, ProviderRecord, SolutionRecord
from matching.text import TextMatch

Part = tuple[float, str]


def _wan(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "万元"


def text_component(match: TextMatch) -> Part:
    if not match.matched:
        return match.value, "需求描述与产品名称、关键词、介绍没有共同的关键词"
    return match.value, f"命中：{'、'.join(match.matched)}"


def scenario_fit(scenarios: tuple[tuple[str, float], ...], inferred: bool,
                 solution: SolutionRecord) -> Part:
    """Shares of the need's scenarios the offering serves, relative to the main one."""
    if not scenarios:
        return 0.0, "需求未写明场景，也未能从描述中判断"
    top = scenarios[0][1]
    served = [s for s, _ in scenarios if s in solution.scenarios]
    value = min(1.0, sum(share / top for s, share in scenarios if s in solution.scenarios))
    source = "从描述推断的场景" if inferred else "需求场景"
    if not served:
        return 0.0, f"{source}「{scenarios[0][0]}」不在本产品的应用场景内"
    return value, f"{source}「{'、'.join(served)}」在本产品的应用场景内"


def industry_component(enterprise: EnterpriseRecord, solution: SolutionRecord,
                       values: tuple[float, float, float, float]) -> Part:
    if not enterprise.industry:
        return values[IndustryFit.GENERIC], "未提供企业行业"
    fit = industry_fit(solution.industries, enterprise.industry)
    name = taxonomy().industries.get(enterprise.industry, enterprise.industry)
    reason = {
        IndustryFit.GROUP: f"专为{name}行业设计",
        IndustryFit.DIVISION: f"面向{name}所在的行业大类",
        IndustryFit.GENERIC: "通用产品，不限行业",
        IndustryFit.NONE: f"面向其他行业，不是为{name}设计的",
    }[fit]
    return values[fit], reason


SIZE_MISMATCH = 0.3


def size_value(enterprise_size: str | None, size_fit: str) -> float:
    """1 unless the offering is for the other size class."""
    if not enterprise_size or size_fit in ("", "均可") or size_fit == enterprise_size:
        return 1.0
    return SIZE_MISMATCH


def size_fit(enterprise: EnterpriseRecord, solution: SolutionRecord) -> Part:
    value = size_value(enterprise.size, solution.size_fit)
    if solution.size_fit in ("", "均可"):
        return value, "适用各种规模"
    if not enterprise.size:
        return value, "未提供企业规模"
    if value == 1.0:
        return value, f"适用{enterprise.size}企业"
    return value, f"产品面向{solution.size_fit}企业，本企业为{enterprise.size}"


def net_cost(enterprise: EnterpriseRecord, solution: SolutionRecord, policy: Policy) -> Subsidy:
    """The expected subsidy on this offering alone, at the level it helps the enterprise reach."""
    level = policy_level(policy, enterprise.level, solution.target_level)
    return subsidy(policy=policy, spend_wan=solution.price_wan, level=level)


def budget_fit(need: NeedRecord, enterprise: EnterpriseRecord, money: Subsidy) -> Part:
    """Net cost after the expected subsidy against the need's (or the enterprise's) budget.

    Soft: an offering over budget scores budget / net cost, it is never dropped.
    """
    budget = need_budget(need, enterprise)
    cost = f"报价{_wan(money.spend_wan)}，预计补贴{_wan(money.amount_wan)}，净支出{_wan(money.net_wan)}"
    value = budget_value(budget, money.net_wan)
    if budget is None:
        return value, f"{cost}；未提供预算"
    if value == 1.0:
        return value, f"{cost}，在预算{_wan(budget)}内"
    return value, f"{cost}，超出预算{_wan(budget)}"


def need_budget(need: NeedRecord, enterprise: EnterpriseRecord) -> float | None:
    return need.budget_wan if need.budget_wan is not None else enterprise.budget_wan


def budget_value(budget: float | None, net_wan: float) -> float:
    """1 within budget, else budget / net cost."""
    if budget is None or net_wan <= budget + 1e-9:
        return 1.0
    return max(0.0, budget) / net_wan


def level_fit(enterprise: EnterpriseRecord, solution: SolutionRecord) -> Part:
    """Best when the offering lifts the enterprise by one level."""
    current, target = level_number(enterprise.level), level_number(solution.target_level)
    value = level_value(current, target)
    if not target or not current:
        return value, "未提供数字化水平或产品目标等级"
    step = target - current
    if step == 1:
        return value, f"帮助企业从{enterprise.level}提升到{solution.target_level}"
    if step == 0:
        return value, f"产品目标等级与企业当前水平（{enterprise.level}）相同，巩固提升"
    if step > 1:
        return value, f"产品面向{solution.target_level}，比企业当前水平（{enterprise.level}）高出较多"
    return value, f"产品目标等级{solution.target_level}低于企业当前水平（{enterprise.level}）"


def level_value(current: int, target: int) -> float:
    """1 for one level up, less for the same level, a leap, or a step down; 0.7 if unknown."""
    if not target or not current:
        return 0.7
    step = target - current
    return 1.0 if step == 1 else 0.75 if step == 0 else 0.5 if step > 1 else 0.4


def serves_enterprise(provider: ProviderRecord, enterprise: EnterpriseRecord) -> bool:
    """May the provider serve the enterprise at all (its service regions hold the enterprise's
    location)? For the enterprise an offering of a provider that may not does not exist."""
    return serves(provider.service_regions, enterprise.region)


def region_fit(enterprise: EnterpriseRecord, provider: ProviderRecord) -> Part:
    if not provider.service_regions:
        return 1.0, "服务商面向全国服务"
    if not enterprise.region:
        return 1.0, "未提供企业所在地区"
    if serves_enterprise(provider, enterprise):
        place = next(p for p in provider.service_regions if covers(p, enterprise.region))
        return 1.0, f"服务商覆盖{place}"
    return 0.0, f"外地服务商：服务区域（{'、'.join(provider.service_regions)}）不含企业所在地"


def standing(provider: ProviderRecord, solution: SolutionRecord) -> Part:
    """Ratings and acceptance record from engagements, plus the 优秀 flag."""
    rated = provider.rating_count > 0
    rating = provider.rating_sum / provider.rating_count / 5.0 if rated else 0.6
    closed = provider.accepted + provider.terminated
    acceptance = provider.accepted / closed if closed else 0.6
    value = 0.45 * rating + 0.35 * acceptance + (0.2 if solution.excellent else 0.0)
    parts = []
    if rated:
        parts.append(f"平均评分{provider.rating_sum / provider.rating_count:.1f}（{provider.rating_count}条）")
    if closed:
        parts.append(f"已验收{provider.accepted}项、终止{provider.terminated}项")
    if solution.excellent:
        parts.append("优秀产品")
    return min(1.0, value), "；".join(parts) if parts else "暂无对接评价记录"
