"""Who may pass a route at all, declared on the route itself.

Every route names the roles that may ever get through it, as a dependency on its decorator:

    @router.patch("/{solution_id}", ..., dependencies=requires(BUREAU | PROVIDER))

The declaration is the route's door; which record a role may see or change behind it is
decided by the rule functions of market/permissions/ (`perm.can`, `perm.require_*`), which
the handler calls. The door itself is kept by the handler's user dependency (BureauUser,
CurrentUser …) and those rules; the declaration adds no check of its own, so it costs a
request nothing, and it can be read from the app: `declared(route)`. The route × role matrix
(tests/market/test_permission_matrix.py) fails when a route declares nothing, and checks
that the declared roles are exactly the roles its probes let through.
"""

from __future__ import annotations

from enum import Flag, auto
from functools import cache
from typing import Any

from fastapi import Depends


class Permission(Flag):
    """The roles a route admits; combine with `|`."""

    ANONYMOUS = auto()  # no login
    BUREAU = auto()  # 主管部门（工信局）; which regions is the record rule's business
    PROVIDER = auto()  # 服务商
    ENTERPRISE = auto()  # 试点企业
    CHAIN_LEADER = auto()  # 链主企业 (an enterprise too)


ANONYMOUS = Permission.ANONYMOUS
BUREAU = Permission.BUREAU
PROVIDER = Permission.PROVIDER
ENTERPRISE = Permission.ENTERPRISE
CHAIN_LEADER = Permission.CHAIN_LEADER
ENTERPRISES = ENTERPRISE | CHAIN_LEADER  # an enterprise user or a chain leader
LOGGED_IN = BUREAU | PROVIDER | ENTERPRISES  # any logged-in user
PUBLIC = ANONYMOUS | LOGGED_IN  # everyone, logged in or not


@cache
def _marker(permission: Permission) -> Any:
    async def declared_permission() -> None:
        return None

    declared_permission.permission = permission  # type: ignore[attr-defined]
    return declared_permission


def requires(permission: Permission) -> list[Any]:
    """The `dependencies=` of a route that admits `permission`'s roles."""
    return [Depends(_marker(permission))]


def declared(route: Any) -> Permission | None:
    """The permission a route declares (None when it declares none)."""
    dependant = getattr(route, "dependant", None)
    for dependency in getattr(dependant, "dependencies", []):
        permission = getattr(dependency.call, "permission", None)
        if isinstance(permission, Permission):
            return permission
    return None
