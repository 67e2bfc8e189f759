"""Bureau pages: review queue with diffs and decisions, bulk changes, enterprises, import, export."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook
from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, func, select

from catalog.db import get_engine
from catalog.providers.models import Provider
from catalog.solutions.models import Solution

PROVIDER_COLUMNS = ["服务商名称", "统一社会信用代码", "服务商类型", "所在地区", "服务行业", "能力场景", "简介"]


def _status(url: str, model: type, record_id: int) -> str:
    with Session(get_engine(url)) as session:
        return str(session.get(model, record_id).status)  # type: ignore[union-attr]


def test_queue_lists_pending_listings_of_the_bureaus_regions(page_client, world):
    login(page_client, "jj_bureau")
    html = page_client.get("/bureau/review", headers=HTML).text
    assert "能耗监测平台" in html and "质量追溯小程序" in html and "九江新创数字科技有限公司" in html
    page_client.cookies.clear()
    login(page_client, "xx_bureau")
    other = page_client.get("/bureau/review", headers=HTML).text
    assert "能耗监测平台" not in other and "没有待审核的产品" in other


def test_approve_publishes_and_the_public_sees_it(page_client, world, database_url):
    login(page_client, "jj_bureau")
    url = f"/bureau/review/solution/{world.ids['sol_a_pending']}"
    assert "新提交" in page_client.get(url, headers=HTML).text
    response = post_form(page_client, url, {"decision": "approve", "remark": ""})
    assert response.status_code == 303 and response.headers["location"] == "/bureau/review"
    assert "已通过" in flashes(page_client, "/bureau/review")
    assert _status(database_url, Solution, world.ids["sol_a_pending"]) == "已入库"
    page_client.cookies.clear()
    assert "能耗监测平台" in page_client.get("/solutions", headers=HTML).text


def test_review_of_a_revision_shows_what_changed(page_client, world):
    login(page_client, "provider_a")
    url = f"/provider/solutions/{world.ids['sol_a']}/edit"
    data = {"name": "设备点检云", "code": "JJ-001", "scenarios": ["设备管理运维"], "industries": ["C26"],
            "description": "设备联网、点检、预测性维护", "deployment": "私有化", "price_wan": "12",
            "billing": "年订阅", "deploy_days": "30", "version": "1"}
    assert post_form(page_client, url, data).status_code == 303
    page_client.cookies.clear()
    login(page_client, "jj_bureau")
    queue = page_client.get("/bureau/review", headers=HTML).text
    assert 'id="queue-revisions"' in queue and "设备点检云" in queue
    link = queue.split('id="queue-revisions"')[1].split('href="')[1].split('"')[0]
    html = page_client.get(link, headers=HTML).text
    assert 'id="diff"' in html
    assert "部署方式" in html and ">SaaS<" in html and ">私有化<" in html
    assert "价格（万元）" in html and ">8<" in html and ">12<" in html
    assert "功能描述" in html


def test_return_and_refuse_need_a_remark(page_client, world, database_url):
    login(page_client, "jj_bureau")
    url = f"/bureau/review/solution/{world.ids['sol_pp']}"
    assert post_form(page_client, url, {"decision": "refuse", "remark": ""}).status_code == 303
    assert "需要填写审核意见" in flashes(page_client, url)
    assert _status(database_url, Solution, world.ids["sol_pp"]) == "待审核"
    post_form(page_client, url, {"decision": "return", "remark": "价格口径不清"})
    assert _status(database_url, Solution, world.ids["sol_pp"]) == "待审核"
    assert "价格口径不清" in page_client.get("/bureau/review", headers=HTML).text
    post_form(page_client, url, {"decision": "refuse", "remark": "不符合入库条件"})
    assert _status(database_url, Solution, world.ids["sol_pp"]) == "退出"


def test_another_regions_bureau_cannot_review(page_client, world, database_url):
    login(page_client, "xx_bureau")
    url = f"/bureau/review/solution/{world.ids['sol_a_pending']}"
    # another region's pending listing is not revealed: the page answers as the API does
    assert page_client.get(f"/api/solutions/{world.ids['sol_a_pending']}").status_code == 404
    assert page_client.get(url, headers=HTML).status_code == 404
    assert post_form(page_client, url, {"decision": "approve"}, page="/bureau/review").status_code == 404
    assert _status(database_url, Solution, world.ids["sol_a_pending"]) == "待审核"


def test_bulk_status_changes_skip_what_cannot_change(page_client, world, database_url):
    login(page_client, "jj_bureau")
    ids = [str(world.ids["sol_a"]), str(world.ids["sol_a_suspended"]), str(world.ids["sol_b"])]
    response = post_form(page_client, "/bureau/solutions/bulk", {"ids": ids, "action": "suspend",
                                                                 "remark": "年度复核"}, page="/bureau/solutions")
    assert response.status_code == 303
    message = flashes(page_client, "/bureau/solutions")
    assert "已暂停 1 项" in message and "2 项未变更" in message
    assert _status(database_url, Solution, world.ids["sol_a"]) == "暂停"
    assert _status(database_url, Solution, world.ids["sol_b"]) == "已入库"  # 新乡: not this bureau's
    post_form(page_client, "/bureau/solutions/bulk", {"ids": [str(world.ids["sol_a_suspended"])],
                                                      "action": "excellent_on"}, page="/bureau/solutions")
    with Session(get_engine(database_url)) as session:
        assert session.get(Solution, world.ids["sol_a_suspended"]).excellent  # type: ignore[union-attr]


def test_bulk_provider_publish(page_client, world, database_url):
    login(page_client, "jj_bureau")
    html = page_client.get("/bureau/providers", headers=HTML).text
    assert "九江新创数字科技有限公司" in html and "新乡智造软件有限公司" not in html
    post_form(page_client, "/bureau/providers/bulk", {"ids": [str(world.ids["provider_pending"])],
                                                      "action": "publish"}, page="/bureau/providers")
    assert _status(database_url, Provider, world.ids["provider_pending"]) == "已入库"


def test_enterprise_management(page_client, world, database_url):
    from catalog.enterprises.models import Enterprise

    with Session(get_engine(database_url)) as session:  # the pilot's engagement may have bumped it
        version = session.get(Enterprise, world.ids["member_sharing"]).version
    login(page_client, "jj_bureau")
    listing = page_client.get("/bureau/enterprises", headers=HTML).text
    assert "九江化工配套有限公司" in listing and "新乡起重部件有限公司" not in listing
    url = f"/bureau/enterprises/{world.ids['member_sharing']}"
    assert "车间设备老是突然停机" in page_client.get(url, headers=HTML).text
    response = post_form(page_client, url, {"industry": "C26", "size": "规下", "srdi_tier": "无", "level": "二级",
                                            "batch": "2", "version": str(version)})
    assert response.status_code == 303 and "已保存" in flashes(page_client, url)
    outside = world.ids["ent_xx"]  # another region's enterprise is not revealed, by the page as by the API
    assert page_client.get(f"/api/enterprises/{outside}").status_code == 404
    assert page_client.get(f"/bureau/enterprises/{outside}", headers=HTML).status_code == 404
    assert post_form(page_client, f"/bureau/enterprises/{outside}", {"level": "二级"},
                     page="/bureau/enterprises").status_code == 404


def _bad_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "服务商"
    sheet.append(PROVIDER_COLUMNS)
    sheet.append(["九江甲科技有限公司", "91360400MA00000000", "专业服务商", "江西省九江市", "C26", "设备管理运维", "简介"])
    sheet.append(["九江乙科技有限公司", "91360400MA35K3XQ2T", "外包商", "江西省九江市", "C26", "设备运维", "简介"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(url: str) -> int:
    with Session(get_engine(url)) as session:
        return int(session.exec(select(func.count()).select_from(Provider)).one())


def test_import_with_errors_lists_every_row_error(page_client, world, database_url):
    login(page_client, "jj_bureau")
    before = _count(database_url)
    files = {"file": ("名单.xlsx", _bad_workbook(), "application/octet-stream")}
    response = post_form(page_client, "/bureau/import", files=files)
    assert response.status_code == 422
    assert 'id="import-errors"' in response.text and "未保存任何数据" in response.text
    assert response.text.count("<td class=\"message\">") >= 3  # check digit, kind, scenario
    assert "统一社会信用代码" in response.text and "服务商类型" in response.text
    assert _count(database_url) == before


def test_import_and_export(page_client, world, database_url):
    login(page_client, "jj_bureau")
    payload = json.dumps({"providers": [{
        "name": "九江丙数字科技有限公司", "uscc": "91360400MA35K3XQ2T", "kind": "专业服务商",
        "region": "江西省九江市濂溪区", "industries": ["C26"], "scenarios": ["质量管控"], "description": "质量追溯"}]})
    from catalog.validation import make_uscc

    payload = payload.replace("91360400MA35K3XQ2T", make_uscc("91360400MA35K3XQ2"))
    files = {"file": ("new.json", payload.encode(), "application/json")}
    response = post_form(page_client, "/bureau/import", files=files)
    assert response.status_code == 303
    assert "导入成功" in flashes(page_client, "/bureau/import") and _count(database_url) == 4
    download = page_client.get("/bureau/export/download", params={"format": "json"})
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert "九江丙数字科技有限公司" in download.text
    xlsx = page_client.get("/bureau/export/download", params={"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_import_needs_a_bureau(page_client, world):
    login(page_client, "provider_a")
    response = post_form(page_client, "/bureau/import", page="/provider",
                         files={"file": ("x.json", b"{}", "application/json")})
    assert response.status_code == 403


def test_a_file_of_another_type_is_refused_in_the_same_words_everywhere(page_client, world, as_user, database_url):
    """The page, the direct API and the queued import: one check (catalog.exchange.imports)."""
    before = _count(database_url)
    headers = as_user("jj_bureau")
    for url in ("/api/imports", "/api/imports/jobs"):
        refused = page_client.post(url, headers=headers, files={"file": ("名单.csv", b"a,b")})
        assert refused.status_code == 422 and refused.json()["code"] == "bad_file_type", refused.text
        assert "名单.csv" in refused.json()["message"] and "不支持的文件类型" in refused.json()["message"]
    login(page_client, "jj_bureau")
    page = post_form(page_client, "/bureau/import", files={"file": ("名单.csv", b"a,b", "text/csv")})
    assert page.status_code == 422 and "名单.csv" in page.text and "不支持的文件类型" in page.text
    assert _count(database_url) == before
