"""服务商入驻: a provider's own application to join the pool, and the form it fills in.

The application creates the provider (in 待审核) and its account at once; its state and the
bureau's reason are the provider's status and review remark. This record keeps who applied,
from where (for the per-address limit), and the similar names the applicant confirmed.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator, StringConstraints
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from catalog import limits as lim
from catalog.providers.schemas import ProviderCreate
from catalog.records import utcnow

USERNAME_CHARS, PASSWORD_MIN, PASSWORD_MAX = 64, lim.PASSWORD_MIN_CHARS, lim.PASSWORD_MAX_CHARS
_USERNAME = re.compile(r"^[A-Za-z0-9_.@\-]{3,64}$")


class ProviderApplication(SQLModel, table=True):
    """One self-registration: the provider it created and the account that speaks for it."""

    __tablename__ = "providerapplication"

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    similar_to: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    address: str = Field(default="", index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    decided_at: datetime | None = None
    decided_by: str | None = None


def _username(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("应为文本")
    name = value.strip()
    if len(name) > USERNAME_CHARS:
        raise ValueError(f"不能超过 {USERNAME_CHARS} 个字符，实际为 {len(name)} 个")
    if not _USERNAME.match(name):
        raise ValueError("用户名须为 3–64 个字符，只能包含英文字母、数字和 _ . @ -")
    return name


def _password(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("应为文本")
    if len(value) > PASSWORD_MAX:
        raise ValueError(f"不能超过 {PASSWORD_MAX} 个字符")
    if len(value) < PASSWORD_MIN:
        raise ValueError(f"密码至少需要 {PASSWORD_MIN} 个字符")
    return value


Username = Annotated[str, BeforeValidator(_username)]
Password = Annotated[str, BeforeValidator(_password)]


class ProviderApplicationCreate(ProviderCreate):
    """The public form: the provider's profile, the new account, and the similar-name confirmation."""

    username: Username
    password: Password
    confirm_similar_name: bool = False


class ApplicationDecision(SQLModel):
    """A bureau's decision on an application: approve, or reject with a reason."""

    approve: bool
    # Its bound is checked by the decision (catalog.providers.review.clean_remark); this one only
    # refuses raw input far past it before it is looked at.
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=lim.REMARK_CHARS * lim.RAW_FACTOR)] = Field(
        default="", description=f"不予通过的理由（不予通过时必填，申请人可以看到；不超过 {lim.REMARK_CHARS} 个字符）")
