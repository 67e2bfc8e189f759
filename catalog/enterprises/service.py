"""Writes to 试点企业 (enterprises) and their need lists. Each function validates, changes,
flushes (never commits) and leaves audit (and, for indexed records, outbox) entries.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

from catalog.audit import service as audit
from catalog.enterprises.models import Enterprise, Need, Priority
from catalog.enterprises.schemas import (
    EnterpriseBase,
    EnterpriseCreate,
    EnterpriseUpdate,
    NeedBase,
    NeedCreate,
    NeedUpdate,
)
from catalog.errors import Conflict, ValidationFailed
from catalog.language.text import company_key
from catalog.leads.models import LeadResponse
from catalog.records import utcnow
from catalog.writes import (
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

DEFAULT_PRIORITY = Priority.MEDIUM.value  # a new need given no priority

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
        "priority": data.priority or DEFAULT_PRIORITY, "enterprise_id": enterprise_id, "position": position,
        "created_at": now, "updated_at": now}


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
    """Change one line of a need list (a blank priority leaves it as it is)."""
    if "priority" in data.model_fields_set and not data.priority:
        data = NeedUpdate.model_validate(data.model_dump(exclude_unset=True, exclude={"priority"}))
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


# --- 对接成果 -----------------------------------------------------------------------------


