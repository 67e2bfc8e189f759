"""Pages: the working lists (任务清单, 试点企业清单, 服务商清单, 优秀产品清单, 政策清单, 金融清单),
each with its xlsx export; the bureau maintains the finance list here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from catalog.errors import NotFound
from catalog.progress import service as progress_service
from catalog.progress.permissions import progress_city
from catalog.progress.schemas import FinanceProductIn
from market.deps import CsrfProtected, CurrentUser, SessionDep
from market.permissions.declared import BUREAU, requires
from market.progress import lists
from market.progress.fields import to_float, to_int
from market.templating import render
from market.web.forms import FormDep, text
from market.web.page_common import flash_redirect

router = APIRouter(include_in_schema=False)


@router.get("/lists", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def lists_index(request: Request, user: CurrentUser, region: str | None = None) -> Response:
    """The six working lists of the city."""
    city = progress_city(user, region)
    return render(request, "progress/lists.html", {"city": city, "titles": lists.TITLES})


@router.get("/lists/{name}", response_class=HTMLResponse, openapi_extra=requires(BUREAU))
def list_page(request: Request, session: SessionDep, user: CurrentUser, name: str,
              region: str | None = None) -> Response:
    """One working list as a table, with its export link."""
    if name not in lists.LISTS:
        raise NotFound(message="没有这份清单")
    city = progress_city(user, region)
    work = lists.LISTS[name](session, city)
    return render(request, "progress/list.html", {"city": city, "work": work, "titles": lists.TITLES})


@router.post("/lists/finance", openapi_extra=requires(BUREAU))
def add_finance(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                form: FormDep, region: str | None = None) -> Response:
    """Add a 数转贷-type product to the finance list (a bureau of another city is refused, not sent back)."""
    try:
        data = FinanceProductIn(name=text(form, "name"), lender=text(form, "lender"),
                         rate_pct=to_float(text(form, "rate_pct")), cap_wan=to_float(text(form, "cap_wan")),
                         term_months=to_int(text(form, "term_months")), note=text(form, "note"))
    except ValidationError:
        return flash_redirect(request, "/lists/finance", "请填写产品名称、金融机构，利率 0–36%，额度与期限为正数", "error")
    progress_service.add_finance_product_as(session=session, user=user, region=region, data=data)
    return flash_redirect(request, "/lists/finance", f"已添加金融产品：{data.name}")
