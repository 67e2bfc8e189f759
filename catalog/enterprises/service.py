"""Writes to 试点企业 (enterprises) and their need lists. Each function validates, changes,
flushes (never commits) and leaves audit (and, for indexed records, outbox) entries.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from catalog import access, writes
from catalog.audit import service as audit
from catalog.enterprises import permissions as enterprise_rules
from catalog.enterprises.models import Enterprise, Need, Priority
from catalog.enterprises.queries import NEED_ORDER
from catalog.enterprises.schemas import (
    EnterpriseBase,
    EnterpriseCreate,
    EnterpriseUpdate,
    NeedBase,
    NeedCreate,
    NeedUpdate,
)
from catalog.errors import Conflict, Forbidden, ValidationFailed
from catalog.language.text import company_key
from catalog.leads.models import LeadResponse
from catalog.records import utcnow
from catalog.users.models import User
from catalog.users.service import actor_of

DEFAULT_PRIORITY = Priority.MEDIUM.value  # a new need given no priority

# --- 试点企业 -----------------------------------------------------------------------------


def get_enterprise(*, session: Session, enterprise_id: int) -> Enterprise:
    """The enterprise with this id, or NotFound."""
    return writes.get_or_404(session=session, model=Enterprise, record_id=enterprise_id)


def enterprise_values(data: EnterpriseBase) -> dict[str, Any]:
    """The column values of a new enterprise from validated data."""
    now = utcnow()
    return data.model_dump(include=set(EnterpriseBase.model_fields)) | {
        "name_key": company_key(data.name), "created_at": now, "updated_at": now}


def new_enterprise(data: EnterpriseCreate) -> Enterprise:
    """An unsaved Enterprise from validated data."""
    return Enterprise(**enterprise_values(data))


def _require_uscc_free(session: Session, uscc: str, exclude_id: int | None = None) -> None:
    """Conflict when another enterprise already has this USCC."""
    query = select(Enterprise.id).where(Enterprise.uscc == uscc)
    if exclude_id is not None:
        query = query.where(Enterprise.id != exclude_id)
    if session.exec(query.limit(1)).first() is not None:
        raise Conflict(f"统一社会信用代码为 {uscc} 的企业已存在", code="duplicate_uscc")


def _probable_duplicate(session: Session, enterprise: Enterprise) -> int | None:
    """The id of an existing enterprise with the same name key but another USCC."""
    if not enterprise.name_key:
        return None
    query = select(Enterprise.id).where(Enterprise.name_key == enterprise.name_key,
                                        Enterprise.uscc != enterprise.uscc)
    return session.exec(query.order_by(col(Enterprise.id)).limit(1)).first()


def enterprise_of(*, session: Session, user: User) -> Enterprise:
    """The enterprise this account speaks for (Forbidden when it is bound to none)."""
    if user.enterprise_id is None:
        raise Forbidden("no_enterprise", "该账号未绑定企业，请联系主管部门")
    enterprise = get_enterprise(session=session, enterprise_id=user.enterprise_id)
    enterprise_rules.require(user, access.VIEW, enterprise)
    return enterprise


def register_enterprise(*, session: Session, user: User, data: EnterpriseCreate) -> Enterprise:
    """A bureau registers a pilot enterprise of its own regions (the API's and the page's
    registration alike)."""
    access.require_region(user, data.region)
    return create_enterprise(session=session, data=data, actor=actor_of(user))


def create_enterprise(*, session: Session, data: EnterpriseCreate, actor: str) -> Enterprise:
    """Add a pilot enterprise; a near-identical name with another USCC is flagged."""
    _require_uscc_free(session, data.uscc)
    enterprise = new_enterprise(data)
    enterprise.probable_duplicate_of = _probable_duplicate(session, enterprise)
    writes.create(session=session, records=[enterprise], actor=actor)
    return enterprise


def update_enterprise(*, session: Session, enterprise: Enterprise, data: EnterpriseUpdate, actor: str,
                      expected_version: int | None = None) -> Enterprise:
    """Change an enterprise's profile or privacy choices."""
    if data.uscc and data.uscc != enterprise.uscc:
        _require_uscc_free(session, data.uscc, exclude_id=enterprise.id)
    writes.update(session=session, record=enterprise, changes=data.model_dump(exclude_unset=True), actor=actor,
                  expected_version=expected_version)
    return enterprise


