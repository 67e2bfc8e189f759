"""The JSON API through real HTTP: lists, reads, writes, concurrency, status, import/export, errors."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook, load_workbook
from web_builders import JIUJIANG, serve_only


def test_public_list_shows_published_only_with_paging_and_sort(client, world) -> None:
    page = client.get("/api/solutions", params={"per_page": 1, "sort": "-name"})
    assert page.status_code == 200
    body = page.json()
    assert body["count"] == 2 and len(body["data"]) == 1  # sol_a and sol_b
    every = client.get("/api/solutions", params={"per_page": 100}).json()["data"]
    assert {s["code"] for s in every} == {"JJ-001", "XX-001"}
    assert all(s["status"] == "已入库" and s["provider_name"] for s in every)
    names = [s["name"] for s in client.get("/api/solutions", params={"sort": "-name"}).json()["data"]]
    assert names == sorted(names, reverse=True)


def test_filters(client, world, as_user, database_url) -> None:
    bureau = as_user("jj_bureau")
    pending = client.get("/api/solutions", params={"status": "待审核"}, headers=bureau).json()
    assert {s["code"] for s in pending["data"]} == {"JJ-002", "JJ-101"}
    in_henan = {"scenario": "设备管理运维", "region": "河南省"}
    # a region holds the providers located there and those serving it (none listed: nationwide)
    assert [s["code"] for s in client.get("/api/solutions", params=in_henan).json()["data"]] == ["JJ-001", "XX-001"]
    serve_only(database_url, world.ids["provider_a"], [JIUJIANG])
    by_scenario = client.get("/api/solutions", params=in_henan).json()
    assert [s["code"] for s in by_scenario["data"]] == ["XX-001"]
    by_industry = client.get("/api/providers", params={"industry": "C26"}).json()
    assert by_industry["count"] == 2
    assert client.get("/api/providers", params={"industry": "C13"}).json()["count"] == 0
    by_name = client.get("/api/solutions", params={"q": "點檢"}).json()  # traditional characters
    assert [s["code"] for s in by_name["data"]] == ["JJ-001"]


def test_bureau_publishes_and_a_provider_edit_waits_as_a_revision(client, world, as_user) -> None:
    bureau, provider = as_user("jj_bureau"), as_user("provider_a")
    sid = world.ids["sol_a_pending"]
    assert client.get(f"/api/solutions/{sid}").status_code == 404
    published = client.post(f"/api/solutions/{sid}/status", headers=bureau, json={"status": "已入库", "remark": "材料齐全"})
    assert published.status_code == 200 and published.json()["status"] == "已入库"
    assert client.get(f"/api/solutions/{sid}").status_code == 200
    version = published.json()["version"]
    edited = client.patch(f"/api/solutions/{sid}", headers=provider, json={"version": version, "price_wan": 9.5})
    assert edited.status_code == 200
    assert edited.json()["status"] == "已入库" and edited.json()["pending_revision_id"]
    assert client.get(f"/api/solutions/{sid}").json()["price_wan"] == 8.0  # the published version stays public


def test_provider_cannot_change_status_or_excellent(client, world, as_user) -> None:
    provider = as_user("provider_a")
    sid = world.ids["sol_a"]
    status = client.post(f"/api/solutions/{sid}/status", headers=provider, json={"status": "暂停"})
    assert status.status_code == 403 and "主管部门" in status.json()["message"]
    flag = client.post(f"/api/solutions/{sid}/excellent", headers=provider, json={"excellent": True})
    assert flag.status_code == 403


def test_stale_version_is_409(client, world, as_user) -> None:
    bureau = as_user("jj_bureau")
    pid = world.ids["provider_a"]
    current = client.get(f"/api/providers/{pid}", headers=bureau).json()
    first = client.patch(f"/api/providers/{pid}", headers=bureau, json={"version": current["version"], "capacity": 30})
    assert first.status_code == 200
    second = client.patch(f"/api/providers/{pid}", headers=bureau, json={"version": current["version"], "capacity": 40})
    assert second.status_code == 409
    assert second.json()["message"] == "该记录已被他人修改，请刷新后重试"
    assert client.get(f"/api/providers/{pid}").json()["capacity"] == 30


def test_illegal_transition_is_409_in_chinese(client, world, as_user) -> None:
    bureau = as_user("jj_bureau")
    sid = world.ids["sol_a_pending"]
    response = client.post(f"/api/solutions/{sid}/status", headers=bureau, json={"status": "暂停"})
    assert response.status_code == 409 and "待审核" in response.json()["message"]


def test_create_solution_validation_errors_are_chinese(client, world, as_user) -> None:
    provider = as_user("provider_a")
    body = {"code": "JJ-900", "name": "新品", "provider_id": world.ids["provider_a"], "industries": ["C26"],
            "scenarios": ["设备运維管理"], "description": "说明", "deployment": "SaaS", "price_wan": -1,
            "billing": "年订阅", "deploy_days": 10}
    response = client.post("/api/solutions", headers=provider, json=body)
    assert response.status_code == 422
    err = response.json()
    assert err["code"] == "validation_failed" and "price_wan" in err["message"]
    assert {d["field"] for d in err["details"]} >= {"price_wan", "scenarios"}
    body.update(price_wan=3, scenarios=["设备管理运维"])
    created = client.post("/api/solutions", headers=provider, json=body)
    assert created.status_code == 201 and created.json()["status"] == "待审核"


def test_needs_of_an_enterprise(client, world, as_user) -> None:
    ent = as_user("ent_sharing")
    eid = world.ids["member_sharing"]
    added = client.post(f"/api/enterprises/{eid}/needs", headers=ent, json={"text": "仓库找货全靠人记", "priority": "高"})
    assert added.status_code == 201
    listed = client.get("/api/needs", headers=ent).json()
    ids = [n["id"] for n in listed["data"]]
    assert listed["count"] == 2
    reordered = client.post(f"/api/enterprises/{eid}/needs/order", headers=ent, json={"need_ids": ids[::-1]})
    assert reordered.status_code == 200
    assert [n["id"] for n in client.get("/api/needs", headers=ent).json()["data"]] == ids[::-1]
    assert client.delete(f"/api/needs/{ids[0]}", headers=ent).status_code == 204
    assert client.get("/api/needs", headers=ent).json()["count"] == 1


def test_import_upload_returns_row_errors_as_json(client, world, as_user) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "服务商"
    sheet.append(["服务商名称", "统一社会信用代码", "服务商类型", "所在地区", "服务行业", "能力场景", "简介"])
    sheet.append(["坏数据科技有限公司", "91360400MA35ABCD10", "综合服务商", JIUJIANG, "C26", "设备管理运维", "简介"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    files = {"file": ("providers.xlsx", buffer.getvalue(), "application/octet-stream")}
    response = client.post("/api/imports", headers=as_user("jj_bureau"), files=files)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    row = body["details"][0]
    assert set(row) >= {"sheet", "row", "column", "value", "message"}
    assert row["sheet"] == "服务商" and row["row"] == 2 and row["column"] == "统一社会信用代码"
    assert client.get("/api/providers", params={"q": "坏数据"}).json()["count"] == 0


def test_import_upload_stores_a_valid_file(client, world, as_user) -> None:
    from catalog.validation import make_uscc

    doc = {"providers": [{"name": "九江导入测试有限公司", "uscc": make_uscc("导入测试"), "kind": "综合服务商",
                          "region": JIUJIANG, "industries": ["C26"], "scenarios": ["质量管控"], "description": "简介"}]}
    files = {"file": ("p.json", json.dumps(doc, ensure_ascii=False).encode(), "application/json")}
    response = client.post("/api/imports", headers=as_user("jj_bureau"), files=files)
    assert response.status_code == 200, response.text
    assert response.json()["counts"]["providers"]["created"] == 1
    assert client.post("/api/imports", headers=as_user("provider_a"), files=files).status_code == 403


def test_export_download(client, world, as_user) -> None:
    bureau = as_user("jj_bureau")
    xlsx = client.get("/api/exports", params={"format": "xlsx"}, headers=bureau)
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    sheets = load_workbook(io.BytesIO(xlsx.content), read_only=True).sheetnames
    assert "服务商" in sheets and "产品和解决方案" in sheets
    doc = client.get("/api/exports", params={"format": "json"}, headers=bureau).json()
    assert "JJ-001" in {s["code"] for s in doc["solutions"]}  # its regions only: tests/market/test_region_scope.py
    assert client.get("/api/exports", headers=as_user("ent_sharing")).status_code == 403
    assert client.get("/api/exports").status_code == 401


def test_error_shape_and_security_headers(client, world) -> None:
    missing = client.get("/api/solutions/999999")
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message"} and "999999" in missing.json()["message"]
    unauth = client.get("/api/needs")
    assert unauth.status_code == 401 and unauth.json()["message"] == "请先登录"
    bad = client.get("/api/solutions", params={"page": "abc"})
    assert bad.status_code == 422 and bad.json()["details"][0]["message"] == "应为整数"
    for response in (missing, unauth, bad, client.get("/api/openapi.json")):
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"]


def test_upload_size_limit(settings, world) -> None:
    from fastapi.testclient import TestClient

    from market.app import create_app

    small = settings.model_copy(update={"max_upload_mb": 1})
    with TestClient(create_app(small, migrate_db=False)) as client:
        big = {"file": ("big.json", b"x" * (1024 * 1024 + 10), "application/json")}
        response = client.post("/api/imports", files=big)
        assert response.status_code == 413 and "MB" in response.json()["message"]


def test_database_down_is_503_in_chinese(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from market.app import create_app
    from market.settings import Settings

    dead = Settings(database_url="postgresql+psycopg://nobody:x@127.0.0.1:9/nowhere?connect_timeout=2",
                    var_dir=tmp_path, secret_key="k")
    with TestClient(create_app(dead, migrate_db=False)) as client:
        response = client.get("/api/solutions")
    assert response.status_code == 503 and "数据库" in response.json()["message"]


def test_openapi_lists_error_responses(client) -> None:
    spec = client.get("/api/openapi.json").json()
    op = spec["paths"]["/api/solutions/{solution_id}"]["patch"]
    assert {"401", "403", "404", "409", "422"} <= set(op["responses"])
    assert "ErrorOut" in json.dumps(op["responses"]["409"])
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/solutions" in docs.text and "cdn" not in docs.text.lower()


def test_an_unknown_sort_is_refused_in_the_same_words_by_every_list(client, world, as_user) -> None:
    """catalog.filters.by_field under every list: the field named, the choices listed."""
    headers = as_user("jj_bureau")
    for url in ("/api/engagements", "/api/enterprises", "/api/solutions", "/api/providers", "/api/needs", "/api/users"):
        response = client.get(url, headers=headers, params={"sort": "-nope"})
        assert response.status_code == 422 and response.json()["code"] == "bad_sort", (url, response.text)
        assert "不支持按“nope”排序，可选：" in response.json()["message"] and "id" in response.json()["message"]
    assert client.get("/api/engagements", headers=headers, params={"sort": "-created_at"}).status_code == 200
