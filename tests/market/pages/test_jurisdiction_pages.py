"""A provider's profile page never moves it into another bureau's jurisdiction (finding 5)."""

from __future__ import annotations

from page_helpers import login, post_form
from sqlmodel import Session
from web_builders import JIUJIANG, XINXIANG

from catalog.db import get_engine
from catalog.models import Provider


def test_the_provider_profile_page_keeps_the_region(client, world, database_url) -> None:
    login(client, "provider_a")
    form = {"name": "九江云联设备科技有限公司", "kind": "专业服务商", "region": f"{XINXIANG}红旗区",
            "description": "设备联网与运维", "scenarios": "设备管理运维", "industries": "C26"}
    response = post_form(client, "/provider/profile", form)
    assert response.status_code == 303, response.text
    with Session(get_engine(database_url)) as session:
        assert session.get(Provider, world.ids["provider_a"]).region.startswith(JIUJIANG)
