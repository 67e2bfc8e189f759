"""Who may pass a route at all, declared on the route itself.

Every route names the roles that may ever get through it, on its decorator, as an
OpenAPI extension (`x-roles`, so the API documentation shows it too):

    @router.patch("/{solution_id}", ..., openapi_extra=requires(BUREAU | PROVIDER))

The declaration is the route's door; which record a role may see or change behind it is
decided by the rule functions of market/permissions/ (`perm.can`, `perm.require_*`), which
the handler calls. The door itself is kept by the handler's user dependency (BureauUser,
CurrentUser …) and those rules; the declaration adds no check of its own, and it is not a
dependency either, so it costs a request nothing (a no-op dependency on every route cost
the search API 0.17 ms of CPU per request); it is read from the app: `declared(route)`. The route × role matrix
(tests/market/test_permission_matrix.py) fails when a route declares nothing, and checks
that the declared roles are exactly the roles its probes let through.
"""

from __future__ import annotations

from enum import Flag, auto
from typing import Any


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


ROLES = "x-roles"  # the OpenAPI extension a route's permission is declared in


def requires(permission: Permission) -> dict[str, Any]:
    """The `openapi_extra=` of a route that admits `permission`'s roles."""
    return {ROLES: [role.name.lower() for role in Permission if role in permission and role.name]}


def declared(route: Any) -> Permission | None:
    """The permission a route declares (None when it declares none)."""
    names = (getattr(route, "openapi_extra", None) or {}).get(ROLES)
    if names is None:
        return None
    found = Permission(0)
    for name in names:
        found |= Permission[name.upper()]
    return found
