"""Bureau pages for enterprises (list, profile, registration edits) and for moving data in
and out: workbook import (every row error in a table, or the counts) and export."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import col, select
from starlette.datastructures import UploadFile

from catalog import service as catalog_service
from catalog.errors import Conflict, Forbidden, ImportRejected, MarketError
from catalog.models import Engagement, Enterprise, Need, Provider, Solution
from catalog.schemas import EnterpriseUpdate
from catalog.taxonomy import taxonomy
from market import permissions as perm
from market import region_scope
from market.deps import BureauUser, CsrfProtected, SessionDep
from market.pages.common import flash_redirect, industry_choices, paginate, parse_int
from market.pages.forms import FormDep, optional, text, validate
from market.templating import render

router = APIRouter(include_in_schema=False)

IMPORT_URL = "/bureau/import"
EXPORT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "json": "application/json"}


@router.get("/bureau/enterprises", response_class=HTMLResponse)
def enterprises(request: Request, session: SessionDep, user: BureauUser) -> HTMLResponse:
    """The pilot enterprises in this bureau's regions."""
    chosen = {k: request.query_params.get(k, "").strip()[:60] for k in ("q", "industry", "level")}
    statement = perm.visible_enterprises(user, select(Enterprise))
    if chosen["q"]:
        statement = statement.where(col(Enterprise.name).contains(chosen["q"], autoescape=True))
    if chosen["industry"]:
        statement = statement.where(col(Enterprise.industry).startswith(chosen["industry"]))
    if chosen["level"]:
        statement = statement.where(Enterprise.level == chosen["level"])
    page = paginate(session, statement.order_by(col(Enterprise.id)),
                    parse_int(request.query_params.get("page"), 1) or 1)
    context = {"page": page, "chosen": chosen, "industry_choices": industry_choices(),
               "level_choices": list(taxonomy().levels)}
    return render(request, "bureau/enterprises.html", context)


@router.get("/bureau/enterprises/{enterprise_id}", response_class=HTMLResponse)
def enterprise_detail(request: Request, session: SessionDep, user: BureauUser, enterprise_id: int) -> HTMLResponse:
    """One enterprise: registration (editable), privacy choices, needs, engagements."""
    enterprise = catalog_service.get_enterprise(session=session, enterprise_id=enterprise_id)
    perm.require(user, perm.VIEW, enterprise)
    needs = session.exec(perm.visible_needs(user, select(Need)).where(Need.enterprise_id == enterprise.id)
                         .order_by(col(Need.position), col(Need.id))).all()
    engagements = session.exec(perm.visible_engagements(user, select(Engagement, Solution, Provider))
                               .join(Solution, col(Solution.id) == Engagement.solution_id)
                               .join(Provider, col(Provider.id) == Engagement.provider_id)
                               .where(Engagement.enterprise_id == enterprise.id)
                               .order_by(col(Engagement.created_at).desc(), col(Engagement.id))).all()
    context = {
        "enterprise": enterprise, "needs": needs, "engagements": engagements,
        "can_edit": perm.can(user, perm.EDIT, enterprise),
        "industry_choices": industry_choices(), "level_choices": list(taxonomy().levels),
        "srdi_choices": taxonomy().srdi_tiers, "size_choices": ("规上", "规下"),
    }
    return render(request, "bureau/enterprise_detail.html", context)


@router.post("/bureau/enterprises/{enterprise_id}")
def enterprise_update(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                      form: FormDep, enterprise_id: int) -> Response:
    """Correct an enterprise's registration: industry, size, tier, level, budget, batch."""
    enterprise = catalog_service.get_enterprise(session=session, enterprise_id=enterprise_id)
    perm.require(user, perm.EDIT, enterprise)
    back = f"/bureau/enterprises/{enterprise_id}"
    names = ("industry", "size", "srdi_tier", "level", "budget_wan", "batch")
    data, errors = validate(EnterpriseUpdate, {n: optional(text(form, n)) for n in names})
    if data is None:
        return flash_redirect(request, back, "；".join(errors.values()), "error")
    try:
        perm.require_fields(user, enterprise, data.model_dump(exclude_unset=True))
        catalog_service.update_enterprise(session=session, enterprise=enterprise, data=data, actor=user.username,
                                          expected_version=parse_int(text(form, "version")))
    except (Conflict, Forbidden) as error:
        return flash_redirect(request, back, error.message, "error")
    return flash_redirect(request, back, f"已保存“{enterprise.name}”的登记信息")


@router.get(IMPORT_URL, response_class=HTMLResponse)
def import_form(request: Request, user: BureauUser) -> HTMLResponse:
    """The upload form."""
    perm.require(user, perm.IMPORT)
    return render(request, "bureau/import.html", {"errors": [], "filename": ""})


@router.post(IMPORT_URL)
def import_submit(request: Request, session: SessionDep, user: BureauUser, _csrf: CsrfProtected,
                  form: FormDep) -> Response:
    """Import a workbook or JSON file: all rows valid and stored, or every row error shown."""
    perm.require(user, perm.IMPORT)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return flash_redirect(request, IMPORT_URL, "请选择要导入的 .xlsx 或 .json 文件", "error")
    filename = upload.filename
    content = upload.file.read()
    try:
        report = region_scope.import_for(session=session, user=user, filename=filename, content=content,
                                         actor=user.username)
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


@router.get("/bureau/export", response_class=HTMLResponse)
def export_page(request: Request, user: BureauUser) -> HTMLResponse:
    """The export page: the pool of the bureau's regions in the exchange format."""
    perm.require(user, perm.EXPORT)
    return render(request, "bureau/export.html", {})


@router.get("/bureau/export/download")
def export_download(session: SessionDep, user: BureauUser, format: str = "xlsx") -> Response:
    """Download the pool of the bureau's regions as a workbook or JSON, in the exchange format."""
    perm.require(user, perm.EXPORT)
    fmt = format if format in EXPORT_TYPES else "xlsx"
    content = region_scope.export_for(session=session, user=user, fmt=fmt)  # only the bureau's regions
    name = f"数转通导出-{date.today():%Y%m%d}.{fmt}"
    disposition = f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=EXPORT_TYPES[fmt], headers={"content-disposition": disposition})
