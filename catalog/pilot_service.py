"""Writes to the pilot's records: 试点企业 (enterprises), their need lists, 产业链关系
(chain links) and 对接成果 (engagements). Each function validates, changes, flushes (never
commits) and leaves audit (and, for indexed records, outbox) entries.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

from catalog import audit
from catalog.errors import Conflict, InvalidTransition, ValidationFailed
from catalog.lead_models import LeadResponse
from catalog.listing_service import get_solution
from catalog.models import ChainLink, Engagement, EngagementStatus, Enterprise, Need, utcnow
from catalog.schemas import (
    ChainLinkCreate,
    ChainLinkUpdate,
    EngagementCreate,
    EngagementUpdate,
    EnterpriseBase,
    EnterpriseCreate,
    EnterpriseUpdate,
    NeedBase,
    NeedCreate,
    NeedUpdate,
)
from catalog.service_core import (
    conflict_on_stale,
    flush,
    get_record,
    insert_many,
    key_taken,
    probable_duplicate,
    record_change,
    snapshot,
    update_record,
)
from catalog.text import company_key

# --- 试点企业 -----------------------------------------------------------------------------


def get_enterprise(*, session: Session, enterprise_id: int) -> Enterprise:
    """The enterprise with this id, or NotFound."""
    return get_record(session=session, model=Enterprise, record_id=enterprise_id, record_type="enterprise")


def enterprise_values(data: EnterpriseBase) -> dict[str, Any]:
    """The column values of a new enterprise from validated data."""
    now = utcnow()
    return data.model_dump(include=set(EnterpriseBase.model_fields)) | {
        "name_key": company_key(data.name), "created_at": now, "updated_at": now}


def new_enterprise(data: EnterpriseCreate) -> Enterprise:
    """An unsaved Enterprise from validated data."""
    return Enterprise(**enterprise_values(data))


def create_enterprise(*, session: Session, data: EnterpriseCreate, actor: str) -> Enterprise:
    """Add a pilot enterprise; a near-identical name with another USCC is flagged."""
    if key_taken(session=session, model=Enterprise, column="uscc", value=data.uscc):
        raise Conflict(f"统一社会信用代码为 {data.uscc} 的企业已存在", code="duplicate_uscc")
    enterprise = new_enterprise(data)
    enterprise.probable_duplicate_of = probable_duplicate(
        session=session, model=Enterprise, name_key=enterprise.name_key, uscc=enterprise.uscc)
    insert_many(session=session, records=[enterprise], record_type="enterprise", actor=actor)
    return enterprise


def update_enterprise(*, session: Session, enterprise: Enterprise, data: EnterpriseUpdate, actor: str,
                      expected_version: int | None = None) -> Enterprise:
    """Change an enterprise's profile or privacy choices."""
    if data.uscc and data.uscc != enterprise.uscc and key_taken(
            session=session, model=Enterprise, column="uscc", value=data.uscc, exclude_id=enterprise.id):
        raise Conflict(f"统一社会信用代码为 {data.uscc} 的企业已存在", code="duplicate_uscc")
    update_record(session=session, record=enterprise, record_type="enterprise", data=data, actor=actor,
                  expected_version=expected_version)
    return enterprise


# --- 需求 --------------------------------------------------------------------------------


def get_need(*, session: Session, need_id: int) -> Need:
    """The need with this id, or NotFound."""
    return get_record(session=session, model=Need, record_id=need_id, record_type="need")


def _need_codes(session: Session, enterprise_id: int) -> set[str]:
    return set(session.exec(select(Need.code).where(Need.enterprise_id == enterprise_id)).all())


def need_values(data: NeedBase, *, enterprise_id: int, position: int) -> dict[str, Any]:
    """The column values of a new need from validated data (its code must be set)."""
    now = utcnow()
    return data.model_dump(include=set(NeedBase.model_fields)) | {
        "enterprise_id": enterprise_id, "position": position, "created_at": now, "updated_at": now}


def new_need(data: NeedBase, *, enterprise_id: int, position: int) -> Need:
    """An unsaved Need from validated data (its code must be set)."""
    return Need(**need_values(data, enterprise_id=enterprise_id, position=position))


def create_need(*, session: Session, enterprise: Enterprise, data: NeedCreate, actor: str) -> Need:
    """Add a line to an enterprise's need list (numbered N1, N2 … when no code is given)."""
    codes = _need_codes(session, int(enterprise.id or 0))
    code = data.code or next(f"N{i}" for i in range(len(codes) + 1, len(codes) + 10_000) if f"N{i}" not in codes)
    if code in codes:
        raise Conflict(f"需求编号“{code}”在该企业中已存在", code="duplicate_code")
    last = session.exec(select(func.max(Need.position)).where(Need.enterprise_id == enterprise.id)).one()
    need = new_need(data.model_copy(update={"code": code}), enterprise_id=int(enterprise.id or 0),
                    position=(last if last is not None else -1) + 1)
    insert_many(session=session, records=[need], record_type="need", actor=actor)
    return need


