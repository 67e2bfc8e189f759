"""Filters of the public browse pages, as SQL over published listings.

Multi-valued fields are JSON lists, so "has scenario X" is a text match on the stored
JSON (both escaped and plain forms), which reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from fastapi import Request
from sqlalchemy import String, case, cast, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col
from sqlmodel.sql.expression import SelectOfScalar

from catalog.providers.models import Provider
from catalog.regions import city_with_province, located_or_served
from catalog.solutions.models import Solution
from catalog.taxonomy import division, taxonomy

SOLUTION_SORTS = {
    "": "推荐（优秀优先）",
    "price": "价格从低到高",
    "-price": "价格从高到低",
    "days": "实施周期从短到长",
    "new": "最新发布",
}


@dataclass
class SolutionFilters:
    """What a visitor chose on the solution browse page (all optional)."""

    q: str = ""
    scenario: str = ""
    industry: str = ""
    region: str = ""
    deployment: str = ""
    price_min: str = ""
    price_max: str = ""
    sort: str = ""

    @classmethod
    def from_request(cls, request: Request) -> SolutionFilters:
        values = {f.name: request.query_params.get(f.name, "").strip()[:60] for f in fields(cls)}
        return cls(**values)

    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "sort")


@dataclass
class ProviderFilters:
    """What a visitor chose on the provider browse page (all optional)."""

    q: str = ""
    scenario: str = ""
    industry: str = ""
    region: str = ""
    kind: str = ""

    @classmethod
    def from_request(cls, request: Request) -> ProviderFilters:
        values = {f.name: request.query_params.get(f.name, "").strip()[:60] for f in fields(cls)}
        return cls(**values)

    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def json_list_has(column: Any, value: str) -> ColumnElement[bool]:
    """SQL: the JSON list in `column` holds `value`."""
    text = cast(column, String)
    return or_(
        text.contains(json.dumps(value), autoescape=True),
        text.contains(json.dumps(value, ensure_ascii=False), autoescape=True),
    )


def industry_codes(code: str) -> list[str]:
    """The codes a browse filter for `code` matches: itself, its division and its groups."""
    if code == "通用" or code not in taxonomy().industries:
        return [code]
    div = division(code)
    if code != div:  # a group: itself and its division
        return [code, div]
    return sorted(c for c in taxonomy().industries if c != "通用" and division(c) == div)


def serves(provider: Provider, region: str) -> bool:
    """Is `provider` located in, or does it serve, `region`? (catalog.regions, the one rule)"""
    return located_or_served(provider.region, provider.service_regions, region)


def region_choices(session: Session, providers: SelectOfScalar[Provider]) -> list[str]:
    """City-level regions of the providers in `providers`, for a select box."""
    statement: Any = providers.with_only_columns(col(Provider.region)).distinct()
    return sorted({city_with_province(str(r)) for r in session.exec(statement).all() if r})


def provider_ids_serving(session: Session, providers: SelectOfScalar[Provider], region: str) -> list[int]:
    """Ids of the providers in `providers` that serve `region`."""
    return [p.id for p in session.exec(providers).all() if p.id is not None and serves(p, region)]


def filter_solutions(
    session: Session,
    statement: SelectOfScalar[Solution],
    providers: SelectOfScalar[Provider],
    chosen: SolutionFilters,
) -> SelectOfScalar[Solution]:
    """Narrow `statement` (visible solutions) by the visitor's choices, and sort it."""
    if chosen.q:
        statement = statement.where(col(Solution.name).contains(chosen.q, autoescape=True))
    if chosen.scenario:
        statement = statement.where(json_list_has(Solution.scenarios, chosen.scenario))
    if chosen.industry:
        codes = industry_codes(chosen.industry)
        statement = statement.where(or_(*(json_list_has(Solution.industries, c) for c in codes)))
    if chosen.deployment:
        statement = statement.where(Solution.deployment == chosen.deployment)
    statement = _price_range(statement, chosen)
    if chosen.region:
        ids = provider_ids_serving(session, providers, chosen.region)
        statement = statement.where(col(Solution.provider_id).in_(ids or [-1]))
    return _sort_solutions(statement, chosen.sort)


def _price_range(statement: SelectOfScalar[Solution], chosen: SolutionFilters) -> SelectOfScalar[Solution]:
    for raw, bound in ((chosen.price_min, "min"), (chosen.price_max, "max")):
        try:
            value = float(raw) if raw else None
        except ValueError:
            value = None
        if value is None:
            continue
        column = col(Solution.price_wan)
        statement = statement.where(column >= value if bound == "min" else column <= value)
    return statement


def _sort_solutions(statement: SelectOfScalar[Solution], sort: str) -> SelectOfScalar[Solution]:
    orders = {
        "price": (col(Solution.price_wan), col(Solution.id)),
        "-price": (col(Solution.price_wan).desc(), col(Solution.id)),
        "days": (col(Solution.deploy_days), col(Solution.id)),
        "new": (col(Solution.status_changed_at).desc(), col(Solution.id).desc()),
    }
    default = (col(Solution.excellent).desc(), col(Solution.id))
    return statement.order_by(*orders.get(sort, default))


def filter_providers(
    session: Session, statement: SelectOfScalar[Provider], chosen: ProviderFilters,
    ranked: list[int] | None = None,
) -> SelectOfScalar[Provider]:
    """Narrow `statement` (visible providers) by the visitor's choices. With text, `ranked`
    (providers by their best listing for it, from the search) decides which come and in
    what order, after those whose name holds the text; without it (search unavailable)
    the name alone decides."""
    named = col(Provider.name).contains(chosen.q, autoescape=True) if chosen.q else None
    if named is not None:
        statement = statement.where(or_(named, col(Provider.id).in_(ranked)) if ranked else named)
    if chosen.scenario:
        statement = statement.where(json_list_has(Provider.scenarios, chosen.scenario))
    if chosen.industry:
        codes = industry_codes(chosen.industry)
        statement = statement.where(or_(*(json_list_has(Provider.industries, c) for c in codes)))
    if chosen.kind:
        statement = statement.where(Provider.kind == chosen.kind)
    if chosen.region:
        ids = provider_ids_serving(session, statement, chosen.region)
        statement = statement.where(col(Provider.id).in_(ids or [-1]))
    if named is None:
        return statement.order_by(col(Provider.id))
    order: list[Any] = [case((named, 0), else_=1)]
    if ranked:
        order.append(case({pid: i for i, pid in enumerate(ranked)}, value=col(Provider.id), else_=len(ranked)))
    return statement.order_by(*order, col(Provider.id))

