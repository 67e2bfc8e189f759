"""Importing an event's participant list from a workbook: all rows or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalog_builders import make_enterprise, make_provider, write_workbook
from sqlmodel import Session, select

from catalog.errors import ImportRejected, ValidationFailed
from catalog.events import imports as event_imports
from catalog.events import service as event_service
from catalog.events.models import EventCreate, EventParticipant, EventStatus
from catalog.users import service as users
from catalog.users.models import Role, User

SESSIONS = [{"name": "上午", "start": "09:00", "slots": 3}, {"name": "下午", "start": "14:00", "slots": 3}]
HEADER = ["类型", "统一社会信用代码", "单位名称", "代表人数", "参会场次"]


def _bureau(session: Session) -> User:
    return users.create_user(session=session, username="import_bureau", password="correct horse 1",
                             role=Role.BUREAU, regions=["江西省九江市"], actor="tester")


def _event(session: Session):  # type: ignore[no-untyped-def]
    event = event_service.create_event(session=session, user=None, actor="局",
                                       data=EventCreate(title="导入测试", region="江西省九江市", sessions=SESSIONS))
    event_service.change_event_status(session=session, event=event,
                                      status=EventStatus.REGISTRATION, actor="局")
    return event


def test_a_good_list_registers_and_validates_everyone(session: Session, tmp_path: Path) -> None:
    event = _event(session)
    firm, seller = make_enterprise(session), make_provider(session)
    path = write_workbook(tmp_path / "list.xlsx", {"报名表": [
        HEADER, ["企业", firm.uscc, None, None, "上午"], ["服务商", None, seller.name, 2, "全天"]]})
    added = event_imports.import_participants(session=session, event=event, file="list.xlsx",
                                              data=path.read_bytes(), user=_bureau(session), actor="局").participants
    assert [(p.side, p.sessions, p.representatives, p.validated) for p in added] == [
        ("enterprise", [0], 1, True), ("provider", [0, 1], 2, True)]


def test_a_bad_list_names_every_bad_row_and_stores_nothing(session: Session, tmp_path: Path) -> None:
    event = _event(session)
    firm = make_enterprise(session)
    session.commit()
    path = write_workbook(tmp_path / "bad.xlsx", {"报名表": [
        HEADER, ["企业", firm.uscc, None, 1, "上午"], ["机构", None, "某单位", 1, None],
        ["服务商", "91360400000000000X", None, 9, "晚上"]]})
    with pytest.raises(ImportRejected) as caught:
        event_imports.import_participants(session=session, event=event, file="bad.xlsx",
                                          data=path.read_bytes(), user=_bureau(session), actor="局")
    session.rollback()
    described = [e.describe() for e in caught.value.errors]
    assert described == [
        "bad.xlsx › 报名表 第 3 行 › 类型：应为“企业”或“服务商”（可留空）",
        "bad.xlsx › 报名表 第 4 行 › 统一社会信用代码：应为 18 位统一社会信用代码（校验位正确）",
        "bad.xlsx › 报名表 第 4 行 › 代表人数：应为 1–5 的整数",
        "bad.xlsx › 报名表 第 4 行 › 参会场次：应为本活动的场次名称（上午、下午）或“全天”，多个用顿号分隔",
    ]
    assert session.exec(select(EventParticipant)).all() == []


def test_only_a_xlsx_workbook_is_read_as_a_participant_list(session: Session, tmp_path: Path) -> None:
    """The file check is the import's own, so the API and the event page refuse alike."""
    event = _event(session)
    firm = make_enterprise(session)
    path = write_workbook(tmp_path / "list.xlsx", {"报名表": [HEADER, ["企业", firm.uscc, None, None, "上午"]]})
    bureau = _bureau(session)
    for file, shown in (("名单.csv", "名单.csv"), ("下载/名单.XLS", "名单.XLS"), ("", "未选择"), (None, "未选择")):
        with pytest.raises(ValidationFailed) as caught:
            event_imports.import_participants(session=session, event=event, file=file, data=path.read_bytes(),
                                              user=bureau, actor="局")
        assert caught.value.code == "bad_file_type"
        assert caught.value.message == f"参会名单须为 .xlsx 工作簿（所选文件：{shown}）"
    assert session.exec(select(EventParticipant)).all() == []
    assert event_imports.roster_file_name("下载/名单.XLSX") == "名单.XLSX"