def edit_enterprise(*, session: Session, user: User, enterprise: Enterprise, data: EnterpriseUpdate,
                    expected_version: int | None) -> Enterprise:
    """`user`'s edit of an enterprise, as every front door makes it: the user must be allowed
    to edit it, its privacy choices are the enterprise's own and its identity and standing in
    the pilot the bureau's (catalog/enterprises/permissions.py)."""
    enterprise_rules.require(user, access.EDIT, enterprise)
    enterprise_rules.require_fields(user, enterprise, data.model_dump(exclude_unset=True))
    return update_enterprise(session=session, enterprise=enterprise, data=data, actor=actor_of(user),
                             expected_version=expected_version)


# --- 需求 --------------------------------------------------------------------------------


def get_need(*, session: Session, need_id: int) -> Need:
    """The need with this id, or NotFound."""
    return writes.get_or_404(session=session, model=Need, record_id=need_id)


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
    writes.create(session=session, records=[need], actor=actor)
    return need


def update_need(*, session: Session, need: Need, data: NeedUpdate, actor: str,
                expected_version: int | None = None) -> Need:
    """Change one line of a need list (a blank priority leaves it as it is)."""
    if "priority" in data.model_fields_set and not data.priority:
        data = NeedUpdate.model_validate(data.model_dump(exclude_unset=True, exclude={"priority"}))
    if data.code and data.code != need.code and data.code in _need_codes(session, need.enterprise_id):
        raise Conflict(f"需求编号“{data.code}”在该企业中已存在", code="duplicate_code")
    writes.update(session=session, record=need, changes=data.model_dump(exclude_unset=True), actor=actor,
                  expected_version=expected_version)
    return need


def delete_need(*, session: Session, need: Need, actor: str) -> None:
    """Remove a line from a need list (and the providers' answers to it as a lead: the audit
    log keeps them)."""
    writes.audited_change(session=session, record=need, actor=actor, action="delete",
                          before=writes.snapshot(need), after=None)
    for answer in session.exec(select(LeadResponse).where(LeadResponse.need_id == need.id)):
        session.delete(answer)
    session.delete(need)
    writes.flush(session=session)


def reorder_needs(*, session: Session, enterprise: Enterprise, need_ids: list[int], actor: str) -> list[Need]:
    """Put an enterprise's needs in the given order (every one of its needs, once)."""
    needs = {n.id: n for n in session.exec(select(Need).where(Need.enterprise_id == enterprise.id)).all()}
    if len(need_ids) != len(set(need_ids)) or set(need_ids) != set(needs):
        raise ValidationFailed("排序应恰好包含该企业的全部需求，每项一次", code="bad_order")
    before = [n.id for n in sorted(needs.values(), key=lambda n: (n.position, n.id or 0))]
    for position, need_id in enumerate(need_ids):
        if needs[need_id].position != position:
            needs[need_id].position, needs[need_id].updated_at = position, utcnow()
    with writes.conflict_on_stale():  # the order is audited, not indexed: no outbox entry
        audit.append(session=session, actor=actor, action="reorder", record_type=Enterprise.audit_type,
                     record_key=str(enterprise.id), before={"need_order": before}, after={"need_order": need_ids})
    writes.flush(session=session)
    return [needs[i] for i in need_ids]


def ordered_need_ids(*, session: Session, enterprise: Enterprise) -> list[int]:
    """The enterprise's needs as its list shows them (position, then id)."""
    rows = session.exec(select(Need.id).where(Need.enterprise_id == enterprise.id)
                        .order_by(*NEED_ORDER)).all()
    return [int(i) for i in rows if i is not None]


