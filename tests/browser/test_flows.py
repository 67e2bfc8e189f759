"""The web app's main flows in a real browser, on the demo data."""

from __future__ import annotations

import io

import pytest
from flows import log_in, log_out
from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from catalog.db import get_engine
from catalog.providers.models import Provider
from catalog.solutions.models import Solution

pytestmark = pytest.mark.browser

NEW_NAME = "浔阳设备点检小程序"


def test_provider_submits_bureau_approves_public_sees(page: Page, live_server: str, shoot) -> None:
    base = live_server
    page.goto(base + "/")
    shoot(page, "home")
    log_in(page, base, "provider_xunzhi")
    expect(page.locator("h1")).to_contain_text("九江浔阳智造科技有限公司")
    shoot(page, "provider-dashboard")
    page.click("text=新增产品或方案")
    page.fill("#f-name", NEW_NAME)
    page.check("input[name=scenarios][value=设备管理运维]")
    page.check("input[name=industries][value=C26]")
    page.fill("#f-description", "扫码点检、隐患拍照上报、保养到期提醒，手机即可使用")
    page.fill("#f-price_wan", "1.8")
    page.select_option("#f-billing", "年订阅")
    page.select_option("#f-deployment", "SaaS")
    page.fill("#f-deploy_days", "7")
    page.fill("#f-keywords", "点检；保养；隐患")
    shoot(page, "provider-solution-form")
    page.click("button[type=submit]:has-text('提交审核')")
    expect(page.locator(".flash")).to_contain_text("等待主管部门审核")
    row = page.locator("#my-solutions tr", has_text=NEW_NAME)
    expect(row).to_contain_text("待审核")
    shoot(page, "provider-solutions")
    log_out(page)

    page.goto(base + "/solutions?sort=new")  # text queries go to the search; the newest listings here
    expect(page.locator("main")).not_to_contain_text(NEW_NAME)

    log_in(page, base, "jiujiang_bureau")
    expect(page.locator("#queue-solutions")).to_contain_text(NEW_NAME)
    shoot(page, "bureau-review-queue")
    page.locator("#queue-solutions tr", has_text=NEW_NAME).locator("text=审核").click()
    expect(page.locator("h2").first).to_contain_text("新提交")
    shoot(page, "bureau-review-item")
    page.check("input[name=decision][value=approve]")
    page.fill("#remark", "资料齐全，同意入库")
    page.click("text=提交审核结论")
    expect(page.locator(".flash")).to_contain_text(f"已通过：{NEW_NAME}")
    log_out(page)

    page.goto(base + "/solutions?sort=new")
    expect(page.locator("main")).to_contain_text(NEW_NAME)
    shoot(page, "public-solutions-filtered")
    page.click(f"#solution-results >> text={NEW_NAME}")
    expect(page.locator("h1")).to_contain_text(NEW_NAME)
    expect(page.locator("main")).to_contain_text("九江浔阳智造科技有限公司")
    shoot(page, "public-solution-detail")
    page.goto(base + "/solutions")
    shoot(page, "public-solutions")
    page.goto(base + "/providers")
    shoot(page, "public-providers")


def test_enterprise_edits_its_needs(page: Page, live_server: str, shoot) -> None:
    base = live_server
    log_in(page, base, "enterprise_hualun")
    shoot(page, "enterprise-profile")
    page.click("nav >> text=需求清单")
    items = page.locator("#need-list > li")
    count = items.count()
    page.fill("#f-text", "染色配方靠老师傅记在本子上，换人就出色差")
    page.select_option("#f-priority", "高")
    page.fill("#f-budget_wan", "12")
    page.click("form[action='/enterprise/needs'] button[type=submit]")
    expect(page.locator(".flash")).to_contain_text("已添加需求")
    expect(items).to_have_count(count + 1)
    expect(items.last).to_contain_text("染色配方靠老师傅记在本子上")

    items.last.locator("text=上移").click()
    expect(items.nth(count - 1)).to_contain_text("染色配方")
    page.click("text=按优先级排序")
    expect(page.locator(".flash")).to_contain_text("已按优先级排序")
    first_text = items.first.locator(".text").inner_text()
    assert items.first.locator(".small").inner_text().find("优先级 高") >= 0, first_text

    items.filter(has_text="染色配方").locator("text=修改").click()
    page.select_option("#f-scenario", "质量管控")
    page.fill("#f-text", "染色配方靠老师傅经验，换人就出色差，想做配方管理")
    page.click("text=保存")
    expect(page.locator(".flash")).to_contain_text("已保存需求")
    edited = items.filter(has_text="想做配方管理")
    expect(edited).to_contain_text("质量管控")
    shoot(page, "enterprise-needs")

    edited.locator("text=删除").click()  # the confirmation is accepted by the fixture
    expect(page.locator(".flash")).to_contain_text("已删除需求")
    expect(items).to_have_count(count)
    page.click("nav >> text=对接进展")
    expect(page.locator("h1")).to_have_text("对接进展")
    shoot(page, "enterprise-engagements")


def _workbook_with_mistakes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "服务商"
    sheet.append(["服务商名称", "统一社会信用代码", "服务商类型", "所在地区", "服务行业", "能力场景", "简介"])
    sheet.append(["九江甲数字科技有限公司", "91360400MA00000000", "专业服务商", "江西省九江市", "C26", "设备管理运维", "简介"])
    sheet.append(["九江乙数字科技有限公司", "", "外包商", "江西省九江市", "不存在的行业", "设备管理运维", "简介"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_bureau_sees_every_import_error(page: Page, live_server: str, shoot, tmp_path, demo_database_url) -> None:
    workbook = tmp_path / "服务商名单.xlsx"
    workbook.write_bytes(_workbook_with_mistakes())
    with Session(get_engine(demo_database_url)) as session:
        before = len(session.exec(select(Provider.id)).all())
    log_in(page, live_server, "jiujiang_bureau")
    page.click("nav >> text=导入")
    page.set_input_files("#file", str(workbook))
    page.click("text=上传并导入")
    table = page.locator("#import-errors table")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() >= 4, rows.all_inner_texts()  # check digit, missing USCC, kind, industry
    expect(table).to_contain_text("统一社会信用代码")
    expect(table).to_contain_text("服务商类型")
    expect(page.locator("#import-errors")).to_contain_text("未保存任何数据")
    shoot(page, "bureau-import-errors")
    with Session(get_engine(demo_database_url)) as session:
        assert len(session.exec(select(Provider.id)).all()) == before


def test_provider_cannot_open_another_providers_edit_page(page: Page, live_server: str, shoot,
                                                          demo_database_url) -> None:
    with Session(get_engine(demo_database_url)) as session:
        owner = session.exec(select(Provider).where(Provider.name == "九江浔阳智造科技有限公司")).one()
        solution = session.exec(select(Solution).where(Solution.provider_id == owner.id)).first()
        assert solution is not None
    log_in(page, live_server, "provider_weihe")
    response = page.goto(f"{live_server}/provider/solutions/{solution.id}/edit")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("无权访问")
    expect(page.locator(".error-page")).to_contain_text("无权")
    shoot(page, "error-403")
    assert page.locator("#f-name").count() == 0
