"""Loading the demo data into a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures_demo import demo_enterprise, demo_provider, demo_solution
from sqlmodel import Session, select

from catalog.chains.models import ChainLink
from catalog.enterprises.models import Enterprise, Need
from catalog.errors import ImportRejected
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions.models import Solution
from catalog.users import service as catalog_users
from catalog.users.models import Role, User
from seed.load import DATA_DIR, is_empty, load_demo, status_path
from seed.users import DEMO_PASSWORD, DEMO_USERS


def _statuses() -> dict[str, Any]:
    return dict(json.loads((DATA_DIR / "statuses.json").read_text("utf-8")))


def _snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "providers": sorted((p.uscc, p.name, p.status, p.version) for p in session.exec(select(Provider))),
        "solutions": sorted((s.code, s.name, s.status, s.excellent, s.version) for s in session.exec(select(Solution))),
        "enterprises": sorted((e.uscc, e.findable_by_providers, e.share_needs_with_chain, e.version)
                              for e in session.exec(select(Enterprise))),
        "needs": sorted((n.enterprise_id, n.code, n.text, n.version) for n in session.exec(select(Need))),
        "links": sorted((c.leader_id, c.member_id, c.via_id or 0, c.relation) for c in session.exec(select(ChainLink))),
        "users": sorted((u.username, u.role, u.provider_id or 0, u.enterprise_id or 0) for u in session.exec(select(User))),
    }


def test_load_fills_an_empty_database(session: Session) -> None:
    assert is_empty(session=session)
    report = load_demo(session=session)
    session.commit()
    assert not is_empty(session=session)
    catalog = json.loads((DATA_DIR / "catalog.json").read_text("utf-8"))
    assert report.totals["providers"] == len(catalog["providers"])
    assert report.totals["solutions"] == len(catalog["solutions"])
    assert report.totals["users"] == len(DEMO_USERS) == len(report.users_created)
    assert "服务商：新增 33" in report.summary_zh() and "新建用户 16 个" in report.summary_zh()


def test_load_applies_statuses_flags_and_opt_ins(session: Session) -> None:
    load_demo(session=session)
    session.commit()
    statuses = _statuses()
    by_status = {s: {p.uscc for p in session.exec(select(Provider).where(Provider.status == s))} for s in ListingStatus}
    assert by_status[ListingStatus.PENDING] == set(statuses["providers"])
    assert len(by_status[ListingStatus.PUBLISHED]) == 33 - len(statuses["providers"])
    solutions = {s.code: s for s in session.exec(select(Solution))}
    for code, status in statuses["solutions"].items():
        assert solutions[code].status == status
    suspended = next(s for s in solutions.values() if s.status == ListingStatus.SUSPENDED)
    assert suspended.review_remark and suspended.status_changed_by == "seed"
    assert {c for c, s in solutions.items() if s.excellent} == set(statuses["excellent"])
    findable = {e.uscc for e in session.exec(select(Enterprise).where(Enterprise.findable_by_providers == True))}  # noqa: E712
    assert findable == set(statuses["findable_by_providers"])
    sharing = {e.uscc for e in session.exec(select(Enterprise).where(Enterprise.share_needs_with_chain == True))}  # noqa: E712
    assert sharing == set(statuses["share_needs_with_chain"])


def test_demo_users_log_in_with_the_demo_password_and_are_bound(session: Session) -> None:
    load_demo(session=session)
    session.commit()
    jj = catalog_users.get_user_by_username(session=session, username="jiujiang_bureau")
    assert jj is not None and jj.role == Role.BUREAU and jj.regions == ["江西省九江市"]
    assert catalog_users.verify_password(jj.password_hash, DEMO_PASSWORD)
    assert not catalog_users.verify_password(jj.password_hash, "wrong-password")
    provider_user = catalog_users.get_user_by_username(session=session, username="provider_xunzhi")
    assert provider_user is not None
    assert provider_user.provider_id == demo_provider(session, "九江浔阳智造科技有限公司").id
    leader = catalog_users.get_user_by_username(session=session, username="leader_hengyue")
    assert leader is not None and leader.role == Role.CHAIN_LEADER
    leader_enterprise = demo_enterprise(session, "长垣恒岳起重集团股份有限公司")
    assert leader.enterprise_id == leader_enterprise.id
    assert session.exec(select(ChainLink).where(ChainLink.leader_id == leader_enterprise.id)).first() is not None
    admin = catalog_users.get_user_by_username(session=session, username="admin_bureau")
    assert admin is not None and len(admin.regions) == 3


def test_loading_twice_changes_nothing(database_url: str) -> None:
    from catalog.db import session_scope

    with session_scope(database_url) as session:
        load_demo(session=session)
    with session_scope(database_url) as session:
        before = _snapshot(session)
    with session_scope(database_url) as session:
        again = load_demo(session=session)
    with session_scope(database_url) as session:
        after = _snapshot(session)
    assert before == after
    assert again.users_created == [] and again.status_changes == 0 and again.excellent_marked == 0
    assert again.privacy_changes == 0
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.imported.counts.values())


def test_demo_session_fixture_holds_the_named_records(demo_session: Session) -> None:
    assert demo_solution(demo_session, "轻帆云MES").excellent
    assert demo_provider(demo_session, "新乡牧原汇智信息科技有限公司").status == ListingStatus.PENDING
    hualun = demo_enterprise(demo_session, "共青城华纶印染有限公司")
    needs = demo_session.exec(select(Need).where(Need.enterprise_id == hualun.id)).all()
    assert 2 <= len(needs) <= 4


def test_a_bad_data_file_is_rejected_and_nothing_is_stored(session: Session, tmp_path: Path) -> None:
    for name in ("catalog.json", "enterprises.json", "chains.json", "statuses.json"):
        (tmp_path / name).write_text((DATA_DIR / name).read_text("utf-8"), "utf-8")
    catalog = json.loads((tmp_path / "catalog.json").read_text("utf-8"))
    catalog["solutions"][0]["scenarios"] = ["不存在的场景"]
    (tmp_path / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    with pytest.raises(ImportRejected):
        load_demo(session=session, data_dir=tmp_path)
    session.rollback()
    assert is_empty(session=session)


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        (ListingStatus.PUBLISHED, ListingStatus.PUBLISHED, []),
        (ListingStatus.PUBLISHED, ListingStatus.PENDING, [ListingStatus.PENDING]),
        (ListingStatus.PENDING, ListingStatus.SUSPENDED, [ListingStatus.PUBLISHED, ListingStatus.SUSPENDED]),
        (ListingStatus.SUSPENDED, ListingStatus.PENDING, [ListingStatus.PUBLISHED, ListingStatus.PENDING]),
    ],
)
def test_status_path_follows_the_allowed_transitions(
    current: ListingStatus, target: ListingStatus, expected: list[ListingStatus]
) -> None:
    assert status_path(current, target) == expected


def test_status_path_refuses_to_leave_retired() -> None:
    with pytest.raises(ValueError, match="退出"):
        status_path(ListingStatus.RETIRED, ListingStatus.PUBLISHED)
