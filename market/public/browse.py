"""What a visitor chose on the public browse pages, read from the query string, and the
choices the pages offer. The lists themselves are catalog/solutions/queries.py and
catalog/providers/queries.py, the same the API runs."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Self

from fastapi import Request
from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

from catalog.providers.models import Provider
from catalog.providers.queries import ProviderFilter
from catalog.regions import city_with_province
from catalog.solutions.queries import NAMED_SORTS, SolutionFilter, is_sort

SOLUTION_SORTS = NAMED_SORTS  # the sorts the page offers


@dataclass
class _Chosen:
    """What a visitor chose in a browse page's filter form, read from the query string."""

    @classmethod
    def from_request(cls, request: Request) -> Self:
        return cls(**{f.name: request.query_params.get(f.name, "").strip()[:60] for f in fields(cls)})

    def active(self) -> bool:
        """Whether any filter (not the order) was chosen."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "sort")


@dataclass
class SolutionFilters(_Chosen):
    """What a visitor chose on the solution browse page (all optional)."""

    q: str = ""
    scenario: str = ""
    industry: str = ""
    region: str = ""
    deployment: str = ""
    price_min: str = ""
    price_max: str = ""
    sort: str = ""

    def to_filter(self) -> SolutionFilter:
        """The filter of the list (a price that is not a number, or an unknown sort, is left out)."""
        return SolutionFilter(q=self.q, region=self.region, scenario=self.scenario, industry=self.industry,
                              deployment=self.deployment, price_min=_number(self.price_min),
                              price_max=_number(self.price_max), sort=self.sort if is_sort(self.sort) else "")


def _number(raw: str) -> float | None:
    try:
        return float(raw) if raw else None
    except ValueError:
        return None


@dataclass
class ProviderFilters(_Chosen):
    """What a visitor chose on the provider browse page (all optional)."""

    q: str = ""
    scenario: str = ""
    industry: str = ""
    region: str = ""
    kind: str = ""

    def to_filter(self) -> ProviderFilter:
        return ProviderFilter(q=self.q, region=self.region, scenario=self.scenario, industry=self.industry,
                              kind=self.kind)


def region_choices(session: Session, providers: SelectOfScalar[Provider]) -> list[str]:
    """City-level regions of the providers in `providers`, for a select box."""
    statement: Any = providers.with_only_columns(col(Provider.region)).distinct()
    return sorted({city_with_province(str(r)) for r in session.exec(statement).all() if r})

