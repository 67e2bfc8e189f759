"""服务商入驻 over the JSON API: apply without an account, duplicate checks, bounds, the
per-address limit, the bureau of a served region deciding, the applicant following it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, func, select
from web_builders import World

from catalog.db import get_engine
from catalog.provider_applications.models import ProviderApplication
from catalog.provider_applications.service import MAX_PER_ADDRESS
from catalog.providers.models import Provider
from catalog.users.models import User
from catalog.validation import make_uscc

URL = "/api/provider-applications"


def body(name: str = "浔阳智联工业软件有限公司", **extra: Any) -> dict[str, Any]:
    return {"name": name, "uscc": make_uscc(name), "kind": "专业服务商", "region": "江西省九江市浔阳区",
            "service_regions": ["江西省"], "industries": ["C26"], "scenarios": ["设备管理运维"],
            "description": "设备联网与点检", "certifications": ["ISO9001"], "contact_name": "王工",
            "contact_phone": "13800000000", "username": "xunyang_apply", "password": "apply-pass-123"} | extra


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _counts(database_url: str) -> tuple[int, int, int]:
    with Session(get_engine(database_url)) as session:
        return tuple(int(session.exec(select(func.count()).select_from(m)).one())  # type: ignore[return-value]
                     for m in (Provider, User, ProviderApplication))


def _token(client: TestClient, username: str, password: str) -> dict[str, str]:
    token = _ok(client.post("/api/auth/token", json={"username": username, "password": password}), 201)
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_an_applicant_applies_follows_and_is_approved(client: TestClient, world: World, as_user: Any) -> None:
    made = _ok(client.post(URL, json=body()), 201)
    assert made["status"] == "待审核" and made["reason"] is None
    applicant = _token(client, "xunyang_apply", "apply-pass-123")
    assert _ok(client.get("/api/auth/me", headers=applicant))["role"] == "provider"
    assert [a["id"] for a in _ok(client.get(URL, headers=applicant))["data"]] == [made["id"]]
    assert _ok(client.get(f"/api/providers/{made['provider_id']}", headers=applicant))["status"] == "待审核"
    assert client.get(f"/api/providers/{made['provider_id']}").status_code == 404  # not public yet
    queue = _ok(client.get(URL, headers=as_user("jj_bureau")))
    assert [a["name"] for a in queue["data"]] == ["浔阳智联工业软件有限公司"]
    assert _ok(client.get(URL, headers=as_user("xx_bureau")))["data"] == []
    assert client.get(f"{URL}/{made['id']}", headers=as_user("xx_bureau")).status_code == 404
    decided = _ok(client.post(f"{URL}/{made['id']}/decision", json={"approve": True},
                              headers=as_user("jj_bureau")))
    assert decided["status"] == "已入库" and decided["decided_by"] == "bureau:jj_bureau"
    assert _ok(client.get(f"/api/providers/{made['provider_id']}"))["status"] == "已入库"
    again = client.post(f"{URL}/{made['id']}/decision", json={"approve": False, "reason": "晚了"},
                        headers=as_user("jj_bureau"))
    assert again.status_code == 409 and "已不在待审核状态" in again.json()["message"]  # the review rule's words
    listing = _ok(client.post("/api/solutions", headers=applicant, json={
        "code": "XY-001", "name": "点检小程序", "provider_id": made["provider_id"], "industries": ["C26"],
        "scenarios": ["设备管理运维"], "description": "扫码点检", "deployment": "SaaS", "price_wan": 2,
        "billing": "年订阅", "deploy_days": 7}), 201)
    assert listing["status"] == "待审核"  # its listings go through review as before


def test_a_rejection_needs_a_reason_the_applicant_reads(client: TestClient, world: World, as_user: Any) -> None:
    made = _ok(client.post(URL, json=body()), 201)
    bare = client.post(f"{URL}/{made['id']}/decision", json={"approve": False}, headers=as_user("jj_bureau"))
    assert bare.status_code == 422 and bare.json()["code"] == "remark_required"
    assert bare.json()["message"] == "“不予入库”需要填写审核意见"  # catalog/providers/review.py, as on the review page
    _ok(client.post(f"{URL}/{made['id']}/decision", json={"approve": False, "reason": "资质证明不全"},
                    headers=as_user("jj_bureau")))
    mine = _ok(client.get(f"{URL}/{made['id']}", headers=_token(client, "xunyang_apply", "apply-pass-123")))
    assert mine["status"] == "退出" and mine["reason"] == "资质证明不全"
    assert client.post(f"{URL}/{made['id']}/decision", json={"approve": True},  # no bureau: refused at the door
                       headers=as_user("provider_a")).status_code == 403


def test_the_bureau_of_a_served_region_reviews_an_outside_applicant(client: TestClient, world: World,
                                                                    as_user: Any) -> None:
    made = _ok(client.post(URL, json=body("昌吉天山数智科技有限公司", region="新疆维吾尔自治区昌吉回族自治州昌吉市",
                                          service_regions=["新疆", "九江市"], username="tianshan")), 201)
    assert [a["id"] for a in _ok(client.get(URL, headers=as_user("jj_bureau")))["data"]] == [made["id"]]
    assert client.get(f"{URL}/{made['id']}", headers=as_user("xx_bureau")).status_code == 404
    nationwide = _ok(client.post(URL, json=body("昌吉全域软件有限公司", region="新疆维吾尔自治区昌吉回族自治州昌吉市",
                                                service_regions=["全国"], username="quanyu")), 201)
    assert nationwide["id"] not in {a["id"] for a in _ok(client.get(URL, headers=as_user("jj_bureau")))["data"]}
    _ok(client.post(f"{URL}/{made['id']}/decision", json={"approve": True}, headers=as_user("jj_bureau")))


def test_a_taken_uscc_is_refused_and_nothing_is_stored(client: TestClient, world: World, database_url: str) -> None:
    before = _counts(database_url)
    taken = client.post(URL, json=body("完全不同的名字有限公司", uscc=make_uscc("九江云联设备科技有限公司")))
    assert taken.status_code == 409 and taken.json()["code"] == "duplicate_uscc"
    assert "已有服务商登记" in taken.json()["message"]
    user_taken = client.post(URL, json=body(username="jj_bureau"))
    assert user_taken.status_code == 409 and "用户名" in user_taken.json()["message"]
    assert _counts(database_url) == before


def test_a_similar_name_must_be_confirmed(client: TestClient, world: World, database_url: str,
                                          as_user: Any) -> None:
    before = _counts(database_url)
    similar = client.post(URL, json=body("九江云联设备技术有限公司"))
    assert similar.status_code == 409 and similar.json()["code"] == "similar_name"
    assert "九江云联设备科技有限公司" in similar.json()["message"]  # a published provider is named
    assert _counts(database_url) == before
    made = _ok(client.post(URL, json=body("九江云联设备技术有限公司", confirm_similar_name=True)), 201)
    assert made["probable_duplicate"] and made["similar_count"] == 1
    provider = _ok(client.get(f"/api/providers/{made['provider_id']}", headers=as_user("jj_bureau")))
    assert provider["probable_duplicate_of"] == world.ids["provider_a"]


def test_every_field_is_checked_with_its_name(client: TestClient, world: World, database_url: str) -> None:
    before = _counts(database_url)
    cases = {"name": "数" * 5_000, "uscc": "91360400MA35G9YJ1X", "password": "short", "username": "坏 名字",
             "service_regions": ["江西"] * 500, "description": "", "industries": []}
    for field, value in cases.items():
        response = client.post(URL, json=body(**{field: value}))
        assert response.status_code == 422, (field, response.text)
        assert field in response.text, (field, response.text)
    assert _counts(database_url) == before


def test_applications_from_one_address_are_limited(client: TestClient, world: World) -> None:
    for i in range(MAX_PER_ADDRESS):
        name = f"限流测试第{'一二三四五六'[i]}号科技有限公司"
        _ok(client.post(URL, json=body(name, username=f"limit_{i}", confirm_similar_name=True)), 201)
    refused = client.post(URL, json=body("限流测试第七号科技有限公司", username="limit_x", confirm_similar_name=True))
    assert refused.status_code == 429 and "一小时后" in refused.json()["message"]


HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=300),
    st.text(alphabet="数字化、；;%＝=\u200b\u202e <>&\"'", max_size=80), st.lists(st.text(max_size=70), max_size=60),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3), st.just("数" * 100_000))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_bodies_never_fail_and_store_nothing_when_refused(client: TestClient, world: World,
                                                                  database_url: str, data: st.DataObject) -> None:
    fields = list(body())
    hostile = data.draw(st.dictionaries(st.sampled_from([*fields, "status", "review_remark"]), HOSTILE,
                                        min_size=1, max_size=3))
    before = _counts(database_url)
    response = client.post(URL, json=body() | hostile)
    assert response.status_code < 500, response.text[:300]
    if response.status_code != 201:
        assert response.json()["message"] and _counts(database_url) == before
