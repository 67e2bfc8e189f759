"""Login, logout, password change, CSRF on forms, 401/403 pages in Chinese."""

from __future__ import annotations

from page_helpers import HTML, csrf_of, flashes, login, post_form

from market.auth.current import SESSION_COOKIE


def test_login_lands_on_the_role_home_page(page_client, world):
    login(page_client, "provider_a")
    html = page_client.get("/provider", headers=HTML).text
    assert "九江云联设备科技有限公司" in html
    assert 'href="/provider/solutions"' in html  # the provider's navigation
    assert "退出" in html


def test_wrong_password_shows_a_chinese_message(page_client, world):
    token = csrf_of(page_client.get("/login", headers=HTML).text)
    response = page_client.post("/login", data={"username": "provider_a", "password": "wrong-pass",
                                                "csrf_token": token}, headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert SESSION_COOKIE not in response.cookies
    assert "用户名或密码错误" in flashes(page_client, "/login")


def test_login_without_csrf_token_is_refused(page_client, world):
    page_client.get("/login", headers=HTML)
    response = page_client.post("/login", data={"username": "provider_a", "password": "demo-pass-123"},
                                headers=HTML, follow_redirects=False)
    assert response.status_code == 403 and "安全校验" in response.text


def test_logout_ends_the_session(page_client, world):
    login(page_client, "provider_a")
    response = post_form(page_client, "/logout", page="/provider")
    assert response.status_code == 303
    page = page_client.get("/provider", headers=HTML)
    assert page.status_code == 401 and "请先登录" in page.text


def test_password_change(page_client, world):
    login(page_client, "ent_sharing")
    short = post_form(page_client, "/password", {"old_password": "demo-pass-123", "new_password": "short",
                                                 "confirm_password": "short"})
    assert short.status_code == 303
    assert "至少需要" in flashes(page_client, "/password")
    ok = post_form(page_client, "/password", {"old_password": "demo-pass-123", "new_password": "new-pass-456",
                                              "confirm_password": "new-pass-456"})
    assert ok.status_code == 303 and ok.headers["location"] == "/enterprise"
    page_client.cookies.clear()
    login(page_client, "ent_sharing", "new-pass-456")


def test_role_pages_need_the_right_role(page_client, world):
    assert page_client.get("/bureau/review", headers=HTML).status_code == 401
    login(page_client, "provider_a")
    for url in ("/bureau/review", "/enterprise/needs", "/bureau/import"):
        response = page_client.get(url, headers=HTML)
        assert response.status_code == 403, url
        assert "无权访问" in response.text
