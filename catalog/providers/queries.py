"""The list of providers: one filter, one query, under the API and the browse page alike; and
a provider's lead provider as a viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from catalog.filters import (
    Rows,
    by_field,
    by_listing_fields,
    ids_in_region,
    name_filter,
    page_of,
)
from catalog.providers import permissions as provider_rules
from catalog.providers.models import Provider
from catalog.users.models import User

SORT_FIELDS = ("id", "name", "region", "status", "capacity", "created_at", "updated_at")


@dataclass(frozen=True)
class ProviderFilter:
    """What a list of providers is narrowed by (every field optional).

    `region` holds a provider located in the region or serving it
    (catalog.regions.located_or_served); `industry` is a code, name or alias (see
    catalog.filters.industry_filter); `sort` is a field of SORT_FIELDS ('-' for descending),
    or "" for the id — or, with text, the providers whose name holds it first.
    """

    q: str = ""
    status: str | None = None
    region: str = ""
    scenario: str = ""
    industry: str = ""
    kind: str = ""
    sort: str = ""


ProviderRows = Rows[Provider]


def list_providers(*, session: Session, within: SelectOfScalar[Provider], chosen: ProviderFilter,
                   ranked: list[int] | None = None, page: int = 1, per_page: int = 20,
                   clamp: bool = False) -> ProviderRows:
    """One page of the providers in `within` (what the viewer may see) that match `chosen`, and
    how many match in all. With text, `ranked` (providers by their best listing for it, from
    the search) adds those providers after the ones whose name holds the text, in its order;
    without it the name alone decides. See `catalog.filters.page_of` for `clamp`."""
    named = name_filter(Provider.name, chosen.q) if chosen.q.strip() else None
    statement = within
    if named is not None:
        statement = statement.where(or_(named, col(Provider.id).in_(ranked)) if ranked else named)
    statement = by_listing_fields(statement, Provider, status=chosen.status, scenario=chosen.scenario,
                                  industry=chosen.industry)
    if chosen.kind.strip():
        statement = statement.where(col(Provider.kind) == chosen.kind.strip())
    if chosen.region.strip():
        rows = session.exec(select(Provider.id, Provider.region, Provider.service_regions)).all()
        statement = statement.where(col(Provider.id).in_(ids_in_region(rows, chosen.region.strip()) or [-1]))
    statement = _ordered(statement, chosen.sort, named, ranked)
    found, total, served = page_of(session, statement, page=page, per_page=per_page, clamp=clamp)
    return ProviderRows(rows=found, total=total, page=served, per_page=per_page)


def _ordered(statement: SelectOfScalar[Provider], sort: str, named: Any, ranked: list[int] | None) -> SelectOfScalar[Provider]:
    key = sort.strip()
    if not key:
        order: list[Any] = []
        if named is not None:
            order.append(case((named, 0), else_=1))
        if named is not None and ranked:
            order.append(case({pid: i for i, pid in enumerate(ranked)}, value=col(Provider.id), else_=len(ranked)))
        return statement.order_by(*order, col(Provider.id))
    return by_field(statement, Provider, key, SORT_FIELDS)


def lead_of(session: Session, user: User | None, provider: Provider) -> Provider | None:
    """The provider leading `provider` (主导服务商), when `user` (None: the public) may see it:
    an unpublished or retired lead is not named to those who may not see it."""
    if provider.lead_provider_id is None:
        return None
    statement = select(Provider).where(col(Provider.id) == provider.lead_provider_id)
    return session.exec(provider_rules.visible_providers(user, statement)).first()
