"""A password change follows one set of rules (catalog.users.service.change_own_password)
through the API and the page alike: the old password checked, the new one differing from it,
8 to 256 characters."""

from __future__ import annotations

from typing import Any

import pytest
from page_helpers import flashes, login, post_form
from web_builders import PASSWORD

LONG = "长" * 200  # within the one limit (256), past the API's old one (128)
TOO_LONG = "长" * 257


def _by_api(client: Any, as_user: Any, old: str, new: str) -> str | None:
    answer = client.post("/api/auth/password", headers=as_user("ent_private"),
                         json={"old_password": old, "new_password": new})
    return None if answer.status_code == 204 else f"{answer.status_code} {answer.json()['message']}"


def _by_page(client: Any, old: str, new: str) -> str | None:
    answer = post_form(client, "/password", {"old_password": old, "new_password": new, "confirm_password": new})
    assert answer.status_code == 303
    return None if answer.headers["location"] != "/password" else f"422 {flashes(client, '/password').strip()}"


@pytest.mark.parametrize(("old", "new", "refused"), [
    ("not-it-at-all", "brand-new-pass", "原密码不正确"),
    (PASSWORD, PASSWORD, "新密码不能与原密码相同"),
    (PASSWORD, "short", "密码至少需要 8 个字符"),
    (PASSWORD, LONG, None),
])
def test_the_api_and_the_page_change_a_password_by_the_same_rules(client, world, as_user, old, new, refused) -> None:
    by_api = _by_api(client, as_user, old, new)
    login(client, "ent_sharing")
    by_page = _by_page(client, old, new)
    assert by_api == by_page == (None if refused is None else f"422 {refused}")


def test_a_password_past_the_one_limit_is_refused_by_both_doors(client, world, as_user) -> None:
    by_api = _by_api(client, as_user, PASSWORD, TOO_LONG)
    login(client, "ent_sharing")
    assert by_api == _by_page(client, PASSWORD, TOO_LONG) == "422 密码不能超过 256 个字符"
