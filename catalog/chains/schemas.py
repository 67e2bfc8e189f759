"""The schemas of 产业链关系; `ChainLinkRow` is a row of the exchange format."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from sqlmodel import Field, SQLModel

from catalog.chains.models import (
    DISCOUNT_DEFAULT,
    DISCOUNT_MAX,
    GROUP_MIN_DEFAULT,
    GROUP_MIN_HIGH,
    GROUP_MIN_LOW,
    PROPOSAL_BUDGET_MAX_WAN,
    Relation,
)
from catalog.fields import (
    Input,
    OptUscc,
    RecordPublic,
    RecordRef,
    Share,
    Uscc,
    choice,
    nonblank,
)

RelationValue = Annotated[str, choice(tuple(Relation), "关系"), AfterValidator(nonblank)]


class ChainLinkBase(SQLModel):
    relation: RelationValue
    share: Share = None


class ChainLinkCreate(ChainLinkBase, Input):
    leader_id: RecordRef
    member_id: RecordRef
    via_id: RecordRef | None = None


class ChainLinkRow(ChainLinkBase):
    leader_uscc: Uscc
    member_uscc: Uscc
    via_uscc: OptUscc = None


class ChainLinkUpdate(Input):
    relation: RelationValue | None = None
    share: Share = None
    via_id: RecordRef | None = None


class ChainLinkPublic(ChainLinkBase, RecordPublic):
    leader_id: RecordRef
    member_id: RecordRef
    via_id: RecordRef | None = None


class ChainLinksPublic(SQLModel):
    data: list[ChainLinkPublic]
    count: int


class ChainProposalRequest(SQLModel):
    """The chain proposal's budget and group-purchase discount (API, pages and CLI alike)."""

    budget_wan: float = Field(gt=0, le=PROPOSAL_BUDGET_MAX_WAN, description="链上改造预算（万元，补贴前）")
    discount: float = Field(default=DISCOUNT_DEFAULT, ge=0, le=DISCOUNT_MAX, description="集采折扣，0.1 表示九折")
    group_min: int = Field(default=GROUP_MIN_DEFAULT, ge=GROUP_MIN_LOW, le=GROUP_MIN_HIGH,
                           description="同一产品达到多少家成员时享受集采价")


PROPOSAL_BOUNDS_ZH = (f"预算应大于 0 且不超过 {PROPOSAL_BUDGET_MAX_WAN:g} 万元，折扣 0–{DISCOUNT_MAX:g}，"
                      f"集采门槛 {GROUP_MIN_LOW}–{GROUP_MIN_HIGH}")
