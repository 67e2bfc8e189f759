"""服务商入驻 and 站内消息 through the pages: the public form with its errors and the similar-name
confirmation, the bureau's queue and decision page, the header's unread count, the inbox."""

from __future__ import annotations

import re
from typing import Any

from page_helpers import HTML, csrf_of, flashes, login, post_form
from sqlmodel import Session, func, select

from catalog.db import get_engine
from catalog.providers.models import Provider
from catalog.validation import make_uscc

NAME = "浔阳智联工业软件有限公司"


def form(name: str = NAME, **extra: Any) -> dict[str, Any]:
    return {"name": name, "uscc": make_uscc(name), "kind": "专业服务商", "region": "江西省九江市浔阳区",
            "service_regions": "江西省", "industries": ["C26"], "scenarios": ["设备管理运维"],
            "description": "设备联网与点检", "certifications": "ISO9001", "contact_name": "王工",
            "contact_phone": "13800000000", "username": "xunyang_apply", "password": "apply-pass-123",
            "password2": "apply-pass-123"} | extra


def _providers(database_url: str) -> int:
    with Session(get_engine(database_url)) as session:
        return int(session.exec(select(func.count()).select_from(Provider)).one())


def test_the_form_is_linked_and_names_each_bad_field(page_client, world, database_url) -> None:
    assert 'href="/join"' in page_client.get("/", headers=HTML).text
    assert 'href="/join"' in page_client.get("/providers", headers=HTML).text
    before = _providers(database_url)
    bad = post_form(page_client, "/join", form(uscc="123", password2="other-pass-1", region=""))
    assert bad.status_code == 422
    errors = dict(re.findall(r'id="err-([a-z_0-9]+)">([^<]+)<', bad.text))
    assert set(errors) == {"uscc", "password2", "region"}, errors
    assert 'value="浔阳智联工业软件有限公司"' in bad.text and "apply-pass-123" not in bad.text
    taken = post_form(page_client, "/join", form(uscc=make_uscc("九江云联设备科技有限公司")), page="/join")
    assert taken.status_code == 409 and "已有服务商登记" in taken.text
    assert _providers(database_url) == before


def test_a_similar_name_is_confirmed_on_the_form(page_client, world, database_url) -> None:
    warned = post_form(page_client, "/join", form("九江云联设备技术有限公司"))
    assert warned.status_code == 409 and 'id="similar-warning"' in warned.text
    assert "九江云联设备科技有限公司" in warned.text and 'name="confirm_similar_name"' in warned.text
    confirmed = post_form(page_client, "/join", form("九江云联设备技术有限公司", confirm_similar_name="1"))
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/login"


def test_apply_follow_decide_and_read(page_client, world, database_url) -> None:
    assert post_form(page_client, "/join", form()).status_code == 303
    assert "入驻申请已提交" in flashes(page_client, "/login")
    login(page_client, "xunyang_apply", "apply-pass-123")
    assert "等待主管部门审核" in page_client.get("/provider", headers=HTML).text
    page_client.cookies.clear()
    login(page_client, "jj_bureau")
    queue = page_client.get("/bureau/review", headers=HTML).text
    assert 'id="unread-count"' in queue and "服务商入驻申请（1）" in queue
    link = re.search(r'href="(/bureau/applications/\d+)"', queue).group(1)  # type: ignore[union-attr]
    assert 'id="queue-providers"' not in queue or NAME not in queue.split('id="queue-providers"')[1]
    page = page_client.get(link, headers=HTML).text
    assert NAME in page and "设备管理运维" in page
    refused = post_form(page_client, link, {"decision": "reject", "reason": ""})
    assert refused.status_code == 303 and "需要填写审核意见" in flashes(page_client, link)
    assert post_form(page_client, link, {"decision": "reject", "reason": "资质证明不全"}).status_code == 303
    assert "已不予通过" in flashes(page_client, "/bureau/review")
    page_client.cookies.clear()
    login(page_client, "xunyang_apply", "apply-pass-123")
    home = page_client.get("/provider", headers=HTML).text
    assert "资质证明不全" in home and 'id="unread-count"' in home
    inbox = page_client.get("/messages", headers=HTML).text
    assert f"机构“{NAME}”未通过审核" in inbox and "主管部门意见：资质证明不全" in inbox
    opened = page_client.post(re.search(r'action="(/messages/\d+/open)"', inbox).group(1),  # type: ignore[union-attr]
                              data={"csrf_token": csrf_of(inbox)}, headers=HTML, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/provider"
    assert 'id="unread-count"' not in page_client.get("/messages", headers=HTML).text


def test_another_regions_bureau_cannot_open_the_application(page_client, world) -> None:
    assert post_form(page_client, "/join", form()).status_code == 303
    login(page_client, "xx_bureau")
    assert "服务商入驻申请（0）" in page_client.get("/bureau/review", headers=HTML).text
    assert page_client.get("/bureau/applications/1", headers=HTML).status_code == 404
    assert post_form(page_client, "/bureau/applications/1", {}, page="/bureau/review").status_code == 404
    page_client.cookies.clear()
    login(page_client, "jj_bureau")  # a reviewer is asked to choose (catalog.provider_applications.service.decide)
    assert post_form(page_client, "/bureau/applications/1", {"decision": ""}).status_code == 303
    assert "请选择审核结论" in flashes(page_client, "/bureau/applications/1")


def test_a_bulk_publish_of_pending_listings_tells_their_provider(page_client, world) -> None:
    login(page_client, "jj_bureau")
    ids = [str(world.ids["sol_a_pending"]), str(world.ids["sol_a"])]
    done = post_form(page_client, "/bureau/solutions/bulk", {"ids": ids, "action": "publish"}, page="/bureau/solutions")
    assert done.status_code == 303
    page_client.cookies.clear()
    login(page_client, "provider_a")
    inbox = page_client.get("/messages", headers=HTML).text
    assert inbox.count("已通过审核") == 1 and "产品“能耗监测平台”已通过审核" in inbox
