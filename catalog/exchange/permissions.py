"""Who may import and export the exchange format: bureaus (each import and export is then
scoped to the bureau's regions by the caller)."""

from __future__ import annotations

from catalog.access import EXPORT, IMPORT, active, is_bureau, refuse
from catalog.users.models import User


def can_import(user: User | None) -> bool:
    return active(user) and is_bureau(user)


def can_export(user: User | None) -> bool:
    return active(user) and is_bureau(user)


def require_import(user: User | None) -> None:
    """Raise Forbidden unless `user` is a bureau."""
    if not can_import(user):
        refuse(IMPORT)


def require_export(user: User | None) -> None:
    """Raise Forbidden unless `user` is a bureau."""
    if not can_export(user):
        refuse(EXPORT)
