"""Importing an event's participant list (the bureau's 报名表) from a workbook.

One sheet (one titled 报名表/参会方/参会名单, else the first), a header row, then one
participant a row: 统一社会信用代码 or 单位名称 (an enterprise or a provider already in
the catalogue), 类型 (企业/服务商; optional, it narrows the look-up), 代表人数 (1–5,
default 1), 参会场次 (session names separated by 、，；; blank or 全天: every session),
是否确认 (是/否, default 是: the bureau vouches for its own list). Who may be on the list is
the rule of a single registration by the bureau (catalog.events.permissions.can_enrol):
enterprises of the bureau's own regions (it never learns of another region's enterprises this
way), providers of its regions or published. The workbook is read by the hardened reader
(catalog.xlsx). Every row is checked first; one bad row rejects the whole list, every error
named (sheet, row, column, value, what was expected), and nothing is stored. A file that is no
.xlsx workbook is refused before it is read (`roster_file_name`), in the same words through the
API and the event page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from catalog import xlsx
from catalog.enterprises.models import Enterprise
from catalog.errors import ImportRejected, RowError, ValidationFailed
from catalog.events import permissions as event_rules
from catalog.events import service as event_service
from catalog.events.models import Event, EventParticipant, ParticipantCreate
from catalog.language.text import clean_value, normalize
from catalog.providers.models import Provider
from catalog.users.models import User
from catalog.validation import uscc_is_valid

SHEET_TITLES = ("报名表", "参会方", "参会名单")
COLUMNS = {"类型": "kind", "统一社会信用代码": "uscc", "单位名称": "name", "代表人数": "representatives",
           "参会场次": "sessions", "是否确认": "validated"}
MAX_ROWS = 2_000
Fail = Callable[[int | None, str, Any, str], None]  # (row, column, value, message) → recorded
_SPLIT = re.compile(r"[、,，;；/\s]+")
_YES = {"是", "确认", "已确认", "y", "yes", "1", "true"}
_NO = {"否", "待确认", "n", "no", "0", "false"}


@dataclass
class RosterReport:
    """What an accepted list stored."""

    participants: list[EventParticipant]

    @property
    def registered(self) -> int:
        return len(self.participants)

    @property
    def validated(self) -> int:
        return sum(1 for p in self.participants if p.validated)

    def summary_zh(self) -> str:
        return f"已导入 {self.registered} 个参会方，其中 {self.validated} 个已确认参会资格"


@dataclass
class _Row:
    number: int
    data: ParticipantCreate
    validated: bool


def roster_file_name(file: str | None) -> str:
    """The name of an uploaded participant list without its folders, or ValidationFailed unless
    it names a .xlsx workbook (no file chosen included)."""
    name = Path(file or "").name
    if Path(name).suffix.lower() != ".xlsx":
        message = f"参会名单须为 .xlsx 工作簿（所选文件：{name or '未选择'}）"
        raise ValidationFailed("bad_file_type", message, details=[{"field": "file", "message": message}])
    return name


def import_participants(*, session: Session, event: Event, data: bytes, file: str | None, user: User,
                        actor: str) -> RosterReport:
    """Register every participant of the workbook `data` (file name `file`, checked by
    `roster_file_name`) for `event`, which the bureau `user` manages, or none.

    Raises:
        ValidationFailed: `file` is not a .xlsx workbook.
        ImportRejected: the workbook cannot be read or a row is wrong (every row error listed).
        InvalidTransition: the event no longer takes registrations.
    """
    name = roster_file_name(file)
    errors: list[RowError] = []
    rows = _read(data, name, event, session, user, errors)
    if errors:
        raise ImportRejected(errors)
    added = []
    for row in rows:
        person = event_service.register(session=session, event=event, data=row.data, actor=actor,
                                        by_bureau=True)
        if row.validated:
            event_service.validate_participant(session=session, event=event, participant_id=person.id or 0,
                                                   actor=actor)
        added.append(person)
    return RosterReport(added)


def _read(content: bytes, filename: str, event: Event, session: Session, user: User,
          errors: list[RowError]) -> list[_Row]:
    try:
        with xlsx.open_workbook(io.BytesIO(content)) as workbook:
            titles = workbook.sheetnames
            title = next((t for t in titles if t.strip() in SHEET_TITLES), titles[0] if titles else None)
            if title is None:
                errors.append(RowError(filename, "", None, "", None, "工作簿中没有工作表"))
                return []
            return _rows(list(xlsx.sheet_rows(workbook, title)), filename, title, event, session, user, errors)
    except xlsx.WorkbookRejected as exc:
        errors.append(RowError(filename, exc.sheet, None, "", None, exc.message_zh))
        return []


def _rows(cells: list[tuple[int, dict[int, Any]]], filename: str, sheet: str, event: Event,
          session: Session, user: User, errors: list[RowError]) -> list[_Row]:
    def fail(row: int | None, column: str, value: Any, message: str) -> None:
        errors.append(RowError(filename, sheet, row, column, value, message))

    if not cells:
        fail(None, "", None, "工作表为空：第一行应为列标题（统一社会信用代码、代表人数、参会场次、是否确认）")
        return []
    header_row, header = cells[0]
    positions = {i: COLUMNS[str(v).strip()] for i, v in header.items() if v is not None and str(v).strip() in COLUMNS}
    if not {"uscc", "name"} & set(positions.values()):
        fail(header_row, "统一社会信用代码", None, "缺少必填列“统一社会信用代码”（或“单位名称”）")
        return []
    if len(cells) - 1 > MAX_ROWS:
        fail(None, "", len(cells) - 1, f"一次最多导入 {MAX_ROWS} 个参会方")
        return []
    names = {normalize(s.get("name", "")): i for i, s in enumerate(event.sessions)}
    seen: dict[str, int] = {}
    out: list[_Row] = []
    for number, values in cells[1:]:
        record = {key: values.get(i) for i, key in positions.items()}
        if all(v is None or str(v).strip() == "" for v in record.values()):
            continue
        before = len(errors)
        parsed = _row(number, record, names, event, session, user, fail)
        if parsed is not None:
            key = f"e{parsed.data.enterprise_id}" if parsed.data.enterprise_id else f"p{parsed.data.provider_id}"
            if key in seen:
                fail(number, "统一社会信用代码", record.get("uscc") or record.get("name"),
                     f"与第 {seen[key]} 行是同一单位")
            seen.setdefault(key, number)
        if parsed is not None and len(errors) == before:
            out.append(parsed)
    return out


def _row(number: int, record: dict[str, Any], names: dict[str, int], event: Event, session: Session,
         user: User, fail: Fail) -> _Row | None:
    found = _holder(number, record, session, fail)
    data = _admissible(number, found, event, session, user, fail) if found is not None else None
    representatives = _representatives(record.get("representatives"))
    if representatives is None:
        fail(number, "代表人数", record.get("representatives"), "应为 1–5 的整数")
    sessions = _sessions(record.get("sessions"), names)
    if sessions is None:
        fail(number, "参会场次", record.get("sessions"),
             "应为本活动的场次名称（" + "、".join(n for n in names if n) + "）或“全天”，多个用顿号分隔")
    validated = _flag(record.get("validated"))
    if validated is None:
        fail(number, "是否确认", record.get("validated"), "应为“是”或“否”")
    if data is None or representatives is None or sessions is None or validated is None:
        return None
    data.sessions, data.representatives = sessions, representatives
    return _Row(number, data, validated)


def _admissible(number: int, found: tuple[Enterprise | None, Provider | None], event: Event,
                session: Session, user: User, fail: Fail) -> ParticipantCreate | None:
    """The registration of a found record, unless the bureau may not register it
    (catalog.events.permissions.can_enrol) or it is registered already."""
    enterprise, provider = found
    party = enterprise or provider
    if party is None:
        return None
    code = party.uscc
    refusal = event_rules.enrol_refusal(user, party)
    if refusal is not None:
        fail(number, "统一社会信用代码", code, refusal)
        return None
    data = ParticipantCreate(enterprise_id=enterprise.id if enterprise else None,
                             provider_id=provider.id if provider else None)
    if event_service.existing_registration(session, event.id or 0, data) is not None:
        fail(number, "统一社会信用代码", code, "该单位已报名本活动")
        return None
    return data


def _holder(number: int, record: dict[str, Any], session: Session,
            fail: Fail) -> tuple[Enterprise | None, Provider | None] | None:
    """The enterprise or the provider a row names (by code, else by name), or None with the
    error told."""
    kind = clean_value(str(record.get("kind") or ""))
    if kind not in ("", "企业", "服务商"):
        fail(number, "类型", record.get("kind"), "应为“企业”或“服务商”（可留空）")
        return None
    code = clean_value(str(record.get("uscc") or "")).upper()
    name = clean_value(str(record.get("name") or ""))
    if code and not uscc_is_valid(code):
        fail(number, "统一社会信用代码", record.get("uscc"), "应为 18 位统一社会信用代码（校验位正确）")
        return None
    if not code and not name:
        fail(number, "统一社会信用代码", None, "请填写统一社会信用代码或单位名称")
        return None
    value = code or name
    if kind != "服务商":
        column = Enterprise.uscc if code else Enterprise.name
        enterprise = session.exec(select(Enterprise).where(column == value)).first()
        if enterprise is not None:
            return enterprise, None
    if kind != "企业":
        column = Provider.uscc if code else Provider.name
        provider = session.exec(select(Provider).where(column == value)).first()
        if provider is not None:
            return None, provider
    what = kind or "企业或服务商"
    fail(number, "统一社会信用代码" if code else "单位名称", code or name, f"平台中没有该{what}，请先导入其档案")
    return None


def _representatives(value: Any) -> int | None:
    if value is None or str(value).strip() == "":
        return 1
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1 <= number <= 5 else None


def _sessions(value: Any, names: dict[str, int]) -> list[int] | None:
    text = normalize(str(value or ""))
    if not text or text in {"全部", "全天", "全部场次"}:
        return None if not names else list(range(len(names)))
    wanted = [part for part in _SPLIT.split(text) if part]
    if any(part not in names for part in wanted):
        return None
    return sorted({names[part] for part in wanted})


def _flag(value: Any) -> bool | None:
    text = normalize(str(value if value is not None else ""))
    if not text:
        return True
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None
