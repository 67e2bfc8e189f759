"""Request dependencies: the database session, settings, the current user, roles, CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from catalog.db import get_engine
from catalog.errors import Forbidden
from catalog.users.models import Role, User
from market.auth import csrf
from market.auth.current import resolve_user
from market.errors import NotAuthenticated
from market.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings  # type: ignore[no-any-return]


def get_db(request: Request) -> Iterator[Session]:
    """One session per request: committed once after a successful handler, else rolled back."""
    with Session(get_engine(request.app.state.database_url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def _check_api_csrf(request: Request) -> None:
    """A cookie-authenticated API write must echo the CSRF token in a header."""
    if request.method in SAFE_METHODS or request.state.auth_kind != "cookie":
        return
    if not request.url.path.startswith("/api"):
        return
    if not csrf.token_matches(request, request.headers.get(csrf.CSRF_HEADER)):
        raise Forbidden("csrf_failed", "安全校验失败（缺少或错误的 X-CSRF-Token），请刷新页面后重试")


def get_optional_user(request: Request, session: SessionDep) -> User | None:
    """The logged-in user, or None for the public."""
    user = resolve_user(request, session)
    _check_api_csrf(request)
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> User:
    """The logged-in user; 401 otherwise."""
    if user is None:
        raise NotAuthenticated(message="请先登录")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def _role_dependency(roles: tuple[Role, ...], message: str):  # type: ignore[no-untyped-def]
    def dependency(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden("wrong_role", message)
        return user

    dependency.__name__ = f"require_{'_or_'.join(r.value for r in roles)}"
    return dependency


BureauUser = Annotated[User, Depends(_role_dependency((Role.BUREAU,), "仅限主管部门（工信局）用户操作"))]
ProviderUser = Annotated[User, Depends(_role_dependency((Role.PROVIDER,), "仅限服务商用户操作"))]
# A chain leader is also an enterprise: it keeps its own profile and needs.
EnterpriseUser = Annotated[
    User, Depends(_role_dependency((Role.ENTERPRISE, Role.CHAIN_LEADER), "仅限试点企业用户操作"))
]
ChainLeaderUser = Annotated[User, Depends(_role_dependency((Role.CHAIN_LEADER,), "仅限链主企业用户操作"))]


async def verify_csrf(request: Request) -> None:
    """Reject a form post whose csrf_token (field or X-CSRF-Token header) does not match."""
    if request.method in SAFE_METHODS:
        return
    submitted = request.headers.get(csrf.CSRF_HEADER)
    if not submitted and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get(csrf.CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf.token_matches(request, submitted):
        raise Forbidden("csrf_failed", "表单已过期或安全校验失败，请刷新页面后重新提交")


async def _csrf_after_user(request: Request, _user: OptionalUser) -> None:
    await verify_csrf(request)


CsrfProtected = Annotated[None, Depends(_csrf_after_user)]
