"""The matcher's read-only view of a catalogue: the text index, per-offering arrays for
the score components (numpy, cached per enterprise context), and needs as the matcher
reads them (terms, scenarios given or inferred, typos corrected)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from catalog.subsidies.amounts import policy_level, subsidy_amounts
from catalog.subsidies.policies import Policy, load_policies, policy_for_region
from catalog.taxonomy import industry_fit, level_number, taxonomy
from matching import components as comp
from matching.config import COMPONENTS, MatchConfig
from matching.records import EnterpriseRecord, NeedRecord, ProviderRecord, SolutionRecord
from matching.text import NeedText, TextIndex


@dataclass(frozen=True)
class NeedView:
    """What the matcher reads from a need once: its text against the catalogue, and its
    scenarios (its own, or those its text speaks of)."""

    text: NeedText
    scenarios: tuple[tuple[str, float], ...]  # (scenario, share), best first
    inferred: bool


class MatchContext:
    """Everything the matcher needs about a catalogue, built once and then read-only.

    Args:
        solutions: the offerings (published ones, for the app).
        providers: providers by id; an offering whose provider is missing gets a neutral one.
        config: weights and knobs.
        policies: subsidy policies (default: catalog/data/policies.json).
    """

    def __init__(self, solutions: Sequence[SolutionRecord], providers: dict[str, ProviderRecord],
                 config: MatchConfig | None = None,
                 policies: tuple[Policy, ...] | None = None) -> None:
        self.config = config or MatchConfig()
        self.solutions = list(solutions)
        self.providers = providers
        self.policies = policies or load_policies()
        self.position = {s.id: i for i, s in enumerate(self.solutions)}
        self.index = TextIndex(self.solutions)
        self._scenario_masks = self._build_scenario_masks()
        self._industry_cache: dict[str, np.ndarray] = {}
        self._cache: dict[tuple[str, ...], np.ndarray] = {}
        self._standing = self._per_solution(
            lambda s: comp.standing(self.provider(s.provider_id), s)[0])
        self._provider_ids = sorted({s.provider_id for s in self.solutions})
        slot = {pid: i for i, pid in enumerate(self._provider_ids)}
        self._provider_slot = np.asarray([slot[s.provider_id] for s in self.solutions],
                                         dtype=np.int64)
        self._price = self._per_solution(lambda s: s.price_wan)
        self._target_labels = {s.target_level for s in self.solutions}
        # Offerings grouped by the few values a per-enterprise array depends on, so filling
        # one costs a call per distinct value, not one per offering.
        self._sizes = _Groups([s.size_fit for s in self.solutions])
        self._targets = _Groups([level_number(s.target_level) for s in self.solutions])
        self._industries = _Groups([s.industries for s in self.solutions])

    def _build_scenario_masks(self) -> dict[str, np.ndarray]:
        masks = {s: np.zeros(len(self.solutions), dtype=np.float32) for s in taxonomy().scenarios}
        for i, solution in enumerate(self.solutions):
            for scenario in solution.scenarios:
                masks.setdefault(scenario, np.zeros(len(self.solutions), dtype=np.float32))[i] = 1.0
        return masks

    def _per_solution(self, value: Callable[[SolutionRecord], float]) -> np.ndarray:
        return np.fromiter((value(s) for s in self.solutions), dtype=np.float64,
                           count=len(self.solutions))

    def _size_values(self, size: str | None) -> np.ndarray:
        key = ("size", size or "")
        if key not in self._cache:
            self._cache[key] = self._sizes.spread(lambda fit: comp.size_value(size, fit))
        return self._cache[key]

    def numeric(self, need: NeedRecord, enterprise: EnterpriseRecord,
                positions: np.ndarray, text: np.ndarray, scenario: np.ndarray | None = None) -> np.ndarray:
        """Totals of `score` for the offerings at `positions` (text relevance given, and the
        need's `scenario_values` if already computed), no words."""
        w = self.config.weights
        view = self.view(need)
        if scenario is None:
            scenario = self.scenario_values(view)
        policy = self.policy(enterprise)
        level = enterprise.level or ""
        net = self._net_costs(policy, level)[positions]
        budget = comp.need_budget(need, enterprise)
        budget_v = np.ones(len(positions)) if budget is None else np.where(
            net <= budget + 1e-9, 1.0, max(0.0, budget) / np.maximum(net, 1e-12))
        parts = {
            "text": np.minimum(text.astype(np.float64), 1.0),
            "scenario": scenario[positions].astype(np.float64),
            "industry": (self.industry_values(enterprise.industry)[positions].astype(np.float64) if enterprise.industry
                         else np.full(len(positions), self.config.industry_values[1])),
            "size": self._size_values(enterprise.size)[positions],
            "budget": budget_v,
            "level": self._levels(level)[positions],
            "region": self._regions(enterprise)[positions],
            "standing": self._standing[positions],
        }
        whole = sum(w.get(n, 0.0) for n in COMPONENTS) or 1.0
        return sum(parts[n] * w.get(n, 0.0) for n in COMPONENTS) / whole  # type: ignore[no-any-return]

    def _net_costs(self, policy: Policy, level: str) -> np.ndarray:
        """Net cost of every offering alone (as comp.net_cost), per policy and level."""
        key = ("net", policy.key, level)
        if key not in self._cache:
            base = policy_level(policy, level)
            rung = {t: max(base, policy_level(policy, t)) for t in self._target_labels}
            levels = np.fromiter((rung[s.target_level] for s in self.solutions), dtype=np.int64,
                                 count=len(self.solutions))
            self._cache[key] = self._price - subsidy_amounts(policy, self._price, levels)
        return self._cache[key]

    def _levels(self, level: str) -> np.ndarray:
        key = ("level", level)
        if key not in self._cache:
            current = level_number(level)
            self._cache[key] = self._targets.spread(lambda target: comp.level_value(current, target))
        return self._cache[key]

    def _regions(self, enterprise: EnterpriseRecord) -> np.ndarray:
        """Region coverage of every offering, computed once per provider and region."""
        key = ("region", enterprise.region)
        if key not in self._cache:
            per_provider = np.asarray([comp.region_fit(enterprise, self.provider(pid))[0]
                                       for pid in self._provider_ids])
            self._cache[key] = per_provider[self._provider_slot]
        return self._cache[key]

    def industry_fit(self, enterprise: EnterpriseRecord) -> np.ndarray:
        """Industry-fit value of every offering for the enterprise (float32; cached per code)."""
        if not enterprise.industry:
            key = ("industry", "")
            if key not in self._cache:
                self._cache[key] = np.full(len(self.solutions), self.config.industry_values[1], dtype=np.float32)
            return self._cache[key]
        return self.industry_values(enterprise.industry)

    def view(self, need: NeedRecord) -> NeedView:
        """The need as the matcher reads it against this catalogue (typos corrected)."""
        text = self.index.read(need.text)
        if need.scenario:
            return NeedView(text, ((need.scenario, 1.0),), inferred=False)
        return NeedView(text, text.scenarios, inferred=True)

    def read_ahead(self, texts: Sequence[str]) -> None:
        """Read need texts now (a need just saved, or one the last context had read), so that
        the first recommendation for them does not wait for the reading."""
        for text in texts:
            self.index.read(text)

    def provider(self, provider_id: str) -> ProviderRecord:
        found = self.providers.get(provider_id)
        return found or ProviderRecord(id=provider_id, name="")

    def policy(self, enterprise: EnterpriseRecord) -> Policy:
        return policy_for_region(enterprise.region, self.policies)

    def industry_values(self, code: str) -> np.ndarray:
        """Industry-fit value of every offering for an enterprise in `code` (cached per code)."""
        if code not in self._industry_cache:
            values = self.config.industry_values
            self._industry_cache[code] = self._industries.spread(
                lambda industries: values[industry_fit(industries, code)]).astype(np.float32)
        return self._industry_cache[code]

    def scenario_values(self, view: NeedView) -> np.ndarray:
        """Scenario-fit value of every offering for a need (as comp.scenario_fit computes it)."""
        out = np.zeros(len(self.solutions), dtype=np.float32)
        if not view.scenarios:
            return out
        top = view.scenarios[0][1]
        for scenario, share in view.scenarios:
            mask = self._scenario_masks.get(scenario)
            if mask is not None:
                out += mask * np.float32(share / top)
        return np.minimum(out, 1.0)


class _Groups:
    """Offerings by the value of one of their fields: an array over all offerings from a
    function of the value, computed once per distinct value."""

    def __init__(self, values: Sequence[Any]) -> None:
        index: dict[Any, int] = {}
        self.codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
        self.values = list(index)

    def spread(self, value: Callable[[Any], float]) -> np.ndarray:
        return np.asarray([value(v) for v in self.values], dtype=np.float64)[self.codes] if self.values else \
            np.zeros(0)
