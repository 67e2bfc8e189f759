"""The schemas of 服务商: Base → Create / Update (all optional) / Public / ProvidersPublic."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator
from sqlmodel import Field, SQLModel

from catalog.fields import (
    Capacity,
    Description,
    Industries,
    Input,
    Name,
    PersonName,
    Phone,
    RecordPublic,
    RecordRef,
    Region,
    RegionList,
    Scenarios,
    TextList,
    Uscc,
    choice,
    nonblank,
)
from catalog.providers.models import ProviderKind

Kind = Annotated[str, choice(tuple(ProviderKind), "服务商类型"), AfterValidator(nonblank)]


class ProviderBase(SQLModel):
    name: Name
    uscc: Uscc
    kind: Kind
    region: Region
    service_regions: RegionList = Field(default_factory=list)
    industries: Industries
    scenarios: Scenarios
    description: Description
    certifications: TextList = Field(default_factory=list)
    capacity: Capacity = 20
    contact_name: PersonName = None
    contact_phone: Phone = None


class ProviderCreate(ProviderBase, Input):
    pass


class ProviderUpdate(Input):
    name: Name | None = None
    uscc: Uscc | None = None
    kind: Kind | None = None
    region: Region | None = None
    service_regions: RegionList | None = None
    industries: Industries | None = None
    scenarios: Scenarios | None = None
    description: Description | None = None
    certifications: TextList | None = None
    capacity: Capacity | None = None
    contact_name: PersonName = None
    contact_phone: Phone = None
    lead_provider_id: RecordRef | None = None


class ProviderPublic(ProviderBase, RecordPublic):
    status: str
    name_key: str = ""
    lead_provider_id: RecordRef | None = None
    probable_duplicate_of: int | None = None
    status_changed_by: str | None = None
    status_changed_at: datetime | None = None
    review_remark: str | None = None


class ProvidersPublic(SQLModel):
    data: list[ProviderPublic]
    count: int
