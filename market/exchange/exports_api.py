"""JSON API: download the catalogue in the exchange format (bureau)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from catalog.exchange import exports
from market.deps import CurrentUser, SessionDep
from market.errors import error_responses
from market.permissions.declared import BUREAU, requires

router = APIRouter(prefix="/api/exports", tags=["导入导出"])
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@router.get(
    "", response_class=Response, summary="导出本辖区的资源池（xlsx 或 json）",
    responses={200: {"content": {MEDIA["xlsx"]: {}, MEDIA["json"]: {}}, "description": "导出文件"},
               **error_responses(401, 403, 422, 503)},
    openapi_extra=requires(BUREAU),
)
def download(session: SessionDep, user: CurrentUser,
             format: Annotated[Literal["xlsx", "json"], Query(description="文件格式")] = "xlsx") -> Response:
    content = exports.export_as(session=session, user=user, fmt=format)  # only the bureau's regions
    filename = f"数转通资源池-{date.today():%Y%m%d}.{format}"
    disposition = f"attachment; filename=\"export.{format}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=MEDIA[format], headers={"Content-Disposition": disposition})
