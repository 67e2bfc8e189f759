"""Shared pieces of the JSON API: paging, sorting, actor names, error listings (the list
filters are catalog.filters)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from catalog.filters import by_field
from catalog.limits import REMARK_CHARS
from market.errors import error_responses

MAX_PER_PAGE = 100

MAX_ID = 2_147_483_647  # the databases' INTEGER range
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="记录编号")]
Page = Annotated[int, Query(ge=1, le=100_000, description="页码，从 1 开始")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="每页条数（1–100）")]
Sort = Annotated[str | None, Query(max_length=40, description="排序字段，前加 - 表示倒序，如 -updated_at")]
Q = Annotated[str | None, Query(max_length=100, description="按名称查找（包含）")]

READ_ERRORS = error_responses(401, 403, 404, 422, 503)
LIST_ERRORS = error_responses(401, 403, 422, 503)
WRITE_ERRORS = error_responses(401, 403, 404, 409, 422, 503)


class StatusChange(BaseModel):
    """A status change with the reviewer's remark; of a listing in 待审核 it is the review
    (catalog/providers/review.py)."""

    status: Literal["待审核", "已入库", "暂停", "退出"] = Field(
        description="新状态。对待审核的记录：已入库＝审核通过，退出＝不予入库，待审核＝退回修改（后两者须填写审核意见）")
    remark: str | None = Field(default=None, max_length=REMARK_CHARS, description="审核意见")


class ExcellentFlag(BaseModel):
    excellent: bool


def paged(session: Session, statement: Any, *, page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of a statement's rows and the total count."""
    total = session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one()
    rows = session.exec(statement.offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), int(total)


def order(statement: Any, model: type[SQLModel], sort: str | None, allowed: tuple[str, ...]) -> Any:
    """Apply `sort` (a field name, '-' for descending) from `allowed`; id breaks ties."""
    return by_field(statement, model, (sort or "id").strip() or "id", allowed)


M = TypeVar("M")
P = TypeVar("P", bound=BaseModel)


def out(model: type[P], record: Any, **extra: Any) -> P:
    """An output schema filled from a stored record without re-running input validators
    (the record was validated when written; cleaning it again costs ~1 ms per row)."""
    fields = {name: getattr(record, name) for name in model.model_fields if hasattr(record, name)}
    return model.model_construct(**{**fields, **extra})


