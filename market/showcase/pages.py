"""Product page actions: 申请对接 from a product page, messages on an engagement between
enterprise, provider and bureau (shown on its page, /progress/engagements/{id}), and the
provider's cases of a product (/provider/solutions/{id}/cases)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from catalog.errors import MarketError, NotFound
from catalog.showcase import service as showcase
from catalog.showcase.models import CaseCreate, ContactRequest, MessageIn
from catalog.users.service import actor_of
from market.deps import CsrfProtected, CurrentUser, ProviderUser, SessionDep
from market.permissions.declared import ENTERPRISES, LOGGED_IN, PROVIDER, requires
from market.templating import render
from market.web.forms import FormDep, text
from market.web.page_common import flash_redirect, parse_int

router = APIRouter(include_in_schema=False)


@router.post("/solutions/{solution_id}/contact", openapi_extra=requires(ENTERPRISES))
def contact(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected, solution_id: int,
            form: FormDep) -> Response:
    """申请对接: an engagement in 意向 with the enterprise's message; then its page."""
    back = f"/solutions/{solution_id}"
    try:
        data = ContactRequest(message=text(form, "message"))
        engagement = showcase.contact_as(session=session, user=user, solution_id=solution_id, message=data.message)
    except ValidationError:
        return flash_redirect(request, back, "请填写想了解的内容（不超过 500 字）", "error")
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    return flash_redirect(request, f"/progress/engagements/{engagement.id}", "已申请对接，服务商会在这里回复您")


@router.post("/engagements/{engagement_id}/messages", openapi_extra=requires(LOGGED_IN))
def engagement_message(request: Request, session: SessionDep, user: CurrentUser, _csrf: CsrfProtected,
                       engagement_id: int, form: FormDep) -> Response:
    back = f"/progress/engagements/{engagement_id}"
    try:
        engagement = showcase.conversation_of(session=session, user=user, engagement_id=engagement_id)
        data = MessageIn(text=text(form, "text"))
    except ValidationError:
        return flash_redirect(request, back, "留言不能为空，且不超过 500 字", "error")
    except NotFound:
        raise
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    showcase.write_message(session=session, user=user, engagement=engagement, text=data.text)
    return flash_redirect(request, back, "留言已发送")


@router.get("/provider/solutions/{solution_id}/cases", response_class=HTMLResponse,
            openapi_extra=requires(PROVIDER))
def case_list(request: Request, session: SessionDep, user: ProviderUser, solution_id: int) -> HTMLResponse:
    """The provider's cases of one product, with a form to add one."""
    solution = showcase.editable_solution(session=session, user=user, solution_id=solution_id)
    return render(request, "provider/cases.html", {
        "solution": solution, "cases": showcase.cases_of(session=session, solution_id=solution_id)})


@router.post("/provider/solutions/{solution_id}/cases", openapi_extra=requires(PROVIDER))
def case_add(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected, solution_id: int,
             form: FormDep) -> Response:
    back = f"/provider/solutions/{solution_id}/cases"
    solution = showcase.editable_solution(session=session, user=user, solution_id=solution_id)
    try:
        data = CaseCreate(client_industry=text(form, "client_industry"), problem=text(form, "problem"),
                          result=text(form, "result"), engagement_id=parse_int(text(form, "engagement_id")))
        showcase.add_case(session=session, solution=solution, data=data, actor=actor_of(user))
    except ValidationError:
        return flash_redirect(request, back, "请填写客户行业（不超过 60 字）、问题和成效（各不超过 500 字）", "error")
    except MarketError as error:
        return flash_redirect(request, back, error.message, "error")
    return flash_redirect(request, back, "案例已添加，将显示在产品页")


@router.post("/provider/solutions/{solution_id}/cases/{case_id}/delete", openapi_extra=requires(PROVIDER))
def case_delete(request: Request, session: SessionDep, user: ProviderUser, _csrf: CsrfProtected, solution_id: int,
                case_id: int) -> Response:
    solution = showcase.editable_solution(session=session, user=user, solution_id=solution_id)
    case = showcase.case_of(session=session, solution=solution, case_id=case_id)
    showcase.remove_case(session=session, case=case, actor=actor_of(user))
    return flash_redirect(request, f"/provider/solutions/{solution_id}/cases", "案例已删除")
