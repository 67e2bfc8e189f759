"""The schemas of 小快轻准产品和解决方案; `SolutionRow` is a row of the exchange format."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator
from sqlmodel import Field, SQLModel

from catalog.fields import (
    Billing,
    Code,
    Days,
    Deployment,
    Description,
    Industries,
    Input,
    Name,
    OptCode,
    Price,
    RecordPublic,
    RecordRef,
    Scenarios,
    TargetLevel,
    TextList,
    Uscc,
    choice,
)
from catalog.solutions.models import SizeFit

SizeFitValue = Annotated[str, choice(tuple(SizeFit), "适用规模"), BeforeValidator(lambda x: x or "均可")]


class SolutionBase(SQLModel):
    code: Code
    name: Name
    industries: Industries
    scenarios: Scenarios
    description: Description
    deployment: Deployment
    price_wan: Price
    billing: Billing
    deploy_days: Days
    size_fit: SizeFitValue = "均可"
    target_level: TargetLevel = None
    keywords: TextList = Field(default_factory=list)


class SolutionCreate(SolutionBase, Input):
    code: OptCode = None  # type: ignore[assignment]  # empty → the service numbers it (P<provider>-<n>)
    provider_id: RecordRef


class SolutionRow(SolutionBase):
    provider_uscc: Uscc


class SolutionUpdate(Input):
    code: Code | None = None
    name: Name | None = None
    provider_id: RecordRef | None = None
    industries: Industries | None = None
    scenarios: Scenarios | None = None
    description: Description | None = None
    deployment: Deployment | None = None
    price_wan: Price | None = None
    billing: Billing | None = None
    deploy_days: Days | None = None
    size_fit: SizeFitValue | None = None
    target_level: TargetLevel = None
    keywords: TextList | None = None


class SolutionPublic(SolutionBase, RecordPublic):
    provider_id: RecordRef
    provider_name: str | None = None
    status: str
    excellent: bool = False
    status_changed_by: str | None = None
    status_changed_at: datetime | None = None
    review_remark: str | None = None


class SolutionsPublic(SQLModel):
    data: list[SolutionPublic]
    count: int
