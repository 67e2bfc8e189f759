"""The list of user accounts: one filter, one order, under the API and any page or command
that lists accounts, so the same accounts come in the same order wherever they show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from catalog.filters import Rows, by_field, page_of
from catalog.users import permissions as user_rules
from catalog.users.models import User

SORT_FIELDS = ("id", "username", "role", "created_at")


@dataclass(frozen=True)
class UserFilter:
    """What a list of accounts is narrowed by: a role ("" for every role); `sort` a field of
    SORT_FIELDS ('-' for descending), or "" for id."""

    role: str = ""
    sort: str = ""


def list_users(*, session: Session, user: User | None, chosen: UserFilter = UserFilter(), page: int = 1,
               per_page: int = 20) -> Rows[User]:
    """One page of the accounts `user` may see (`permissions.visible_users`) that match `chosen`,
    and how many match in all."""
    statement = user_rules.visible_users(user, select(User))
    if chosen.role:
        statement = statement.where(col(User.role) == chosen.role)
    ordered = by_field(statement, User, chosen.sort.strip() or "id", SORT_FIELDS)
    found, total, served = page_of(session, ordered, page=page, per_page=per_page)
    return Rows(rows=found, total=total, page=served, per_page=per_page)
