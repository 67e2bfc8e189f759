"""Search shows each user exactly the listings `catalog.solutions.permissions.visible_solutions` lets
them see: the public only 已入库 ones, a bureau also those of providers in its regions, a
provider also its own."""

from __future__ import annotations

from pathlib import Path

import meilisearch
import pytest
from fastapi.testclient import TestClient
from search_builders import add_provider, add_solution, sync
from sqlmodel import Session, select

from catalog.providers.models import ListingStatus
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution
from catalog.users.models import Role, User
from catalog.users.service import hash_password
from market.app import create_app
from market.auth.sessions import issue_api_token
from market.settings import Settings
from search_index.server import LocalMeilisearch

pytestmark = pytest.mark.meili

PENDING = ListingStatus.PENDING


def _user(session: Session, name: str, role: Role, **binding: object) -> User:
    user = User(username=name, password_hash=hash_password("Visible-2026!"), role=role, **binding)
    session.add(user)
    session.flush()
    return user


def _world(session: Session) -> dict[str, User | None]:
    jiujiang = add_provider(session, region="江西省九江市濂溪区")
    xinxiang = add_provider(session, region="河南省新乡市红旗区")
    waiting = add_provider(session, region="河南省新乡市卫滨区", status=PENDING)
    for provider in (jiujiang, xinxiang, waiting):
        add_solution(session, provider, name="仓储管理系统甲")
        add_solution(session, provider, name="仓储管理系统乙", status=PENDING)
    return {
        "public": None,
        "bureau": _user(session, "jj_bureau", Role.BUREAU, regions=["江西省九江市"]),
        "other_bureau": _user(session, "hn_bureau", Role.BUREAU, regions=["河南省"]),
        "provider": _user(session, "waiting_provider", Role.PROVIDER, provider_id=waiting.id),
        "enterprise": _user(session, "some_enterprise", Role.ENTERPRISE),
    }


def test_search_visibility_follows_the_permission_rules(
    session: Session, database_url: str, meili: meilisearch.Client, meili_server: LocalMeilisearch,
    prefix: str, tmp_path: Path,
) -> None:
    users = _world(session)
    tokens = {name: issue_api_token(session=session, user=user)[1] for name, user in users.items() if user}
    session.commit()
    sync(database_url, meili, prefix)
    settings = Settings(database_url=database_url, MEILI_URL=meili_server.url,  # type: ignore[call-arg]
                        MEILI_MASTER_KEY=meili_server.key, meili_index_prefix=prefix, var_dir=tmp_path,
                        secret_key="test-secret-key-for-search-tests")
    seen: dict[str, set[str]] = {}
    with TestClient(create_app(settings, migrate_db=False)) as api:
        for name, user in users.items():
            headers = {"authorization": f"Bearer {tokens[name]}"} if user else {}
            allowed = set(session.exec(solution_rules.visible_solutions(user, select(Solution.code))).all())
            for q in ("", "仓储管理"):
                hits = api.get("/api/search", params={"q": q, "per_page": 50}, headers=headers).json()["hits"]
                assert {h["code"] for h in hits} == allowed, (name, q)
            seen[name] = allowed
    assert len(seen["public"]) == 2 and seen["enterprise"] == seen["public"]
    assert len(seen["bureau"]) == 3 and len(seen["other_bureau"]) == 5 and len(seen["provider"]) == 4
