"""The enterprise API and the bureau's enterprise page list through one query
(catalog/enterprises/queries.list_enterprises): the same filter gives the same rows, in the same
order, over real HTTP, for the same bureau."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from page_helpers import HTML, login
from sqlmodel import Session
from web_builders import JIUJIANG, World, make_uscc

from catalog.db import get_engine
from catalog.enterprises import service as enterprise_service
from catalog.enterprises.schemas import EnterpriseCreate


def enterprise(session: Session, name: str, region: str, **fields: Any) -> None:
    data = EnterpriseCreate(**{"name": name, "uscc": make_uscc(name), "region": region, "industry": "C261",
                               "size": "规上", **fields})
    enterprise_service.create_enterprise(session=session, data=data, actor="test")


@pytest.fixture
def listed(database_url: str, world: World) -> None:
    """Beside the test pilot's enterprises: some that differ by industry, level, size and batch."""
    with Session(get_engine(database_url)) as session:
        enterprise(session, "九江精密机械有限公司", f"{JIUJIANG}浔阳区", industry="C35", level="二级", batch=2)
        enterprise(session, "九江星火化工有限公司", f"{JIUJIANG}湖口县", level="一级", size="规下", batch=1)
        enterprise(session, "瑞昌纺织有限公司", "江西省九江市瑞昌市", industry="C17", level="二级")
        session.commit()


FILTERS = [
    {},
    {"q": "化工"},
    {"q": "九江精密機械"},  # traditional characters match the simplified name
    {"q": "ＡＢＣ"},
    {"industry": "C26"},
    {"industry": "c26"},
    {"industry": "专用设备制造业"},
    {"level": "二级"},
    {"size": "规下"},
    {"region": f"{JIUJIANG}湖口县"},
    {"region": "江西省九江市瑞昌"},
    {"q": "九江", "level": "二级", "industry": "C35"},
]


def _api_ids(client: TestClient, headers: dict[str, str], chosen: dict[str, str]) -> list[int]:
    response = client.get("/api/enterprises", params=chosen | {"per_page": "100"}, headers=headers)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]]


def _page_ids(client: TestClient, chosen: dict[str, str]) -> list[int]:
    response = client.get("/bureau/enterprises", params=chosen, headers=HTML)
    assert response.status_code == 200, response.text
    return [int(i) for i in re.findall(r'<td><a href="/bureau/enterprises/(\d+)">', response.text)]


@pytest.mark.parametrize("chosen", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_api_and_page_list_the_same_enterprises(page_client: TestClient, listed: None, as_user: Any,
                                                chosen: dict[str, str]) -> None:
    login(page_client, "jj_bureau")
    assert _api_ids(page_client, as_user("jj_bureau"), chosen) == _page_ids(page_client, chosen)


def test_the_filters_narrow_as_a_bureau_expects(page_client: TestClient, listed: None, as_user: Any) -> None:
    login(page_client, "jj_bureau")
    names = {tuple(f.items()): set(re.findall(r'<td><a href="/bureau/enterprises/\d+">([^<]+)</a>',
                                              page_client.get("/bureau/enterprises", params=f, headers=HTML).text))
             for f in ({"q": "九江精密機械"}, {"industry": "专用设备制造业"}, {"batch": "1"})}
    assert names[(("q", "九江精密機械"),)] == {"九江精密机械有限公司"}
    assert names[(("industry", "专用设备制造业"),)] == {"九江精密机械有限公司"}
    assert names[(("batch", "1"),)] == {"九江星火化工有限公司"}
    assert "新乡起重部件有限公司" not in page_client.get("/bureau/enterprises", headers=HTML).text
