"""Login, tokens, logout, password change, rate limits, session expiry, CSRF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select
from web_builders import PASSWORD

from catalog.db import get_engine
from market import auth
from market.auth import csrf
from market.auth.current import SESSION_COOKIE
from market.models import LoginAttempt, LoginSession


def test_token_login_and_me(client, world) -> None:
    response = client.post("/api/auth/token", json={"username": "jj_bureau", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer" and "password_hash" not in body["user"]
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == "jj_bureau"


def test_bad_password_is_401_in_chinese(client, world) -> None:
    response = client.post("/api/auth/token", json={"username": "jj_bureau", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.json() == {"code": "bad_credentials", "message": "用户名或密码错误"}


def test_unknown_or_revoked_token_is_401(client, world, as_user) -> None:
    assert client.get("/api/auth/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    headers = as_user("provider_a")
    assert client.delete("/api/auth/token", headers=headers).status_code == 204
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401 and "令牌" in response.json()["message"]


def test_rate_limit_per_account_survives_rollback(client, world, database_url) -> None:
    for _ in range(5):
        assert client.post("/api/auth/token", json={"username": "ent_private", "password": "nope-nope"}).status_code == 401
    blocked = client.post("/api/auth/token", json={"username": "ent_private", "password": PASSWORD})
    assert blocked.status_code == 429 and "分钟后再试" in blocked.json()["message"]
    with Session(get_engine(database_url)) as session:
        failures = session.exec(select(LoginAttempt).where(LoginAttempt.username == "ent_private")).all()
    assert len(failures) == 5  # recorded although every request rolled back
    assert client.post("/api/auth/token", json={"username": "ent_sharing", "password": PASSWORD}).status_code == 201


def _failed_attempts(database_url: str, count: int, ago: timedelta = timedelta(0), **where: str) -> None:
    at = datetime.now(UTC) - ago
    with Session(get_engine(database_url)) as session:
        for i in range(count):
            session.add(LoginAttempt(username=where.get("username", f"nobody{i}"),
                                     address=where.get("address", "10.0.0.9"), success=False, at=at))
        session.commit()


def test_rate_limit_per_address(client, world, database_url) -> None:
    _failed_attempts(database_url, 19, address="testclient")  # the TestClient's address
    client.post("/api/auth/token", json={"username": "nobody", "password": "whatever1"})  # the 20th
    response = client.post("/api/auth/token", json={"username": "jj_bureau", "password": PASSWORD})
    assert response.status_code == 429 and "地址" in response.json()["message"]


def test_failures_before_a_success_do_not_count(client, world, database_url) -> None:
    here = "testclient"  # the TestClient's address
    _failed_attempts(database_url, 4, username="xx_bureau", address=here)
    assert client.post("/api/auth/token", json={"username": "xx_bureau", "password": PASSWORD}).status_code == 201
    _failed_attempts(database_url, 4, username="xx_bureau", address=here)
    assert client.post("/api/auth/token", json={"username": "xx_bureau", "password": PASSWORD}).status_code == 201
    _failed_attempts(database_url, 5, username="xx_bureau", address=here)
    assert client.post("/api/auth/token", json={"username": "xx_bureau", "password": PASSWORD}).status_code == 429


def test_failures_from_another_address_do_not_lock_the_account(client, world, database_url) -> None:
    _failed_attempts(database_url, 15, username="jj_bureau", address="203.0.113.7")
    response = client.post("/api/auth/token", json={"username": "jj_bureau", "password": PASSWORD})
    assert response.status_code == 201, response.text


def test_the_wait_of_a_pair_doubles_and_then_passes(client, world, database_url) -> None:
    _failed_attempts(database_url, 6, ago=timedelta(minutes=3), username="jj_bureau", address="testclient")
    assert client.post("/api/auth/token", json={"username": "jj_bureau", "password": PASSWORD}).status_code == 201
    _failed_attempts(database_url, 6, ago=timedelta(seconds=30), username="xx_bureau", address="testclient")
    blocked = client.post("/api/auth/token", json={"username": "xx_bureau", "password": PASSWORD})
    assert blocked.status_code == 429 and "分钟后再试" in blocked.json()["message"]


def test_an_account_attacked_from_everywhere_still_opens_from_a_known_address(client, world, database_url) -> None:
    with Session(get_engine(database_url)) as session:
        session.add(LoginAttempt(username="jj_bureau", address="testclient", success=True,
                                 at=datetime.now(UTC) - timedelta(days=3)))
        for i in range(60):
            session.add(LoginAttempt(username="jj_bureau", address=f"198.51.100.{i}", success=False))
        for i in range(60):
            session.add(LoginAttempt(username="xx_bureau", address=f"198.51.100.{i}", success=False))
        session.commit()
    known = client.post("/api/auth/token", json={"username": "jj_bureau", "password": PASSWORD})
    assert known.status_code == 201, known.text
    unknown = client.post("/api/auth/token", json={"username": "xx_bureau", "password": PASSWORD})
    assert unknown.status_code == 429 and "曾经登录过的地址" in unknown.json()["message"]


def test_forwarded_headers_are_believed_only_from_the_configured_proxy() -> None:
    from market.commands.serve import server_options
    from market.settings import Settings

    plain = server_options(Settings(secret_key="k"))
    assert plain["proxy_headers"] is False and "forwarded_allow_ips" not in plain
    proxied = server_options(Settings(secret_key="k", forwarded_allow_ips="10.0.0.2"))
    assert proxied["proxy_headers"] is True and proxied["forwarded_allow_ips"] == "10.0.0.2"
    assert plain["server_header"] is False and proxied["server_header"] is False


def _cookie_login(database_url: str, username: str, hours: int = 8) -> tuple[str, str]:
    with Session(get_engine(database_url), expire_on_commit=False) as session:
        _, token = auth.login(session=session, username=username, password=PASSWORD, address="127.0.0.1", hours=hours)
        row = session.exec(select(LoginSession).order_by(LoginSession.id.desc())).first()  # type: ignore[union-attr]
        session.commit()
        return token, row.csrf_token


def test_session_cookie_login_and_expiry(client, world, database_url) -> None:
    token, _ = _cookie_login(database_url, "jj_bureau")
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/api/auth/me").json()["username"] == "jj_bureau"
    with Session(get_engine(database_url)) as session:
        row = session.exec(select(LoginSession)).one()
        row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        session.add(row)
        session.commit()
    assert client.get("/api/auth/me").status_code == 401


def test_logout_ends_the_session(client, world, database_url) -> None:
    token, _ = _cookie_login(database_url, "provider_a")
    with Session(get_engine(database_url)) as session:
        auth.logout(session=session, token=token)
        session.commit()
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/api/auth/me").status_code == 401


def test_cookie_api_write_needs_csrf_header(client, world, database_url) -> None:
    token, csrf_token = _cookie_login(database_url, "jj_bureau")
    client.cookies.set(SESSION_COOKIE, token)
    sol = world.ids["sol_a"]
    body = {"excellent": True}
    refused = client.post(f"/api/solutions/{sol}/excellent", json=body)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    wrong = client.post(f"/api/solutions/{sol}/excellent", json=body, headers={csrf.CSRF_HEADER: "forged"})
    assert wrong.status_code == 403
    ok = client.post(f"/api/solutions/{sol}/excellent", json=body, headers={csrf.CSRF_HEADER: csrf_token})
    assert ok.status_code == 200 and ok.json()["excellent"] is True


def test_password_change_revokes_other_tokens(client, world, as_user) -> None:
    old = as_user("ent_sharing")
    other = client.post("/api/auth/token", json={"username": "ent_sharing", "password": PASSWORD}).json()
    wrong = client.post("/api/auth/password", headers=old,
                        json={"old_password": "not-it-at-all", "new_password": "brand-new-pass"})
    assert wrong.status_code == 422 and wrong.json()["message"] == "原密码不正确"
    changed = client.post("/api/auth/password", headers=old,
                          json={"old_password": PASSWORD, "new_password": "brand-new-pass"})
    assert changed.status_code == 204
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {other['access_token']}"}).status_code == 401
    assert client.post("/api/auth/token", json={"username": "ent_sharing", "password": PASSWORD}).status_code == 401
    assert client.post("/api/auth/token",
                       json={"username": "ent_sharing", "password": "brand-new-pass"}).status_code == 201


def test_inactive_user_cannot_log_in(client, world, as_user) -> None:
    bureau = as_user("jj_bureau")
    uid = world.ids["user_provider_a"]
    assert client.patch(f"/api/users/{uid}", headers=bureau, json={"active": False}).status_code == 200
    assert client.post("/api/auth/token", json={"username": "provider_a", "password": PASSWORD}).status_code == 401


def test_logging_in_upgrades_a_hash_made_with_old_parameters(client, world, database_url) -> None:
    """A login checks the password as catalog.users.service does: an old hash is made anew."""
    from argon2 import PasswordHasher

    from catalog.users.models import User
    from catalog.users.service import needs_rehash

    with Session(get_engine(database_url)) as session:
        user = session.exec(select(User).where(User.username == "jj_bureau")).one()
        user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
        session.add(user)
        session.commit()
    response = client.post("/api/auth/token", json={"username": "jj_bureau", "password": PASSWORD})
    assert response.status_code == 201, response.text
    with Session(get_engine(database_url)) as session:
        user = session.exec(select(User).where(User.username == "jj_bureau")).one()
        assert not needs_rehash(user.password_hash)
