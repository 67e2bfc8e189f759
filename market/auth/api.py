"""JSON API: bearer tokens, the current user, password change."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from catalog.limits import RAW_FACTOR
from catalog.users.service import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from market import auth
from market.auth.sessions import issue_api_token, revoke_api_token
from market.deps import CurrentUser, SessionDep
from market.errors import NotAuthenticated, error_responses
from market.permissions.declared import LOGGED_IN, PUBLIC, requires
from market.users.api import UserOut

router = APIRouter(prefix="/api/auth", tags=["登录与令牌"])


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: UserOut


class PasswordChange(BaseModel):
    old_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    # Its rules are the service's (catalog.users.service.change_own_password); the bound here only
    # refuses raw input far past them before it is looked at.
    new_password: str = Field(max_length=MAX_PASSWORD_LENGTH * RAW_FACTOR,
                              description=f"新密码，{MIN_PASSWORD_LENGTH}～{MAX_PASSWORD_LENGTH} 个字符，不能与原密码相同")


def client_address(request: Request) -> str:
    """The caller's address, as the rate limiter counts it."""
    return request.client.host if request.client else ""


@router.post("/token", response_model=TokenOut, status_code=201, responses=error_responses(401, 422, 429, 503),
             summary="用用户名和密码换取访问令牌", openapi_extra=requires(PUBLIC))
def create_token(request: Request, session: SessionDep, body: Credentials) -> TokenOut:
    user = auth.authenticate(session=session, username=body.username, password=body.password,
                             address=client_address(request))
    row, token = issue_api_token(session=session, user=user, name="api")
    return TokenOut(access_token=token, expires_at=row.expires_at, user=UserOut.model_validate(user))


@router.delete("/token", status_code=204, response_class=Response, responses=error_responses(401, 503),
               summary="注销当前访问令牌", openapi_extra=requires(LOGGED_IN))
def delete_token(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not revoke_api_token(session=session, token=token.strip()):
        raise NotAuthenticated("no_token", "请求未携带有效的访问令牌")
    return Response(status_code=204)


@router.get("/me", response_model=UserOut, responses=error_responses(401, 503), summary="当前用户",
            openapi_extra=requires(LOGGED_IN))
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.post("/password", status_code=204, response_class=Response, responses=error_responses(401, 403, 422, 503),
             summary="修改密码（其他登录会话与令牌随之失效）", openapi_extra=requires(LOGGED_IN))
def change_password(request: Request, session: SessionDep, user: CurrentUser, body: PasswordChange) -> Response:
    login_session = getattr(request.state, "login_session", None)
    auth.change_password(session=session, user=user, old_password=body.old_password,
                         new_password=body.new_password, keep_session_id=login_session.id if login_session else None)
    return Response(status_code=204)
