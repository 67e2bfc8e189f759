"""A form takes the same bounds as the API: the schema's (finding 3)."""

from __future__ import annotations

from page_helpers import login, post_form
from sqlmodel import Session, func, select

from catalog.db import get_engine
from catalog.enterprises.models import Need


def test_a_need_beyond_its_bound_is_refused_on_the_page(client, world, database_url) -> None:
    with Session(get_engine(database_url)) as session:
        before = session.exec(select(func.count()).select_from(Need)).one()
    login(client, "ent_sharing")
    page = post_form(client, "/enterprise/needs", {"text": "停" * 5_000, "priority": "高"})
    assert page.status_code == 422
    assert "不能超过 1000 字" in page.text
    with Session(get_engine(database_url)) as session:
        assert session.exec(select(func.count()).select_from(Need)).one() == before
