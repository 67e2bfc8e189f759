"""Importing an event's participant list from a workbook (the bureau's 报名表).

One sheet, a header row with the columns 类型 (企业 / 服务商), 统一社会信用代码 (or 单位名称),
代表人数 (default 1), 参会场次 (session names separated by 、；, or 全天; default every session).
Every row is checked first; with any bad row nothing is stored (ImportRejected lists them all).
Imported participants are validated at once: the bureau itself vouches for its list.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from sqlmodel import Session, select

from catalog import event_service
from catalog.errors import ImportRejected, MarketError, RowError
from catalog.event_models import Event, EventParticipant, ParticipantCreate
from catalog.models import Enterprise, Provider
from catalog.text import split_multi

COLUMNS = ("类型", "统一社会信用代码", "单位名称", "代表人数", "参会场次")


def _rows(data: bytes, file: str) -> tuple[str, list[dict[str, Any]]]:
    try:
        sheet = load_workbook(BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a non-workbook
        raise ImportRejected([RowError(file, "", None, "", None, "无法读取该文件，请上传 .xlsx 工作簿")]) from error
    values = list(sheet.iter_rows(values_only=True))
    if not values:
        return sheet.title, []
    header = [str(v or "").strip() for v in values[0]]
    rows = [dict(zip(header, row, strict=False)) for row in values[1:]
            if any(v not in (None, "") for v in row)]
    return sheet.title, rows


def _find(session: Session, model: Any, uscc: str, name: str) -> Any:
    if uscc:
        return session.exec(select(model).where(model.uscc == uscc)).first()
    return session.exec(select(model).where(model.name == name)).first() if name else None


def _sessions(event: Event, raw: str) -> list[int] | None:
    if not raw or raw == "全天":
        return None
    names = [str(s.get("name", "")) for s in event.sessions]
    return [names.index(part) if part in names else -1 for part in split_multi(raw)]


def _parse(session: Session, event: Event, row: dict[str, Any], where: tuple[str, str, int]
           ) -> tuple[ParticipantCreate | None, list[RowError]]:
    file, sheet, number = where
    kind = str(row.get("类型") or "").strip()
    uscc = str(row.get("统一社会信用代码") or "").strip()
    name = str(row.get("单位名称") or "").strip()
    errors = []
    if kind not in ("企业", "服务商"):
        errors.append(RowError(file, sheet, number, "类型", kind, "应为“企业”或“服务商”"))
    model = Enterprise if kind == "企业" else Provider
    record = _find(session, model, uscc, name) if not errors else None
    if not errors and record is None:
        errors.append(RowError(file, sheet, number, "统一社会信用代码" if uscc else "单位名称",
                               uscc or name, f"平台中没有该{kind}，请先导入{kind}名录"))
    reps = row.get("代表人数") or 1
    if not isinstance(reps, int | float) or not 1 <= int(reps) <= 5:
        errors.append(RowError(file, sheet, number, "代表人数", reps, "应为 1–5 的整数"))
    sessions = _sessions(event, str(row.get("参会场次") or "").strip())
    if sessions is not None and (not sessions or -1 in sessions):
        names = "、".join(str(s.get("name")) for s in event.sessions)
        errors.append(RowError(file, sheet, number, "参会场次", row.get("参会场次"),
                               f"应为本活动的场次（{names}）或“全天”"))
    if errors or record is None:
        return None, errors
    key = "enterprise_id" if kind == "企业" else "provider_id"
    return ParticipantCreate(**{key: record.id}, representatives=int(reps), sessions=sessions), []


def import_participants(*, session: Session, event: Event, data: bytes, file: str,
                        actor: str) -> list[EventParticipant]:
    """Register (and validate) every row of a participant workbook, or nothing."""
    sheet, rows = _rows(data, file)
    errors: list[RowError] = []
    parsed: list[tuple[int, ParticipantCreate]] = []
    for number, row in enumerate(rows, start=2):
        item, bad = _parse(session, event, row, (file, sheet, number))
        errors += bad
        if item is not None:
            parsed.append((number, item))
    if not rows:
        errors.append(RowError(file, sheet, None, "", None, "工作表中没有参会方"))
    if errors:
        raise ImportRejected(errors)
    added = []
    for number, item in parsed:
        try:
            person = event_service.register(session=session, event=event, data=item, actor=actor,
                                            by_bureau=True)
        except MarketError as error:
            errors.append(RowError(file, sheet, number, "", None, error.message))
            continue
        added.append(event_service.validate_participant(session=session, participant=person,
                                                        actor=actor))
    if errors:
        raise ImportRejected(errors)
    return added
