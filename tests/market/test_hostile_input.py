"""Unbounded input through the API and the pages (finding 3): megabyte names, 100,000 keywords and
a budget of 1e308 are refused with a field error (or, past the body limit, 413), nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from sqlmodel import Session, SQLModel, func, select
from web_builders import JIUJIANG

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise, Need
from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from catalog.validation import make_uscc


def _count(database_url: str, model: type[SQLModel]) -> int:
    with Session(get_engine(database_url)) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def _provider(**changes: Any) -> dict[str, Any]:
    return {"name": "九江浔联数智科技有限公司", "uscc": make_uscc("hostile"), "kind": "综合服务商",
            "region": f"{JIUJIANG}濂溪区", "industries": ["C26"], "scenarios": ["质量管控"],
            "description": "本地综合服务商"} | changes


def _solution(provider_id: int, **changes: Any) -> dict[str, Any]:
    return {"code": "H-001", "name": "化工MES", "provider_id": provider_id, "industries": ["C26"],
            "scenarios": ["生产过程管控"], "description": "配方下发", "deployment": "私有化", "price_wan": 38,
            "billing": "一次性", "deploy_days": 90} | changes


@pytest.mark.parametrize(("url", "model", "body"), [
    ("/api/providers", Provider, _provider(name="名" * 50_000)),
    ("/api/providers", Provider, _provider(description="述" * 3_000)),
    ("/api/providers", Provider, _provider(capacity=10**9)),
    ("/api/providers", Provider, _provider(service_regions=["江西省"] * 5_000)),
    ("/api/enterprises", Enterprise, {"name": "九江某企业", "uscc": make_uscc("e"), "region": JIUJIANG,
                                      "industry": "C261", "size": "规上", "budget_wan": 1e308}),
])
def test_oversized_values_are_refused_and_nothing_is_stored(client, world, as_user, database_url, url, model,
                                                           body) -> None:
    before = _count(database_url, model)
    response = client.post(url, json=body, headers=as_user("jj_bureau"))
    assert response.status_code == 422, response.text[:500]
    assert response.json()["details"][0]["field"] in body
    assert len(response.content) < 20_000  # the error does not echo the megabyte back
    assert _count(database_url, model) == before


def test_a_solution_with_a_thousand_keywords_is_refused(client, world, as_user, database_url) -> None:
    before = _count(database_url, Solution)
    body = _solution(world.ids["provider_a"], keywords=[f"词{i}" for i in range(1_000)])
    response = client.post("/api/solutions", json=body, headers=as_user("provider_a"))
    assert response.status_code == 422, response.text[:500]
    assert "最多填写 30 项" in response.text
    assert _count(database_url, Solution) == before


def test_a_body_past_the_limit_is_refused_before_it_is_read(client, world, as_user, database_url) -> None:
    body = _solution(world.ids["provider_a"], keywords=["k"] * 100_000, name="名" * 1_000_000)
    response = client.post("/api/solutions", json=body, headers=as_user("provider_a"))
    assert response.status_code == 413, response.text[:500]
    assert "KB" in response.json()["message"]


def test_a_need_far_beyond_its_bound_is_refused(client, world, as_user, database_url) -> None:
    before = _count(database_url, Need)
    eid = world.ids["member_sharing"]
    api = client.post(f"/api/enterprises/{eid}/needs", headers=as_user("ent_sharing"),
                      json={"text": "停机" * 20_000, "budget_wan": 10})
    assert api.status_code == 422, api.text[:500]
    assert "不能超过 1000 字" in api.text
    assert _count(database_url, Need) == before


def test_an_import_beyond_the_workers_slots_is_told_to_retry(client, world, as_user, database_url) -> None:
    from market.exchange import import_gate

    body = b'{"providers": []}'
    held = import_gate._slots
    assert held.acquire(blocking=False)  # another import is running in this worker
    try:
        busy = client.post("/api/imports", headers=as_user("jj_bureau"), files={"file": ("a.json", body)})
    finally:
        held.release()
    assert busy.status_code == 503, busy.text
    assert "已有导入正在进行" in busy.json()["message"]
    free = client.post("/api/imports", headers=as_user("jj_bureau"), files={"file": ("a.json", body)})
    assert free.status_code == 200, free.text


HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=60),
    st.sampled_from(["=HYPERLINK(\"x\")", "\u202e\u200b名", "已验收", "1e308", "-1", "通用", "C26", "九江"]),
    st.lists(st.text(max_size=20), max_size=40),
)
CREATES = [
    ("/api/providers", Provider, "jj_bureau", ["name", "uscc", "kind", "region", "industries", "scenarios",
                                              "description", "capacity", "service_regions", "status"]),
    ("/api/solutions", Solution, "provider_a", ["code", "name", "provider_id", "industries", "scenarios",
                                                "description", "deployment", "price_wan", "billing", "deploy_days",
                                                "keywords", "excellent"]),
    ("/api/enterprises/{member_sharing}/needs", Need, "ent_sharing", ["text", "scenario", "priority", "budget_wan",
                                                                      "code"]),
]


@pytest.mark.parametrize(("url", "model", "username", "fields"), CREATES, ids=lambda v: str(v)[:30])
def test_hostile_bodies_never_fail_the_server_and_store_nothing_when_refused(
        client, world, as_user, database_url, url, model, username, fields) -> None:
    from hypothesis import HealthCheck, given, settings

    path = url.format(**world.ids)
    headers = as_user(username)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=st.dictionaries(st.sampled_from(fields), HOSTILE, max_size=len(fields)))
    def attempt(body: dict[str, Any]) -> None:
        before = _count(database_url, model)
        response = client.post(path, json=body, headers=headers)
        assert response.status_code < 500, response.text[:300]
        if response.status_code >= 400:
            assert _count(database_url, model) == before
            assert response.json()["message"]

    attempt()
