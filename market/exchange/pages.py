"""Bureau pages for moving data in and out: workbook import (every row error in a table,
or the counts) and export, in the exchange format, within the bureau's regions."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from catalog.errors import ImportRejected, MarketError
from catalog.exchange import exports
from catalog.exchange import permissions as exchange_rules
from catalog.users.service import actor_of
from market.deps import BureauUser, CsrfProtected, SessionDep
from market.exchange import region_scope
from market.permissions.declared import BUREAU, requires
from market.templating import render
from market.web.forms import FormDep
from market.web.page_common import flash_redirect

router = APIRouter(include_in_schema=False)

IMPORT_URL = "/bureau/import"
EXPORT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "json": "application/json"}


@router.get(IMPORT_URL, response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def import_form(request: Request, user: BureauUser) -> HTMLResponse:
    """The upload form."""
    exchange_rules.require_import(user)
    return render(request, "bureau/import.html", {"errors": [], "filename": ""})


@router.post(IMPORT_URL, openapi_extra=requires(BUREAU))
def import_submit(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                  form: FormDep) -> Response:
    """Import a workbook or JSON file: all rows valid and stored, or every row error shown."""
    exchange_rules.require_import(user)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return flash_redirect(request, IMPORT_URL, "请选择要导入的 .xlsx 或 .json 文件", "error")
    filename = upload.filename
    content = upload.file.read()
    try:
        report = region_scope.import_for(session=session, user=user, filename=filename, content=content,
                                         actor=actor_of(user))
    except ImportRejected as rejected:
        session.rollback()
        context = {"errors": rejected.errors, "message": rejected.message, "filename": filename}
        return render(request, "bureau/import.html", context, status_code=422)
    except MarketError as error:
        session.rollback()
        return flash_redirect(request, IMPORT_URL, error.message, "error")
    message = f"导入成功（{filename}）：" + report.summary_zh().replace("\n", "；")
    if report.warnings:
        message += "。提示：" + "；".join(report.warnings[:5])
    return flash_redirect(request, IMPORT_URL, message[:400])


@router.get("/bureau/export", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def export_page(request: Request, user: BureauUser) -> HTMLResponse:
    """The export page: the pool of the bureau's regions in the exchange format."""
    exchange_rules.require_export(user)
    return render(request, "bureau/export.html", {})


@router.get("/bureau/export/download", openapi_extra=requires(BUREAU))
def export_download(session: SessionDep, user: BureauUser, format: str = "xlsx") -> Response:
    """Download the pool of the bureau's regions as a workbook or JSON, in the exchange format."""
    fmt = format if format in EXPORT_TYPES else "xlsx"
    content = exports.export_as(session=session, user=user, fmt=fmt)  # only the bureau's regions
    name = f"数转通导出-{date.today():%Y%m%d}.{fmt}"
    disposition = f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=EXPORT_TYPES[fmt], headers={"content-disposition": disposition})