def move_need(*, session: Session, enterprise: Enterprise, need: Need, up: bool, actor: str) -> bool:
    """Swap a need with the one above (or below) it, through `reorder_needs`; False when it is
    first (last) already or not this enterprise's, nothing changed."""
    order = ordered_need_ids(session=session, enterprise=enterprise)
    at = order.index(need.id) if need.id in order else -1
    step = -1 if up else 1
    if at < 0 or not 0 <= at + step < len(order):
        return False
    order[at], order[at + step] = order[at + step], order[at]
    reorder_needs(session=session, enterprise=enterprise, need_ids=order, actor=actor)
    return True


PRIORITY_RANK = {Priority.HIGH.value: 0, Priority.MEDIUM.value: 1, Priority.LOW.value: 2}


def sort_needs_by_priority(*, session: Session, enterprise: Enterprise, actor: str) -> list[Need]:
    """Order the list by priority (高 → 中 → 低), keeping the order within each priority."""
    needs = session.exec(select(Need).where(Need.enterprise_id == enterprise.id)
                         .order_by(*NEED_ORDER)).all()
    ranked = sorted(needs, key=lambda n: PRIORITY_RANK.get(n.priority, PRIORITY_RANK[DEFAULT_PRIORITY]))
    return reorder_needs(session=session, enterprise=enterprise, need_ids=[int(n.id or 0) for n in ranked],
                         actor=actor)


# --- 需求, as a user changes them: every front door's rule -----------------------------------
# Each requires the user's permission (catalog/enterprises/permissions.py: MANAGE_NEEDS on the
# enterprise, EDIT or DELETE on a need), names the user as the actor, then makes the plain write
# above (which seeds and imports, having no user, call directly).


def editable_need(*, session: Session, user: User, need_id: int) -> Need:
    """The need `user` is editing: one it may see (NotFound otherwise) and edit (Forbidden)."""
    need = access.load_visible(session, user, Need, need_id, "需求", enterprise_rules.can)
    enterprise_rules.require(user, access.EDIT, need)
    return need


def add_need(*, session: Session, user: User, enterprise: Enterprise, data: NeedCreate) -> Need:
    """`user` adds a line to the enterprise's need list (`create_need`)."""
    enterprise_rules.require(user, access.MANAGE_NEEDS, enterprise)
    return create_need(session=session, enterprise=enterprise, data=data, actor=actor_of(user))


def edit_need(*, session: Session, user: User, need: Need, data: NeedUpdate,
              expected_version: int | None) -> Need:
    """`user` changes one line of a need list (`update_need`)."""
    enterprise_rules.require(user, access.EDIT, need)
    return update_need(session=session, need=need, data=data, actor=actor_of(user),
                       expected_version=expected_version)


def remove_need(*, session: Session, user: User, need: Need) -> None:
    """`user` removes a line from a need list (`delete_need`)."""
    enterprise_rules.require(user, access.DELETE, need)
    delete_need(session=session, need=need, actor=actor_of(user))


def rearrange_needs(*, session: Session, user: User, enterprise: Enterprise, need_ids: list[int]) -> list[Need]:
    """`user` puts the enterprise's needs in the given order (`reorder_needs`)."""
    enterprise_rules.require(user, access.MANAGE_NEEDS, enterprise)
    return reorder_needs(session=session, enterprise=enterprise, need_ids=need_ids, actor=actor_of(user))


def shift_need(*, session: Session, user: User, enterprise: Enterprise, need: Need, up: bool) -> bool:
    """`user` moves a need one place up (or down) the enterprise's list (`move_need`): it must
    manage the list and may edit the need."""
    enterprise_rules.require(user, access.MANAGE_NEEDS, enterprise)
    enterprise_rules.require(user, access.EDIT, need)
    return move_need(session=session, enterprise=enterprise, need=need, up=up, actor=actor_of(user))


def rank_needs_by_priority(*, session: Session, user: User, enterprise: Enterprise) -> list[Need]:
    """`user` orders the enterprise's list by priority (`sort_needs_by_priority`)."""
    enterprise_rules.require(user, access.MANAGE_NEEDS, enterprise)
    return sort_needs_by_priority(session=session, enterprise=enterprise, actor=actor_of(user))


# --- 产业链关系 ---------------------------------------------------------------------------


# --- 对接成果 -----------------------------------------------------------------------------


