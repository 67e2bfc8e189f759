"""Who may pass a route at all, declared on the route itself and checked before its handler.

Every route names the roles that may ever get through it, on its decorator, as an
OpenAPI extension (`x-roles`, so the API documentation shows it too):

    @router.patch("/{solution_id}", ..., openapi_extra=requires(BUREAU | PROVIDER))

The declaration is the route's door. `enforce_declarations(router)`, which `market.app.create_app`
runs on every router it includes, gives each route that does not admit everyone a first
dependency (`admit_…`, one per set of roles) that checks the door before anything else of the
request runs: the public on a route for logged-in roles gets 401 "请先登录" (the JSON error for
the API, the login prompt page for pages), a user of a role not declared gets 403 `wrong_role`.
A route open to everyone (PUBLIC) gets nothing, so it costs a request nothing (a no-op
dependency on every route cost the search API 0.17 ms of CPU per request); on a route for some
roles the check reuses the user the handler resolves anyway.

Which record a role may see or change behind the door is decided by the rule functions of
catalog/<feature>/permissions.py (`can`, `require_*`, `visible_*`), which the handler calls.
The route × role matrix (tests/market/test_permission_matrix.py) fails when a route declares
nothing, and checks that the declared roles are exactly the roles its probes let through.
"""

from __future__ import annotations

from enum import Flag, auto
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute

from catalog.errors import Forbidden, MarketError
from catalog.users.models import Role, User
from market.deps import OptionalUser
from market.errors import NotAuthenticated, error_responses


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


# --- enforcing the declaration ----------------------------------------------------------------

_OF_ROLE = {Role.BUREAU: BUREAU, Role.PROVIDER: PROVIDER, Role.ENTERPRISE: ENTERPRISE,
            Role.CHAIN_LEADER: CHAIN_LEADER}
_NAMES = {BUREAU: "主管部门（工信局）", PROVIDER: "服务商", ENTERPRISE: "试点企业", CHAIN_LEADER: "链主企业"}


def _only(permission: Permission) -> str:
    """"仅限…用户操作" for the roles of `permission` (a chain leader is an enterprise too)."""
    roles = [role for role in _NAMES if role in permission]
    if ENTERPRISE in permission:
        roles = [role for role in roles if role != CHAIN_LEADER]
    return f"仅限{'、'.join(_NAMES[role] for role in roles)}用户操作"


def refusal(permission: Permission, user: User | None) -> MarketError | None:
    """Why `user` (None: the public) may not pass a route declaring `permission`; None if it may."""
    if user is None:
        return None if ANONYMOUS in permission else NotAuthenticated(message="请先登录")
    if _OF_ROLE.get(Role(user.role), Permission(0)) in permission:
        return None
    return Forbidden("wrong_role", _only(permission))


_ADMIT: dict[Permission, DependsParam] = {}


def admission(permission: Permission) -> DependsParam:
    """The dependency that checks `permission` (one per set of roles)."""
    if permission not in _ADMIT:
        async def admit(user: OptionalUser) -> None:
            error = refusal(permission, user)
            if error is not None:
                raise error

        admit.__name__ = "admit_" + "_or_".join(role.name.lower() for role in Permission
                                                 if role in permission and role.name)
        _ADMIT[permission] = Depends(admit)
    return _ADMIT[permission]


def enforce_declarations(router: APIRouter) -> APIRouter:
    """Give every route of `router` that does not admit everyone the check of its declared roles,
    as its first dependency, and its refusals (401, 403) in its documented responses (once:
    calling this again changes nothing). Run before the router is included in an app, which
    builds each route's handler and documentation from them."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        permission = declared(route)
        if permission is None or PUBLIC in permission:
            continue
        check = admission(permission)
        if check not in route.dependencies:
            route.dependencies.insert(0, check)
        refusals = (403,) if ANONYMOUS in permission else (401, 403)  # documented, as every answer is
        for status, response in error_responses(*refusals).items():
            route.responses.setdefault(status, response)
    return router
