"""JSON API: users (managed by a bureau; everyone may read their own record)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from catalog import limits as lim
from catalog.access import load_visible
from catalog.users import accounts
from catalog.users import permissions as user_rules
from catalog.users import queries as user_queries
from catalog.users.models import User
from catalog.users.queries import UserFilter
from market.deps import BureauUser, CurrentUser, SessionDep
from market.permissions.declared import BUREAU, LOGGED_IN, requires
from market.web.api_common import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Page,
    PerPage,
    RecordId,
    Sort,
)

router = APIRouter(prefix="/api/users", tags=["用户"])
RoleName = Literal["bureau", "provider", "enterprise", "chain_leader"]
# A bureau account's regions are checked by catalog.users.service.clean_regions (the CLI's too);
# the bounds here only refuse raw input far past them before it is looked at.
Region = Annotated[str, Field(max_length=lim.REGION_CHARS * lim.RAW_FACTOR)]
RAW_REGIONS = lim.BUREAU_REGION_ITEMS * lim.RAW_FACTOR
REGIONS_HELP = (f"主管部门账号的管辖地区（按前缀匹配）：每个 {lim.REGION_MIN_CHARS}～{lim.REGION_CHARS} 个字符，"
                f"最多 {lim.BUREAU_REGION_ITEMS} 个，如 江西省九江市")


class UserOut(BaseModel):
    """A user as the API shows it (never the password hash)."""

    id: int
    username: str
    role: str
    display_name: str
    regions: list[str]
    provider_id: int | None
    enterprise_id: int | None
    active: bool
    created_at: datetime

    model_config = {"from_attributes": True}


class UsersOut(BaseModel):
    data: list[UserOut]
    count: int


class UserIn(BaseModel):
    username: str = Field(description="登录名：3–64 个字符，英文字母、数字和 _ . @ -")
    password: str = Field(description="初始密码，至少 8 位")
    role: RoleName
    display_name: str = Field(default="", max_length=60)
    regions: list[Region] = Field(default_factory=list, max_length=RAW_REGIONS, description=REGIONS_HELP)
    provider_id: int | None = None
    enterprise_id: int | None = None


class UserPatch(BaseModel):
    display_name: str | None = Field(default=None, max_length=60)
    regions: list[Region] | None = Field(default=None, max_length=RAW_REGIONS, description=REGIONS_HELP)
    active: bool | None = None


@router.get("", response_model=UsersOut, responses=LIST_ERRORS, summary="用户列表（主管部门）",
            openapi_extra=requires(BUREAU))
def list_users(
    session: SessionDep, user: BureauUser, page: Page = 1, per_page: PerPage = 20, sort: Sort = None,
    role: Annotated[RoleName | None, Query(description="角色")] = None,
) -> UsersOut:
    chosen = UserFilter(role=role or "", sort=sort or "")
    found = user_queries.list_users(session=session, user=user, chosen=chosen, page=page, per_page=per_page)
    return UsersOut(data=[UserOut.model_validate(u) for u in found.rows], count=found.total)


@router.post("", response_model=UserOut, status_code=201, responses=WRITE_ERRORS, summary="新建用户（主管部门）",
             openapi_extra=requires(BUREAU))
def create_user(session: SessionDep, user: BureauUser, data: UserIn) -> UserOut:
    created = accounts.open_account(session=session, by=user, username=data.username, password=data.password,
                                    role=data.role, display_name=data.display_name, regions=data.regions,
                                    provider_id=data.provider_id, enterprise_id=data.enterprise_id)
    return UserOut.model_validate(created)


@router.get("/{user_id}", response_model=UserOut, responses=READ_ERRORS, summary="用户详情",
            openapi_extra=requires(LOGGED_IN))  # everyone reads their own account
def read_user(session: SessionDep, user: CurrentUser, user_id: RecordId) -> UserOut:
    return UserOut.model_validate(load_visible(session, user, User, user_id, "用户", user_rules.can))


@router.patch("/{user_id}", response_model=UserOut, responses=WRITE_ERRORS, summary="修改用户（主管部门）",
              openapi_extra=requires(BUREAU))
def update_user(session: SessionDep, user: BureauUser, user_id: RecordId, patch: UserPatch) -> UserOut:
    target = load_visible(session, user, User, user_id, "用户", user_rules.can)
    accounts.edit_account(session=session, by=user, account=target, display_name=patch.display_name,
                          regions=patch.regions, active=patch.active)
    return UserOut.model_validate(target)
