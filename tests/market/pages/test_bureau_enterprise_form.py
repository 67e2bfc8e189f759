"""The bureau's enterprise forms set region, size and batch (试点批次) by their selects, as the API
accepts them: a new enterprise of its region, and a correction of one; a region outside its own
is refused in Chinese."""

from __future__ import annotations

import re

from page_helpers import HTML, flashes, login, post_form
from sqlmodel import Session, select

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise
from catalog.validation import make_uscc

JIUJIANG = "江西省九江市"


def _options(page: str, name: str) -> list[str]:
    select_html = re.search(rf'<select name="{name}" id="f-{name}">(.*?)</select>', page, re.S)
    assert select_html, name
    return re.findall(r'<option value="([^"]*)"', select_html.group(1))


def _enterprise(database_url: str, **where: object) -> Enterprise:
    with Session(get_engine(database_url)) as session:
        statement = select(Enterprise)
        for key, value in where.items():
            statement = statement.where(getattr(Enterprise, key) == value)
        return session.exec(statement).one()


def test_the_bureau_registers_an_enterprise_with_region_size_and_batch(page_client, world, database_url):
    login(page_client, "jj_bureau")
    form = page_client.get("/bureau/enterprises/new", headers=HTML)
    assert form.status_code == 200
    regions = _options(form.text, "region")
    assert JIUJIANG in regions and not any(r.startswith("河南") for r in regions)
    assert _options(form.text, "size") == ["", "规上", "规下"]
    assert _options(form.text, "batch")[:2] == ["", "1"]
    uscc = make_uscc("九江新登记机械有限公司")
    response = post_form(page_client, "/bureau/enterprises", {
        "name": "九江新登记机械有限公司", "uscc": uscc, "region": JIUJIANG, "industry": "C34",
        "size": "规下", "srdi_tier": "无", "level": "一级", "batch": "2", "budget_wan": "30"},
        page="/bureau/enterprises/new")
    assert response.status_code == 303, response.text
    made = _enterprise(database_url, uscc=uscc)
    assert (made.region, made.size, made.batch, made.level) == (JIUJIANG, "规下", 2, "一级")
    assert "已登记" in flashes(page_client, response.headers["location"])


def test_a_new_enterprise_outside_the_bureaus_regions_or_incomplete_is_refused(page_client, world, database_url):
    login(page_client, "jj_bureau")
    uscc = make_uscc("新乡越界企业有限公司")
    base = {"name": "新乡越界企业有限公司", "uscc": uscc, "industry": "C34", "size": "规上"}
    outside = post_form(page_client, "/bureau/enterprises", {**base, "region": "河南省新乡市"},
                        page="/bureau/enterprises/new")
    assert outside.status_code == 403 and "本辖区" in outside.text
    missing = post_form(page_client, "/bureau/enterprises", {**base, "region": JIUJIANG, "size": ""},
                        page="/bureau/enterprises/new")
    assert missing.status_code == 400 and "企业规模" in missing.text
    assert "新乡越界企业有限公司" in missing.text  # what was typed is shown again
    with Session(get_engine(database_url)) as session:
        assert session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first() is None


def test_the_bureau_corrects_region_size_and_batch_by_the_form(page_client, world, database_url):
    target = world.ids["member_sharing"]
    url = f"/bureau/enterprises/{target}"
    login(page_client, "jj_bureau")
    page = page_client.get(url, headers=HTML).text
    assert JIUJIANG in _options(page, "region") and _options(page, "size") == ["规上", "规下"]
    before = _enterprise(database_url, id=target)
    county = f"{JIUJIANG}濂溪区"
    response = post_form(page_client, url, {
        "region": county, "industry": before.industry, "size": "规下", "srdi_tier": before.srdi_tier,
        "level": before.level, "batch": "3", "version": str(before.version)})
    assert response.status_code == 303 and "已保存" in flashes(page_client, url)
    after = _enterprise(database_url, id=target)
    assert (after.region, after.size, after.batch) == (county, "规下", 3)
    page = page_client.get(url, headers=HTML).text
    assert county in _options(page, "region") and "4" in _options(page, "batch")  # one past the highest
    moved = post_form(page_client, url, {"region": "河南省新乡市", "size": "规下", "version": str(after.version)})
    assert moved.status_code == 303 and "本辖区" in flashes(page_client, url)
    assert _enterprise(database_url, id=target).region == county
