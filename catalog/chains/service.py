"""Writes to 产业链关系 (chain links: leader → member). Each function validates, changes, flushes
(never commits) and leaves audit entries.
"""

from __future__ import annotations

from sqlmodel import Session, select

from catalog import access, writes
from catalog.chains import permissions as chain_rules
from catalog.chains.models import ChainLink
from catalog.chains.schemas import ChainLinkCreate, ChainLinkUpdate
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises.models import Enterprise
from catalog.enterprises.service import get_enterprise
from catalog.errors import Conflict, ValidationFailed
from catalog.records import utcnow
from catalog.users.models import User
from catalog.users.service import actor_of


def _check_link(session: Session, leader_id: int, member_id: int, via_id: int | None) -> None:
    if leader_id == member_id or via_id == member_id:
        raise ValidationFailed("链主、成员和上游成员不能是同一家企业", code="bad_link")
    for enterprise_id in (leader_id, member_id, via_id):
        if enterprise_id is not None:
            get_enterprise(session=session, enterprise_id=enterprise_id)


def create_chain_link(*, session: Session, data: ChainLinkCreate, actor: str) -> ChainLink:
    """Link a member (supplier, customer, outsourcing partner) to a chain leader."""
    _check_link(session, data.leader_id, data.member_id, data.via_id)
    exists = select(ChainLink.id).where(ChainLink.leader_id == data.leader_id, ChainLink.member_id == data.member_id)
    if session.exec(exists).first() is not None:
        raise Conflict("该链主与该成员的关系已存在", code="duplicate_link")
    now = utcnow()
    link = ChainLink(**data.model_dump(), created_at=now, updated_at=now)
    writes.create(session=session, records=[link], actor=actor)
    return link


def update_chain_link(*, session: Session, link: ChainLink, data: ChainLinkUpdate, actor: str,
                      expected_version: int | None = None) -> ChainLink:
    """Change a link's relation, share or upstream member."""
    if data.via_id is not None:
        _check_link(session, link.leader_id, link.member_id, data.via_id)
    writes.update(session=session, record=link, changes=data.model_dump(exclude_unset=True), actor=actor,
                  expected_version=expected_version)
    return link


def delete_chain_link(*, session: Session, link: ChainLink, actor: str) -> None:
    """Remove a member from a chain."""
    writes.audited_change(session=session, record=link, actor=actor, action="delete",
                          before=writes.snapshot(link), after=None)
    session.delete(link)
    writes.flush(session=session)


# --- as a bureau keeps its chains: who may, then the write ---------------------------------


def add_link(*, session: Session, user: User, data: ChainLinkCreate) -> ChainLink:
    """`user` records a member of a chain whose leader it may see (404 otherwise) and keep
    (the bureau of the leader's region)."""
    leader = access.load_visible(session, user, Enterprise, data.leader_id, "链主企业", enterprise_rules.can)
    chain_rules.require(user, access.MANAGE_CHAIN, leader)
    return create_chain_link(session=session, data=data, actor=actor_of(user))


def edit_link(*, session: Session, user: User, link: ChainLink, data: ChainLinkUpdate,
              expected_version: int | None) -> ChainLink:
    """`user` corrects a chain link it may keep."""
    chain_rules.require(user, access.EDIT, link)
    return update_chain_link(session=session, link=link, data=data, actor=actor_of(user),
                             expected_version=expected_version)


def remove_link(*, session: Session, user: User, link: ChainLink) -> None:
    """`user` removes a chain link it may keep."""
    chain_rules.require(user, access.DELETE, link)
    delete_chain_link(session=session, link=link, actor=actor_of(user))
