"""Records outside a user's view are named by id only, in bulk results and import errors (finding 10)."""

from __future__ import annotations

import json

from page_helpers import flashes, login, post_form
from sqlmodel import Session
from web_builders import XINXIANG, provider, solution

from catalog.db import get_engine
from catalog.providers.models import ListingStatus


def _hidden_listing(database_url: str) -> tuple[int, int, str]:
    with Session(get_engine(database_url)) as session:
        pending = provider(session, "新乡未公开数控有限公司", f"{XINXIANG}牧野区", status=ListingStatus.PENDING)
        listing = solution(session, pending.id, "XX-900", "未公开的数控运维", status=ListingStatus.PENDING)
        session.commit()
        return int(pending.id or 0), int(listing.id or 0), pending.uscc


def test_a_bulk_action_names_other_regions_unpublished_records_by_id_only(page_client, world, database_url):
    provider_id, solution_id, _ = _hidden_listing(database_url)
    login(page_client, "jj_bureau")
    post_form(page_client, "/bureau/providers/bulk", {"ids": [str(provider_id)], "action": "publish"},
              page="/bureau/providers")
    told = flashes(page_client, "/bureau/providers")
    assert f"编号 {provider_id}" in told and "新乡未公开数控有限公司" not in told
    post_form(page_client, "/bureau/solutions/bulk", {"ids": [str(solution_id), "999999"], "action": "publish"},
              page="/bureau/solutions")
    told = flashes(page_client, "/bureau/solutions")
    assert f"编号 {solution_id}" in told and "未公开的数控运维" not in told
    assert "编号 999999 不存在或不在本部门管辖范围内" in told


def test_an_import_error_does_not_tell_where_a_stored_record_is(page_client, world, database_url):
    _, _, uscc = _hidden_listing(database_url)
    login(page_client, "jj_bureau")
    row = {"name": "改个名字", "uscc": uscc, "kind": "专业服务商", "region": "江西省九江市濂溪区",
           "industries": "C26", "scenarios": "设备管理运维", "description": "冒名顶替"}
    body = json.dumps({"providers": [row]}, ensure_ascii=False).encode()
    response = post_form(page_client, "/bureau/import", page="/bureau/import",
                         files={"file": ("a.json", body, "application/json")})
    assert response.status_code == 422
    assert "不在本账号管辖的地区内" in response.text and "新乡" not in response.text and "牧野区" not in response.text
