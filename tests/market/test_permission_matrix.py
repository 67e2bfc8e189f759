"""Every API and page route × every role against the expected tables of access_expected*.py."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from access_expected import ROLE_LETTERS, RULES, Case
from access_expected_events import EVENT_RULES
from access_expected_pages import FORM_POSTS, PAGE_RULES
from sqlmodel import Session
from web_builders import JIUJIANG, PASSWORD, World, enterprise, link, need, solution, token

from catalog.db import get_engine
from market.app import route_table
from market.permissions.declared import LOGGED_IN, Permission, declared

USERS = {"A": None, "B": "jj_bureau", "X": "xx_bureau", "P": "provider_a", "E": "ent_sharing", "C": "chain_leader"}
DENIED = {401, 403, 404}


def all_rules() -> dict[tuple[str, str], list[Case]]:
    """The expected table: the routes of access_expected.py and the events routes."""
    return RULES | EVENT_RULES


ROLE_OF = {"A": Permission.ANONYMOUS, "B": Permission.BUREAU, "X": Permission.BUREAU, "P": Permission.PROVIDER,
           "E": Permission.ENTERPRISE, "C": Permission.CHAIN_LEADER}
# the roles a handler's user dependency lets in (market/deps.py); none: everyone
ADMITTED = {"get_current_user": LOGGED_IN, "require_bureau": Permission.BUREAU,
            "require_provider": Permission.PROVIDER,
            "require_enterprise_or_chain_leader": Permission.ENTERPRISE | Permission.CHAIN_LEADER,
            "require_chain_leader": Permission.CHAIN_LEADER}


def roles(letters: str) -> Permission:
    """The roles of a set of role letters (B and X are both bureaus)."""
    found = Permission(0)
    for letter in letters:
        found |= ROLE_OF[letter]
    return found


def allowed_roles(cases: list[Case]) -> Permission:
    """The roles that some probe of a route lets through."""
    return roles("".join(case.allow for case in cases))


def declarations(app: Any) -> dict[tuple[str, str], Permission | None]:
    """(method, path) → the permission the route declares, read from the app's routes."""
    return {(method, path): declared(route) for method, path, route in route_table(app)}


def api_routes(app: Any) -> set[tuple[str, str]]:
    return {(method, path) for method, path, _ in route_table(app) if path.startswith("/api")}


def test_every_api_route_has_a_rule_and_every_rule_a_route(client) -> None:
    routes, rules = api_routes(client.app), all_rules()
    missing = sorted(routes - set(rules))
    assert missing == [], f"这些路由没有权限规则（请在 tests/market/access_expected.py 中补充）：{missing}"
    stale = sorted(set(rules) - routes)
    assert stale == [], f"这些权限规则对应的路由已不存在：{stale}"
    for key, cases in rules.items():
        assert cases and all(set(c.allow) <= set(ROLE_LETTERS) for c in cases), key


def test_every_route_declares_its_permission(client) -> None:
    """Every route, API and page, names its permission on its decorator (requires(...))."""
    undeclared = sorted(f"{m} {p}" for (m, p), permission in declarations(client.app).items() if permission is None)
    assert undeclared == [], f"这些路由没有声明权限（请在路由上加 openapi_extra=requires(...)）：{undeclared}"


def test_api_routes_declare_the_roles_their_probes_let_through(client) -> None:
    declared_here, rules = declarations(client.app), all_rules()
    wrong = [f"{m} {p}: 声明 {declared_here[(m, p)]}，期望 {allowed_roles(cases)}"
             for (m, p), cases in sorted(rules.items())
             if (m, p) in declared_here and declared_here[(m, p)] != allowed_roles(cases)]
    assert wrong == [], "\n".join(wrong)


def _user_dependencies(dependant: Any) -> set[str]:
    names: set[str] = set()
    for sub in dependant.dependencies:
        names |= {getattr(sub.call, "__name__", "")} | _user_dependencies(sub)
    return names


def test_declared_roles_are_within_what_the_handler_admits(client) -> None:
    """A declaration never promises more than the handler's user dependency lets in."""
    wrong = []
    for method, path, route in route_table(client.app):
        permission, names = declared(route), _user_dependencies(route.dependant)
        admitted = next((ADMITTED[n] for n in ADMITTED if n in names), ~Permission(0))
        if permission is not None and permission & ~admitted:
            wrong.append(f"{method} {path}: 声明 {permission}，处理函数只接受 {admitted}")
    assert wrong == [], "\n".join(wrong)


