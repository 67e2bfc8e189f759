"""An enterprise's need list is ordered by catalog/enterprises/service.py alone: a move swaps a
need with its neighbour, sorting by priority keeps the order within each priority, and both go
through `reorder_needs` (one audited `reorder` entry each, none for a move past the end)."""

from __future__ import annotations

from catalog_builders import make_enterprise, make_need
from sqlmodel import Session, col, select

from catalog.audit.models import AuditEntry
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise


def _texts(session: Session, enterprise: Enterprise) -> list[str]:
    ids = enterprise_service.ordered_need_ids(session=session, enterprise=enterprise)
    return [enterprise_service.get_need(session=session, need_id=i).text for i in ids]


def _reorders(session: Session) -> int:
    session.flush()
    return len(session.exec(select(AuditEntry.id).where(col(AuditEntry.action) == "reorder")).all())


def test_move_and_sort_the_need_list(session: Session) -> None:
    firm = make_enterprise(session)
    low = make_need(session, firm, "财务报销太慢", priority="低")
    make_need(session, firm, "设备突然停机", priority="高")
    make_need(session, firm, "质量追不到批次", priority="中")
    make_need(session, firm, "仓库找料难", priority="高")
    assert not enterprise_service.move_need(session=session, enterprise=firm, need=low, up=True, actor="tester")
    assert _reorders(session) == 0
    assert enterprise_service.move_need(session=session, enterprise=firm, need=low, up=False, actor="tester")
    assert _texts(session, firm) == ["设备突然停机", "财务报销太慢", "质量追不到批次", "仓库找料难"]
    enterprise_service.sort_needs_by_priority(session=session, enterprise=firm, actor="tester")
    assert _texts(session, firm) == ["设备突然停机", "仓库找料难", "质量追不到批次", "财务报销太慢"]
    assert _reorders(session) == 2
    other = make_enterprise(session, "e2")
    stranger = make_need(session, other, "别家的需求")
    assert not enterprise_service.move_need(session=session, enterprise=firm, need=stranger, up=True, actor="tester")
