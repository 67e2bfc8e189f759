"""SQL pieces every list filter is built from: JSON-list membership, industries, names, paging.

Multi-valued fields are JSON lists, so "has scenario X" is a text match on the stored JSON
(both escaped and plain forms), which reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, String, cast, func, or_
from sqlmodel import Session, col, select

from catalog.errors import ValidationFailed
from catalog.language.text import clean_value
from catalog.regions import located_or_served
from catalog.taxonomy import division, resolve_industry

Row = TypeVar("Row")


@dataclass(frozen=True)
class Rows(Generic[Row]):
    """One page of a list: its rows, how many match in all, which page of how many rows."""

    rows: list[Row]
    total: int
    page: int
    per_page: int


def json_list_contains(column: Any, value: str, *, prefix: bool = False) -> ColumnElement[bool]:
    """A JSON list column holds `value` (or a value starting with it), on SQLite and PostgreSQL."""
    text = cast(column, String)
    forms = {json.dumps(value), json.dumps(value, ensure_ascii=False)}
    if prefix:
        forms = {f[:-1] for f in forms}  # drop the closing quote: "C26 matches "C261"
    return or_(*[text.contains(f, autoescape=True) for f in sorted(forms)])


def industry_filter(column: Any, industry: str) -> ColumnElement[bool]:
    """Listings for an industry given as code, name or alias: a code matches itself and the
    codes below it (C26 → C261 …), and a group also matches listings for its whole division
    (C261 → C26), which cover it."""
    codes = resolve_industry(industry) or [industry.strip().upper()]
    terms = [json_list_contains(column, code, prefix=True) for code in codes]
    terms += [json_list_contains(column, division(code)) for code in codes if division(code) != code]
    return or_(*terms)


def name_filter(column: Any, q: str) -> ColumnElement[bool]:
    """The name contains `q` (cleaned: 繁→简, full-width → half-width)."""
    return col(column).contains(clean_value(q), autoescape=True)


def ids_in_region(rows: Iterable[tuple[Any, Any, Any]], region: str) -> list[int]:
    """Of (id, located, service_regions) rows, the ids located in `region` or serving it
    (catalog.regions.located_or_served, the one rule)."""
    return [int(i) for i, located, served in rows if i is not None
            and located_or_served(located, served or [], region)]


def page_of(session: Session, statement: Any, *, page: int, per_page: int,
            clamp: bool = False) -> tuple[list[Any], int, int]:
    """One page of a statement's rows, the total count and the page number served. With
    `clamp`, a page past the end serves the last page (a browse page); without, it is empty
    (an API client pages until it gets nothing)."""
    total = int(session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one())
    if clamp:
        page = min(max(1, page), max(1, math.ceil(total / per_page)))
    rows = session.exec(statement.offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), total, page


def by_listing_fields(statement: Any, model: Any, *, status: str | None, scenario: str, industry: str) -> Any:
    """`statement` narrowed by what providers and solutions both carry: status, a scenario, an industry."""
    if status:
        statement = statement.where(col(model.status) == status)
    if scenario.strip():
        statement = statement.where(json_list_contains(model.scenarios, scenario.strip()))
    if industry.strip():
        statement = statement.where(industry_filter(model.industries, industry))
    return statement


def by_field(statement: Any, model: Any, sort: str, allowed: Sequence[str], *, also: Sequence[str] = ()) -> Any:
    """`statement` ordered by `sort`, a field of `allowed` ('-' before it for descending), the
    id breaking ties; a field not allowed is refused in Chinese, naming the choices (`also`:
    further sorts the caller knows by name)."""
    key = sort.strip()
    name = key.removeprefix("-")
    if name not in allowed:
        raise ValidationFailed("bad_sort", f"不支持按“{name}”排序，可选：{'、'.join([*allowed, *also])}")
    column = col(getattr(model, name))
    return statement.order_by(column.desc() if key.startswith("-") else column.asc(), col(model.id).asc())
