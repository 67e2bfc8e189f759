"""The bureau's participant list (.xlsx) for an event: all rows registered, or every row
error named and nothing stored."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook
from web_builders import JIUJIANG, World

from catalog.validation import make_uscc

SESSIONS = [{"name": "上午", "start": "09:00", "slot_minutes": 20, "slots": 3},
            {"name": "下午", "start": "14:00", "slot_minutes": 20, "slots": 3}]
HEADER = ["统一社会信用代码", "代表人数", "参会场次", "是否确认"]


def _workbook(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "参会方"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _event(client: TestClient, as_user: Any) -> int:
    body = {"title": "化工行业供需对接会", "region": JIUJIANG, "sessions": SESSIONS, "tables": 4}
    response = client.post("/api/events", json=body, headers=as_user("jj_bureau"))
    assert response.status_code == 201, response.text
    event_id = int(response.json()["id"])
    opened = client.post(f"/api/events/{event_id}/status", json={"status": "报名中"}, headers=as_user("jj_bureau"))
    assert opened.status_code == 200, opened.text
    return event_id


def _upload(client: TestClient, as_user: Any, event_id: int, content: bytes, user: str = "jj_bureau") -> Any:
    files = {"file": ("参会名单.xlsx", content,
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    return client.post(f"/api/events/{event_id}/participants/import", files=files, headers=as_user(user))


def _participants(client: TestClient, as_user: Any, event_id: int) -> list[dict[str, Any]]:
    response = client.get(f"/api/events/{event_id}/participants", headers=as_user("jj_bureau"))
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


def test_a_valid_list_registers_everyone(client: TestClient, world: World, as_user: Any) -> None:
    event_id = _event(client, as_user)
    content = _workbook([
        [make_uscc("九江云联设备科技有限公司"), 2, "上午、下午", "是"],
        [make_uscc("九江化工配套有限公司"), None, "下午", None],
        [make_uscc("九江助剂材料有限公司"), 1, "", "否"],
    ])
    response = _upload(client, as_user, event_id, content)
    assert response.status_code == 201, response.text
    assert (response.json()["count"], response.json()["validated"]) == (3, 2)
    assert response.json()["summary"] == "已导入 3 个参会方，其中 2 个已确认参会资格"
    people = {p["name"]: p for p in _participants(client, as_user, event_id)}
    assert people["九江云联设备科技有限公司"]["representatives"] == 2
    assert people["九江云联设备科技有限公司"]["sessions"] == [0, 1]
    assert people["九江化工配套有限公司"]["sessions"] == [1] and people["九江化工配套有限公司"]["validated"]
    assert not people["九江助剂材料有限公司"]["validated"]


def test_every_bad_row_is_named_and_nothing_is_stored(client: TestClient, world: World, as_user: Any) -> None:
    event_id = _event(client, as_user)
    good = make_uscc("九江云联设备科技有限公司")
    content = _workbook([
        [good, 1, "上午", "是"],                                # fine, but the list is refused
        ["91360400MA00000000", 1, "", ""],                      # check digit wrong
        [make_uscc("不存在的有限公司"), 1, "", ""],              # not in the catalogue
        [make_uscc("新乡起重部件有限公司"), 1, "", ""],          # another region's enterprise
        [make_uscc("九江化工配套有限公司"), 9, "晚上", "也许"],  # three bad cells
        [good, 1, "", ""],                                     # repeated
    ])
    response = _upload(client, as_user, event_id, content)
    assert response.status_code == 422, response.text
    errors = [(e["row"], e["column"]) for e in response.json()["details"]]
    assert errors == [(3, "统一社会信用代码"), (4, "统一社会信用代码"), (5, "统一社会信用代码"),
                      (6, "代表人数"), (6, "参会场次"), (6, "是否确认"), (7, "统一社会信用代码")]
    messages = " ".join(e["message"] for e in response.json()["details"])
    assert "校验位" in messages and "没有该企业或服务商" in messages and "不在本辖区内" in messages
    assert "上午、下午" in messages and "与第 2 行是同一单位" in messages
    assert _participants(client, as_user, event_id) == []

    again = _upload(client, as_user, event_id, _workbook([[good, 1, "", ""]]))
    assert again.status_code == 201
    twice = _upload(client, as_user, event_id, _workbook([[good, 1, "", ""]]))
    assert twice.status_code == 422 and "已报名" in twice.json()["details"][0]["message"]


def test_wrong_files_and_other_users_are_refused(client: TestClient, world: World, as_user: Any) -> None:
    event_id = _event(client, as_user)
    missing = _upload(client, as_user, event_id, _workbook([["x"]], header=["联系人"]))
    assert missing.status_code == 422 and missing.json()["details"][0]["column"] == "统一社会信用代码"
    broken = _upload(client, as_user, event_id, b"not a workbook")
    assert broken.status_code == 422 and broken.json()["details"]
    content = _workbook([[make_uscc("九江云联设备科技有限公司"), 1, "", ""]])
    assert _upload(client, as_user, event_id, content, user="provider_a").status_code == 403
    assert _upload(client, as_user, event_id, content, user="xx_bureau").status_code in (403, 404)
    assert _participants(client, as_user, event_id) == []
