"""Plain records the matcher works on: no database session, no HTTP.

`market` converts its SQLModel rows into these; evaluation and benchmarks read
the exchange JSON straight into them (see `load_exchange`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog import limits
from catalog.subsidies.policies import Policy, PolicyTier

__all__ = [
    "Catalogue", "EnterpriseRecord", "NeedRecord", "Policy", "PolicyTier",
    "ProviderRecord", "SolutionRecord",
]

PRIORITY_WEIGHT: dict[str, float] = {"高": 3.0, "中": 2.0, "低": 1.0}


@dataclass(frozen=True)
class SolutionRecord:
    """One offering of the pool (小快轻准产品和解决方案)."""

    id: str
    name: str
    provider_id: str
    industries: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    description: str = ""
    keywords: tuple[str, ...] = ()
    price_wan: float = 0.0
    billing: str = "一次性"
    deployment: str = "SaaS"
    deploy_days: int = 30
    size_fit: str = "均可"
    target_level: str | None = None
    excellent: bool = False

    def __post_init__(self) -> None:
        # Text analysis costs grow with the text: read at most what the schemas let anyone store,
        # so a listing stored before the bounds existed costs no more than any other.
        object.__setattr__(self, "name", self.name[:limits.NAME_CHARS])
        object.__setattr__(self, "description", self.description[:limits.DESCRIPTION_CHARS])
        object.__setattr__(self, "keywords", tuple(k[:limits.LIST_ITEM_CHARS] for k in self.keywords[:limits.LIST_ITEMS]))


@dataclass(frozen=True)
class ProviderRecord:
    """A provider with what the matcher needs: where it serves, how many it can take, its record."""

    id: str
    name: str
    region: str = ""
    service_regions: tuple[str, ...] = ()  # empty: nationwide
    capacity: int = 20
    accepted: int = 0  # engagements accepted (已验收)
    terminated: int = 0  # engagements terminated (终止)
    rating_sum: float = 0.0  # sum of 1–5 ratings
    rating_count: int = 0


@dataclass(frozen=True)
class EnterpriseRecord:
    """A pilot enterprise as matching context."""

    id: str
    name: str = ""
    region: str = ""
    industry: str = ""
    size: str | None = None  # 规上 / 规下 / None unknown
    level: str | None = None  # 一级 … 四级, 未评测, or a city's own scale (L5 …)
    budget_wan: float | None = None


@dataclass(frozen=True)
class NeedRecord:
    """One line of an enterprise's need list."""

    id: str
    enterprise_id: str
    text: str
    scenario: str | None = None
    priority: str = "中"
    budget_wan: float | None = None

    def __post_init__(self) -> None:
        # The matcher's cost is linear in the text it reads: at most a need text's bound.
        object.__setattr__(self, "text", self.text[:limits.NEED_TEXT_CHARS])

    @property
    def priority_weight(self) -> float:
        return PRIORITY_WEIGHT.get(self.priority, 2.0)


@dataclass
class Catalogue:
    """Solutions and providers keyed by id, as loaded from an exchange file."""

    solutions: list[SolutionRecord]
    providers: dict[str, ProviderRecord]


def _tuple(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        from catalog.language.text import split_multi

        return tuple(split_multi(value))
    return tuple(str(v) for v in value)


def solution_from_exchange(row: dict[str, Any]) -> SolutionRecord:
    """A SolutionRecord from one `solutions` object of the exchange JSON."""
    return SolutionRecord(
        id=str(row["code"]),
        name=str(row["name"]),
        provider_id=str(row["provider_uscc"]),
        industries=_tuple(row.get("industries")),
        scenarios=_tuple(row.get("scenarios")),
        description=str(row.get("description") or ""),
        keywords=_tuple(row.get("keywords")),
        price_wan=float(row.get("price_wan") or 0.0),
        billing=str(row.get("billing") or "一次性"),
        deployment=str(row.get("deployment") or "SaaS"),
        deploy_days=int(row.get("deploy_days") or 30),
        size_fit=str(row.get("size_fit") or "均可"),
        target_level=row.get("target_level") or None,
        excellent=bool(row.get("excellent", False)),
    )


def provider_from_exchange(row: dict[str, Any]) -> ProviderRecord:
    """A ProviderRecord from one `providers` object of the exchange JSON."""
    return ProviderRecord(
        id=str(row["uscc"]),
        name=str(row["name"]),
        region=str(row.get("region") or ""),
        service_regions=_tuple(row.get("service_regions")),
        capacity=int(row.get("capacity") or 20),
    )


def load_catalogue(path: str | Path) -> Catalogue:
    """Read providers and solutions from an exchange JSON file."""
    raw = json.loads(Path(path).read_text("utf-8"))
    providers = {p.id: p for p in map(provider_from_exchange, raw.get("providers", []))}
    solutions = [solution_from_exchange(s) for s in raw.get("solutions", [])]
    return Catalogue(solutions=solutions, providers=providers)


def load_enterprises(path: str | Path) -> tuple[list[EnterpriseRecord], list[NeedRecord]]:
    """Read enterprises and needs from an exchange JSON file (needs keyed `uscc/code`)."""
    raw = json.loads(Path(path).read_text("utf-8"))
    enterprises = [
        EnterpriseRecord(
            id=str(e["uscc"]),
            name=str(e.get("name") or ""),
            region=str(e.get("region") or ""),
            industry=str(e.get("industry") or ""),
            size=e.get("size") or None,
            level=e.get("level") or None,
            budget_wan=e.get("budget_wan"),
        )
        for e in raw.get("enterprises", [])
    ]
    needs = [
        NeedRecord(
            id=f"{n['enterprise_uscc']}/{n['code']}",
            enterprise_id=str(n["enterprise_uscc"]),
            text=str(n.get("text") or ""),
            scenario=n.get("scenario") or None,
            priority=str(n.get("priority") or "中"),
            budget_wan=n.get("budget_wan"),
        )
        for n in raw.get("needs", [])
    ]
    return enterprises, needs