def update_need(*, session: Session, need: Need, data: NeedUpdate, actor: str,
                expected_version: int | None = None) -> Need:
    """Change one line of a need list."""
    if data.code and data.code != need.code and data.code in _need_codes(session, need.enterprise_id):
        raise Conflict(f"需求编号“{data.code}”在该企业中已存在", code="duplicate_code")
    update_record(session=session, record=need, record_type="need", data=data, actor=actor,
                  expected_version=expected_version)
    return need


def delete_need(*, session: Session, need: Need, actor: str) -> None:
    """Remove a line from a need list (and the providers' answers to it as a lead: the audit
    log keeps them)."""
    record_change(session=session, record=need, record_type="need", actor=actor, action="delete",
                  before=snapshot(need, "need"), after=None)
    for answer in session.exec(select(LeadResponse).where(LeadResponse.need_id == need.id)):
        session.delete(answer)
    session.delete(need)
    flush(session=session)


def reorder_needs(*, session: Session, enterprise: Enterprise, need_ids: list[int], actor: str) -> list[Need]:
    """Put an enterprise's needs in the given order (every one of its needs, once)."""
    needs = {n.id: n for n in session.exec(select(Need).where(Need.enterprise_id == enterprise.id)).all()}
    if len(need_ids) != len(set(need_ids)) or set(need_ids) != set(needs):
        raise ValidationFailed("排序应恰好包含该企业的全部需求，每项一次", code="bad_order")
    before = [n.id for n in sorted(needs.values(), key=lambda n: (n.position, n.id or 0))]
    for position, need_id in enumerate(need_ids):
        if needs[need_id].position != position:
            needs[need_id].position, needs[need_id].updated_at = position, utcnow()
    with conflict_on_stale():
        audit.append(session=session, actor=actor, action="reorder", record_type="enterprise",
                     record_key=str(enterprise.id), before={"need_order": before}, after={"need_order": need_ids})
    flush(session=session)
    return [needs[i] for i in need_ids]


# --- 产业链关系 ---------------------------------------------------------------------------


def get_chain_link(*, session: Session, link_id: int) -> ChainLink:
    """The chain link with this id, or NotFound."""
    return get_record(session=session, model=ChainLink, record_id=link_id, record_type="chain_link")


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
    insert_many(session=session, records=[link], record_type="chain_link", actor=actor)
    return link


def update_chain_link(*, session: Session, link: ChainLink, data: ChainLinkUpdate, actor: str,
                      expected_version: int | None = None) -> ChainLink:
    """Change a link's relation, share or upstream member."""
    if data.via_id is not None:
        _check_link(session, link.leader_id, link.member_id, data.via_id)
    update_record(session=session, record=link, record_type="chain_link", data=data, actor=actor,
                  expected_version=expected_version)
    return link


def delete_chain_link(*, session: Session, link: ChainLink, actor: str) -> None:
    """Remove a member from a chain."""
    record_change(session=session, record=link, record_type="chain_link", actor=actor, action="delete",
                  before=snapshot(link, "chain_link"), after=None)
    session.delete(link)
    flush(session=session)


# --- 对接成果 -----------------------------------------------------------------------------

_ENGAGEMENT_FINAL = {EngagementStatus.ACCEPTED.value, EngagementStatus.TERMINATED.value}


def get_engagement(*, session: Session, engagement_id: int) -> Engagement:
    """The engagement with this id, or NotFound."""
    return get_record(session=session, model=Engagement, record_id=engagement_id, record_type="engagement")


def create_engagement(*, session: Session, data: EngagementCreate, actor: str) -> Engagement:
    """Record an enterprise's intention (意向) to use a solution; its provider follows the solution.

    Every engagement starts as 意向: later states are reached only through the workflow's
    actions in catalog/engagement_service.py (sign, start, propose/confirm acceptance, terminate).
    """
    solution = get_solution(session=session, solution_id=data.solution_id)
    enterprise = get_enterprise(session=session, enterprise_id=data.enterprise_id)
    now = utcnow()
    engagement = Engagement(enterprise_id=data.enterprise_id, solution_id=data.solution_id,
                            provider_id=solution.provider_id, status=EngagementStatus.INTENT.value,
                            level_before=enterprise.level, created_at=now, updated_at=now)
    insert_many(session=session, records=[engagement], record_type="engagement", actor=actor)
    return engagement


def update_engagement(*, session: Session, engagement: Engagement, data: EngagementUpdate, actor: str,
                      expected_version: int | None = None) -> Engagement:
    """Correct the figures of an open engagement; an accepted or terminated one stays as it is."""
    if engagement.status in _ENGAGEMENT_FINAL:
        raise InvalidTransition(f"对接已是“{engagement.status}”，不能再修改", code="engagement_closed")
    update_record(session=session, record=engagement, record_type="engagement", data=data, actor=actor,
                  expected_version=expected_version)
    return engagement
