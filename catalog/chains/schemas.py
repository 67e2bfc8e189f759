"""The schemas of 产业链关系; `ChainLinkRow` is a row of the exchange format."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from sqlmodel import SQLModel

from catalog.chains.models import Relation
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
