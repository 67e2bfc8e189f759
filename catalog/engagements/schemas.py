"""The schemas of 对接成果: what a party may create and correct, and what it reads."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

from catalog.fields import (
    ContractAmount,
    Input,
    OptLevel,
    RecordPublic,
    RecordRef,
)


class EngagementCreate(Input):
    """An enterprise's intention (意向) to use a solution: every engagement starts there, and moves
    on only through the workflow's actions (catalog/engagements/service.py)."""

    enterprise_id: RecordRef
    solution_id: RecordRef


class EngagementUpdate(Input):
    """The figures of an open engagement that a party may correct; never its state. The contract
    amount has the bound signing it has (limits.CONTRACT_WAN, more than 0)."""

    contract_amount_wan: ContractAmount = None
    contract_date: date | None = None
    level_before: OptLevel = None


class EngagementPublic(RecordPublic):
    enterprise_id: RecordRef
    solution_id: RecordRef
    provider_id: RecordRef
    status: str
    contract_amount_wan: float | None = None
    contract_date: date | None = None
    acceptance_date: date | None = None
    level_before: str | None = None
    level_after: str | None = None
    termination_reason: str | None = None
    cost_split: dict[str, float] = Field(default_factory=dict)
    rating: int | None = None


class EngagementsPublic(SQLModel):
    data: list[EngagementPublic]
    count: int
