"""Who may see and change 产业链 (chains) and their links:

- the chains overview is for bureaus and chain leaders;
- a chain (its graph, analyses, proposal and each of its links) is viewed by the bureau whose
  regions hold the leader and by the leader's own chain-leader account (`can_view_chain`); a
  member enterprise sees its own records, not the chain (the leader's other members, their
  shares and progress are not its business), a provider and the public nothing;
- only that bureau adds, edits and removes its links (MANAGE_CHAIN on the leader, EDIT / DELETE
  on a link);
- a member's engagement progress shows in a chain to the member's bureau, or to the leader if
  the member shares its needs with its chain.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false
from sqlmodel import col, select

from catalog.access import (
    DELETE,
    EDIT,
    MANAGE_CHAIN,
    VIEW,
    active,
    in_regions,
    is_bureau,
    lookup,
    refuse,
    region_filter,
)
from catalog.chains.models import ChainLink
from catalog.enterprises.models import Enterprise
from catalog.errors import Forbidden
from catalog.users.models import Role, User

_CHAIN_ROLES = (Role.BUREAU, Role.CHAIN_LEADER)


def can(user: User | None, action: str, record: ChainLink | Enterprise) -> bool:
    """May `user` do `action` on a link (VIEW, EDIT, DELETE), or add links to the chain of a
    leader enterprise (MANAGE_CHAIN)?"""
    if user is not None and not active(user):
        return False
    if isinstance(record, Enterprise):
        return action == MANAGE_CHAIN and in_regions(user, record.region)
    leader = lookup(record, Enterprise, record.leader_id)
    if leader is None:
        return False
    if action == VIEW:
        return can_view_chain(user, leader)
    return action in (EDIT, DELETE) and in_regions(user, leader.region)


def require(user: User | None, action: str, record: ChainLink | Enterprise, *, hide: bool = False) -> None:
    """Raise Forbidden (or NotFound when `hide`) unless `user` may do `action` on `record`."""
    if not can(user, action, record):
        refuse(action, hide=hide)


def can_view_chain(user: User | None, leader: Enterprise) -> bool:
    """May `user` view the chain led by `leader` (API, pages and CLI alike)? The bureau whose
    regions hold the leader, and a chain-leader account bound to the leader; not an enterprise
    account of the leader or of a member, not a provider, not a bureau elsewhere, not the public,
    not a disabled account."""
    if not active(user):
        return False
    if is_bureau(user):
        return in_regions(user, leader.region)
    return (user is not None and user.role == Role.CHAIN_LEADER and leader.id is not None
            and user.enterprise_id == leader.id)


def can_see_progress(user: User | None, member: Enterprise) -> bool:
    """A member's engagement progress shows to its region's bureau, or (in a chain the user
    may view) to the leader if the member shares its needs with its chain."""
    if user is not None and user.role == Role.BUREAU:
        return in_regions(user, member.region)
    return bool(member.share_needs_with_chain)


def can_list_chains(user: User | None) -> bool:
    """The chains overview (page and API): bureaus and chain leaders."""
    return user is not None and user.active and user.role in _CHAIN_ROLES


def require_list_chains(user: User | None) -> None:
    """Raise Forbidden unless `user` may list chains."""
    if not can_list_chains(user):
        raise Forbidden("wrong_role", "仅限主管部门和链主企业查看产业链")


def visible_chain_links(user: User | None, statement: Any) -> Any:
    """Add to a `select(ChainLink…)` the filter of what `user` may see."""
    if user is None or not user.active:
        return statement.where(false())
    if user.role == Role.BUREAU:
        in_region = select(Enterprise.id).where(region_filter(user, Enterprise.region))
        return statement.where(col(ChainLink.leader_id).in_(in_region))
    if user.role == Role.CHAIN_LEADER:
        return statement.where(col(ChainLink.leader_id) == user.enterprise_id)
    return statement.where(false())
