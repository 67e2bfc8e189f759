"""The audit log names a person the same way whichever door the change came through."""

from __future__ import annotations

from page_helpers import login, post_form
from sqlmodel import Session, col, select

from catalog.audit.models import AuditEntry
from catalog.db import get_engine
from catalog.enterprises.models import Need


def _actor_of_need(url: str, text: str) -> str:
    with Session(get_engine(url)) as session:
        need = session.exec(select(Need).where(Need.text == text)).one()
        entry = session.exec(select(AuditEntry).where(AuditEntry.record_type == "need",
                                                      AuditEntry.record_key == str(need.id))
                             .order_by(col(AuditEntry.id))).first()
        assert entry is not None
        return entry.actor


def test_a_need_added_by_page_and_by_api_is_audited_under_one_name(page_client, world, database_url, as_user):
    enterprise_id = world.ids["member_sharing"]
    answer = page_client.post(f"/api/enterprises/{enterprise_id}/needs", headers=as_user("ent_sharing"),
                              json={"text": "设备点检全靠纸质记录", "priority": "中"})
    assert answer.status_code == 201, answer.text
    login(page_client, "ent_sharing")
    assert post_form(page_client, "/enterprise/needs", {"text": "订单交期总是延误", "priority": "高"}).status_code == 303
    by_api, by_page = _actor_of_need(database_url, "设备点检全靠纸质记录"), _actor_of_need(database_url, "订单交期总是延误")
    assert by_api == by_page == "enterprise:ent_sharing"
