"""The schemas of 试点企业 and 需求; `NeedRow` is a row of the exchange format."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from sqlmodel import Field, SQLModel

from catalog.enterprises.models import EnterpriseSize, Priority
from catalog.fields import (
    Batch,
    Code,
    Industry,
    Input,
    Level,
    Money,
    Name,
    NeedText,
    OptCode,
    OptScenario,
    RecordPublic,
    RecordRef,
    Region,
    SrdiTier,
    Uscc,
    choice,
    nonblank,
)

Size = Annotated[str, choice(tuple(EnterpriseSize), "企业规模"), AfterValidator(nonblank)]


# Blank is None: a new need then gets the default priority, an edit leaves it (catalog/enterprises/service.py).
OptPriority = Annotated[str | None, choice(tuple(Priority), "优先级")]


class EnterpriseBase(SQLModel):
    name: Name
    uscc: Uscc
    region: Region
    industry: Industry
    size: Size
    srdi_tier: SrdiTier = "无"
    level: Level = "未评测"
    budget_wan: Money = None
    batch: Batch = None


class EnterpriseCreate(EnterpriseBase, Input):
    pass


class EnterpriseUpdate(Input):
    name: Name | None = None
    uscc: Uscc | None = None
    region: Region | None = None
    industry: Industry | None = None
    size: Size | None = None
    srdi_tier: SrdiTier | None = None
    level: Level | None = None
    budget_wan: Money = None
    batch: Batch = None
    findable_by_providers: bool | None = None
    share_budget: bool | None = None
    share_needs_with_chain: bool | None = None


class EnterprisePublic(EnterpriseBase, RecordPublic):
    name_key: str = ""
    findable_by_providers: bool = False
    share_budget: bool = False
    share_needs_with_chain: bool = False
    probable_duplicate_of: int | None = None


class EnterprisesPublic(SQLModel):
    data: list[EnterprisePublic]
    count: int


class NeedBase(SQLModel):
    code: OptCode = None  # empty → the service numbers it (N1, N2 …)
    scenario: OptScenario = None
    text: NeedText
    priority: OptPriority = Field(default=None, description="优先级：高、中、低；新建时留空为“中”")
    budget_wan: Money = None


class NeedCreate(NeedBase, Input):
    pass


class NeedRow(NeedBase):
    enterprise_uscc: Uscc
    code: Code  # type: ignore[assignment]  # required in the exchange format


class NeedUpdate(Input):
    code: Code | None = None
    scenario: OptScenario = None
    text: NeedText | None = None
    priority: OptPriority = Field(default=None, description="优先级：高、中、低；留空不变")
    budget_wan: Money = None


class NeedPublic(NeedBase, RecordPublic):
    priority: str  # type: ignore[assignment]
    enterprise_id: RecordRef
    position: int = 0


class NeedsPublic(SQLModel):
    data: list[NeedPublic]
    count: int
