"""An edit form names the version of the record it was shown with, as the API's PATCH must
(`version` is required there): a post to an edit page without one is refused and changes
nothing, where it once skipped the stale-write check (market.web.forms.read_version)."""

from __future__ import annotations

from page_helpers import HTML, csrf_of, flashes, login
from sqlmodel import Session

from catalog.db import get_engine
from catalog.enterprises.models import Enterprise, Need
from catalog.solutions.models import Solution

REFUSED = "表单缺少所编辑记录的版本号"
EDITED = {"name": "设备点检云新版", "code": "JJ-001", "scenarios": ["设备管理运维"], "industries": ["C26"],
          "description": "扫码点检、隐患拍照上报、保养提醒", "deployment": "SaaS", "price_wan": "2.5",
          "billing": "年订阅", "deploy_days": "7", "size_fit": "规下", "keywords": "点检；保养"}


def _post_without_version(client, url: str, data: dict, page: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(page or url, headers=HTML).text)
    return client.post(url, data={**data, "csrf_token": token}, headers=HTML, follow_redirects=False)


def _stored(database_url: str, model, record_id: int):  # type: ignore[no-untyped-def]
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        return session.get(model, record_id)


def test_every_edit_form_without_its_version_is_refused_as_the_api_refuses_it(page_client, world, as_user,
                                                                             database_url) -> None:
    sol = world.ids["sol_a"]
    login(page_client, "provider_a")
    url = f"/provider/solutions/{sol}/edit"
    for version in (None, "²", "1.5"):  # none, a digit int() cannot read, no whole number
        sent = EDITED if version is None else {**EDITED, "version": version}
        response = _post_without_version(page_client, url, sent)
        assert response.status_code == 303 and REFUSED in flashes(page_client, url), version
    assert _stored(database_url, Solution, sol).name == "设备点检云"
    api = page_client.patch(f"/api/solutions/{sol}", headers=as_user("provider_a"), json={"name": "设备点检云新版"})
    assert api.status_code == 422 and "version" in api.text

    firm = world.ids["member_sharing"]
    login(page_client, "jj_bureau")
    url = f"/bureau/enterprises/{firm}"
    response = _post_without_version(page_client, url, {"batch": "3"})
    assert response.status_code == 303 and REFUSED in flashes(page_client, url)
    assert _stored(database_url, Enterprise, firm).batch != 3

    need = world.ids["need_sharing"]
    login(page_client, "ent_sharing")
    url = f"/enterprise/needs/{need}/edit"
    before = _stored(database_url, Need, need).text
    response = _post_without_version(page_client, url, {"text": "想做设备预测性维护"})
    assert response.status_code == 303 and REFUSED in flashes(page_client, url)
    assert _stored(database_url, Need, need).text == before
    response = _post_without_version(page_client, "/enterprise", {"size": "规下"})
    assert response.status_code == 303 and REFUSED in flashes(page_client, "/enterprise")