class Prober:
    """Builds and sends the request of one cell."""

    def __init__(self, client: Any, database_url: str, world: World) -> None:
        self.client, self.database_url, self.world = client, database_url, world
        self.tokens: dict[str, str] = {}
        self.extra: dict[str, int] = {}  # the records a case's setup made for the current probe

    def headers(self, letter: str, fresh_token: bool = False) -> dict[str, str]:
        username = USERS[letter]
        if username is None:
            return {}
        if fresh_token or username not in self.tokens:
            with Session(get_engine(self.database_url), expire_on_commit=False) as session:
                value = token(session, username)
            if fresh_token:
                return {"Authorization": f"Bearer {value}"}
            self.tokens[username] = value
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def resolve(self, value: Any, letter: str) -> Any:
        if isinstance(value, dict):
            return {k: self.resolve(v, letter) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v, letter) for v in value]
        if isinstance(value, str) and value.startswith("@"):
            return {**self.world.ids, **self.extra}[value[1:]]
        return {"$self": USERS[letter] or "jj_bureau", "$password": PASSWORD,
                "$unique": f"matrix_{uuid.uuid4().hex[:8]}"}.get(value, value) if isinstance(value, str) else value

    def fresh(self, kind: str) -> int:
        with Session(get_engine(self.database_url), expire_on_commit=False) as session:
            if kind == "need":
                from catalog.enterprises.models import Enterprise

                owner = session.get(Enterprise, self.world.ids["member_sharing"])
                record: Any = need(session, owner, "矩阵测试：待删除的需求")
            elif kind == "solution":
                record = solution(session, self.world.ids["provider_a"], f"MX-{uuid.uuid4().hex[:6]}", "矩阵测试产品")
            elif kind == "link":
                member = enterprise(session, f"矩阵成员{uuid.uuid4().hex[:6]}有限公司", f"{JIUJIANG}濂溪区")
                record = link(session, self.world.ids["leader"], member.id)
            else:
                raise AssertionError(kind)
            session.commit()
            return int(record.id)

    def send(self, method: str, path: str, case: Case, letter: str) -> int:
        return int(self.request(method, path, case, letter).status_code)

    def request(self, method: str, path: str, case: Case, letter: str, html: bool = False, **extra: Any) -> Any:
        self.extra = {}
        target = self.world.ids[case.target] if case.target else None
        if case.fresh and case.fresh != "token":
            target = self.fresh(case.fresh)
        url = re.sub(r"\{[^}]+\}", str(target), path) if target is not None else path
        if case.setup is not None:
            with Session(get_engine(self.database_url), expire_on_commit=False) as session:
                params = case.setup(session, dict(self.world.ids))
                session.commit()
            self.extra = params
            url = path.format(**params)
        kwargs: dict[str, Any] = {"headers": self.headers(letter, fresh_token=case.fresh == "token"),
                                  "params": self.resolve(case.query, letter)}
        if html:
            kwargs["headers"] = {**kwargs["headers"], "Accept": "text/html"}
        if case.body is not None:
            kwargs["json"] = self.resolve(case.body, letter)
        if case.upload:
            kwargs["files"] = {"file": ("bad.json", b'{"providers": [{"name": ""}]}', "application/json")}
        return self.client.request(method, url, **kwargs, **extra)


def test_permission_matrix(client, world, database_url) -> None:
    prober = Prober(client, database_url, world)
    failures = []
    routes = api_routes(client.app)
    for (method, path), cases in sorted(all_rules().items()):
        if (method, path) not in routes:
            continue
        for case in cases:
            for letter in ROLE_LETTERS:
                status = prober.send(method, path, case, letter)
                if status == 503 and path.startswith("/api/search") and client.app.state.search is None:
                    status = 200  # no Meilisearch in this test: the route ran, nothing was refused
                expected = letter in case.allow
                if status >= 500 or (status not in DENIED) != expected:
                    want = "允许" if expected else "拒绝"
                    failures.append(f"{method} {path} [{case.target or case.fresh or '-'}] {letter}: "
                                    f"期望{want}，实际 {status}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("letter", ["P"])
def test_providers_never_see_needs(client, world, database_url, letter) -> None:
    prober = Prober(client, database_url, world)
    headers = prober.headers(letter)
    assert client.get("/api/needs", headers=headers).status_code == 403
    for name in ("need_sharing", "need_private", "need_leader", "need_xx"):  # refused at the route's door
        assert client.get(f"/api/needs/{world.ids[name]}", headers=headers).status_code == 403


def page_routes(app: Any, method: str = "GET") -> set[str]:
    return {path for m, path, _ in route_table(app)
            if m == method and not path.startswith(("/api", "/static"))}


def test_every_page_route_has_a_rule_and_every_rule_a_route(client) -> None:
    routes = page_routes(client.app)
    missing = sorted(routes - set(PAGE_RULES))
    assert missing == [], f"这些页面没有权限规则（请在 tests/market/access_expected_pages.py 中补充）：{missing}"
    assert sorted(set(PAGE_RULES) - routes) == [], "这些页面规则对应的路由已不存在"
    posts = page_routes(client.app, "POST")
    assert sorted(posts - set(FORM_POSTS)) == [], "这些表单提交没有权限规则（FORM_POSTS）"
    assert sorted(set(FORM_POSTS) - posts) == [], "这些表单规则对应的路由已不存在"


def test_page_routes_declare_the_roles_their_rules_expect(client) -> None:
    declared_here = declarations(client.app)
    expected = {("GET", p): allowed_roles(cases) for p, cases in PAGE_RULES.items()}
    expected |= {("POST", p): roles(letters) for p, letters in FORM_POSTS.items()}
    wrong = [f"{m} {p}: 声明 {declared_here[(m, p)]}，期望 {want}" for (m, p), want in sorted(expected.items())
             if (m, p) in declared_here and declared_here[(m, p)] != want]
    assert wrong == [], "\n".join(wrong)


def _page_allowed(response: Any, case: Case) -> bool:
    if response.status_code in (301, 302, 303, 307, 308):
        return not response.headers.get("location", "").startswith("/login")
    if response.status_code == 404 and case.missing_ok:
        return True
    return response.status_code not in DENIED


def test_page_matrix(client, world, database_url) -> None:
    prober = Prober(client, database_url, world)
    failures = []
    for path, cases in sorted(PAGE_RULES.items()):
        for case in cases:
            for letter in ROLE_LETTERS:
                response = prober.request("GET", path, case, letter, html=True, follow_redirects=False)
                expected = letter in case.allow
                if response.status_code >= 500 or _page_allowed(response, case) != expected:
                    want = "允许" if expected else "拒绝"
                    failures.append(f"GET {path} {letter}: 期望{want}，实际 {response.status_code}")
    assert failures == [], "\n".join(failures)
