"""Accounts as a bureau keeps them through any front door: who may grant what (permissions),
then the write (service)."""

from __future__ import annotations

from sqlmodel import Session

from catalog import access
from catalog.users import permissions as user_rules
from catalog.users import service as user_service
from catalog.users.models import Role, User


def open_account(*, session: Session, by: User, username: str, password: str, role: str, display_name: str = "",
                 regions: list[str] | None = None, provider_id: int | None = None,
                 enterprise_id: int | None = None) -> User:
    """`by` (a bureau) opens an account it may grant: a bureau account within its regions, a
    provider's or an enterprise's for a record in them."""
    user_rules.require_grant(session, by, role=role, regions=regions or [], provider_id=provider_id,
                             enterprise_id=enterprise_id)
    return user_service.create_user(session=session, username=username, password=password, role=Role(role),
                                    actor=user_service.actor_of(by), display_name=display_name,
                                    regions=regions or None, provider_id=provider_id, enterprise_id=enterprise_id)


def edit_account(*, session: Session, by: User, account: User, display_name: str | None = None,
                 regions: list[str] | None = None, active: bool | None = None) -> User:
    """`by` changes an account it may edit; new regions only within its own."""
    user_rules.require(by, access.EDIT, account)
    if regions is not None:
        user_rules.require_grant(session, by, role=account.role, regions=regions)
    return user_service.update_user(session=session, user=account, by=by, display_name=display_name,
                                    regions=regions, active=active)
