"""Writes to 产业链关系 (chain links: leader → member). Each function validates, changes, flushes
(never commits) and leaves audit entries.
"""

from __future__ import annotations

from sqlmodel import Session, select

from catalog import writes
from catalog.chains.models import ChainLink
from catalog.chains.schemas import ChainLinkCreate, ChainLinkUpdate
from catalog.enterprises.service import get_enterprise
from catalog.errors import Conflict, ValidationFailed
from catalog.records import utcnow


def get_chain_link(*, session: Session, link_id: int) -> ChainLink:
    """The chain link with this id, or NotFound."""
    return writes.get_or_404(session=session, model=ChainLink, record_id=link_id)


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
