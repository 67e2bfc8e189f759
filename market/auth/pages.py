"""Shared pages: login, logout, password change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from catalog.errors import MarketError
from catalog.users.models import Role, User
from catalog.users.service import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from market import auth
from market.auth.current import SESSION_COOKIE
from market.deps import (
    CsrfProtected,
    CurrentUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
)
from market.permissions.declared import LOGGED_IN, PUBLIC, requires
from market.templating import flash, render
from market.web.page_common import redirect, safe_next

router = APIRouter(include_in_schema=False)

HOME_BY_ROLE = {
    Role.BUREAU: "/bureau/review",
    Role.PROVIDER: "/provider",
    Role.ENTERPRISE: "/enterprise",
    Role.CHAIN_LEADER: "/enterprise",
}
MIN_PASSWORD = MIN_PASSWORD_LENGTH


def home_of(user: User) -> str:
    """Where a user lands after logging in."""
    return HOME_BY_ROLE.get(user.role, "/")  # type: ignore[call-overload]


@router.get("/login", response_class=HTMLResponse, openapi_extra=requires(PUBLIC))
def login_form(request: Request, user: OptionalUser, next: str = "") -> Response:
    """The login form (a logged-in user goes straight to its home page)."""
    if user is not None:
        return redirect(safe_next(next, home_of(user)))
    return render(request, "account/login.html", {"next": safe_next(next, "")})


@router.post("/login", openapi_extra=requires(PUBLIC))
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfProtected,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the password; on success set the session cookie and go on."""
    address = request.client.host if request.client else ""
    try:
        user, token = auth.login(
            session=session, username=username, password=password, address=address,
            hours=settings.session_hours,
        )
    except MarketError as error:
        response = redirect("/login" + (f"?next={safe_next(next, '')}" if safe_next(next, "") else ""))
        flash(request, response, error.message, "error")
        return response
    response = redirect(safe_next(next, home_of(user)))
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.session_hours * 3600, httponly=True,
        samesite="lax", secure=request.url.scheme == "https", path="/",
    )
    flash(request, response, f"欢迎，{user.display_name or user.username}")
    return response


@router.post("/logout", openapi_extra=requires(PUBLIC))
def logout_submit(request: Request, session: SessionDep, _csrf: CsrfProtected) -> RedirectResponse:
    """End the login session and forget the cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.logout(session=session, token=token)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    flash(request, response, "已退出登录", "info")
    return response


@router.get("/password", response_class=HTMLResponse, openapi_extra=requires(LOGGED_IN))
def password_form(request: Request, user: CurrentUser) -> HTMLResponse:
    """The password change form."""
    return render(request, "account/password.html", {"min_length": MIN_PASSWORD, "max_length": MAX_PASSWORD_LENGTH})


@router.post("/password", openapi_extra=requires(LOGGED_IN))
def password_submit(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    _csrf: CsrfProtected,
    old_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Change the password (the rules are `catalog.users.service.change_own_password`'s, as for
    the API); other sessions of this user end."""
    problem = _password_problem(new_password, confirm_password)
    if problem is None:
        login_session = getattr(request.state, "login_session", None)
        try:
            auth.change_password(
                session=session, user=user, old_password=old_password, new_password=new_password,
                keep_session_id=login_session.id if login_session is not None else None,
            )
        except MarketError as error:
            problem = error.message
    if problem is not None:
        response = redirect("/password")
        flash(request, response, problem, "error")
        return response
    response = redirect(home_of(user))
    flash(request, response, "密码已修改，其他设备上的登录已失效")
    return response


def _password_problem(new_password: str, confirm_password: str) -> str | None:
    """What the form alone can tell (the rules of a new password are the service's)."""
    if new_password != confirm_password:
        return "两次输入的新密码不一致"
    return None
