"""The committed demo data: valid, complete, consistent, and reproducible by seed/build.py."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from catalog.taxonomy import taxonomy
from catalog.users.models import Role
from catalog.validation import phone_is_valid, uscc_is_valid
from seed import build
from seed.users import DEMO_USERS

DATA = Path(build.__file__).resolve().parent / "data"
CITIES = {
    "九江": "江西省九江市",
    "新乡": "河南省新乡市",
    "昌吉": "新疆维吾尔自治区昌吉回族自治州",
}
# The plan segments of each pilot city (codes from catalog/data/taxonomy.json).
SEGMENTS = {
    "九江": {"C261", "C171", "C397"},
    "新乡": {"C343", "C358", "C277", "C367", "C26"},
    "昌吉": {"C32", "C26", "C382", "C13", "C14", "C17"},
}


def _read(name: str) -> dict[str, Any]:
    return dict(json.loads((DATA / name).read_text("utf-8")))


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    catalog, enterprises = _read("catalog.json"), _read("enterprises.json")
    return {**catalog, **enterprises, **_read("chains.json"), "statuses": _read("statuses.json")}


def test_counts_meet_the_brief(data: dict[str, Any]) -> None:
    assert len(data["providers"]) >= 30
    assert len(data["solutions"]) >= 120
    assert len(data["enterprises"]) >= 90
    per_enterprise = Counter(n["enterprise_uscc"] for n in data["needs"])
    assert set(per_enterprise) == {e["uscc"] for e in data["enterprises"]}
    assert set(per_enterprise.values()) <= {2, 3, 4}
    blank = [n for n in data["needs"] if not n["scenario"]]
    assert 0.15 * len(data["needs"]) < len(blank) < 0.5 * len(data["needs"])
    kinds = Counter(p["kind"] for p in data["providers"])
    assert kinds["综合服务商"] >= 5 and kinds["专业服务商"] >= 15


def test_every_uscc_and_phone_is_valid_and_unique(data: dict[str, Any]) -> None:
    usccs = [p["uscc"] for p in data["providers"]] + [e["uscc"] for e in data["enterprises"]]
    bad = [u for u in usccs if not uscc_is_valid(u)]
    assert not bad
    assert len(set(usccs)) == len(usccs)
    phones = [p["contact_phone"] for p in data["providers"]]
    assert all(phone_is_valid(p) for p in phones)
    assert len({p["name"] for p in data["providers"]}) == len(data["providers"])
    assert len({e["name"] for e in data["enterprises"]}) == len(data["enterprises"])


def test_our_check_digit_agrees_with_the_catalog_validator() -> None:
    from catalog.validation import check_digit

    for first17 in ("91360400MA35R7K2W", "91410700MA9G3T5L1", "91652300MA77BN4Q8"):
        assert build.uscc_check_digit(first17) == check_digit(first17)


def test_scenarios_industries_and_enumerations_come_from_the_taxonomy(data: dict[str, Any]) -> None:
    tax = taxonomy()
    scenarios, industries = set(tax.scenarios), set(tax.industries)
    for record in data["providers"] + data["solutions"]:
        assert set(record["scenarios"]) <= scenarios, record["name"]
        assert set(record["industries"]) <= industries, record["name"]
    assert {s for sol in data["solutions"] for s in sol["scenarios"]} == scenarios
    assert {n["scenario"] for n in data["needs"] if n["scenario"]} <= scenarios
    for sol in data["solutions"]:
        assert sol["deployment"] in tax.deployment and sol["billing"] in tax.billing
        assert sol["size_fit"] in {"规上", "规下", "均可"}
        assert sol.get("target_level") in {None, "二级", "三级", "四级"}
        assert 0.5 <= sol["price_wan"] <= 80 and sol["deploy_days"] >= 1
    for ent in data["enterprises"]:
        assert ent["industry"] in industries and ent["size"] in {"规上", "规下"}
        assert ent["srdi_tier"] in tax.srdi_tiers and ent["level"] in tax.levels
    assert {e["level"] for e in data["enterprises"]} == {"未评测", "一级", "二级", "三级"}
    assert {n["priority"] for n in data["needs"]} == {"高", "中", "低"}


def test_solutions_use_the_abbreviations_people_search_for(data: dict[str, Any]) -> None:
    text = " ".join(s["name"] + s["description"] + " ".join(s["keywords"]) for s in data["solutions"])
    for abbreviation in ("MES", "WMS", "APS", "QMS", "EMS", "SCADA", "SRM", "CRM", "ERP"):
        assert abbreviation in text, abbreviation


def test_every_reference_resolves(data: dict[str, Any]) -> None:
    providers = {p["uscc"] for p in data["providers"]}
    enterprises = {e["uscc"] for e in data["enterprises"]}
    assert {s["provider_uscc"] for s in data["solutions"]} <= providers
    assert all(n["enterprise_uscc"] in enterprises for n in data["needs"])
    assert len({s["code"] for s in data["solutions"]}) == len(data["solutions"])
    assert len({(n["enterprise_uscc"], n["code"]) for n in data["needs"]}) == len(data["needs"])
    tier1 = {(link["leader_uscc"], link["member_uscc"]) for link in data["links"] if not link["via_uscc"]}
    for link in data["links"]:
        assert {link["leader_uscc"], link["member_uscc"]} <= enterprises
        assert link["relation"] in {"供应商", "客户", "外协"}
        assert link["share"] is None or 0 < link["share"] <= 1
        if link["via_uscc"]:
            assert (link["leader_uscc"], link["via_uscc"]) in tier1


def test_three_cities_with_their_plan_segments(data: dict[str, Any]) -> None:
    for city, prefix in CITIES.items():
        in_city = [e for e in data["enterprises"] if e["region"].startswith(prefix)]
        assert len(in_city) >= 25, city
        assert SEGMENTS[city] <= {e["industry"] for e in in_city}, city
        assert {"规上", "规下"} <= {e["size"] for e in in_city}, city
        assert any(p["region"].startswith(prefix) for p in data["providers"]), city


def test_one_chain_per_city_with_tiers_and_a_shared_member(data: dict[str, Any]) -> None:
    region = {e["uscc"]: e["region"] for e in data["enterprises"]}
    chains: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in data["links"]:
        chains[link["leader_uscc"]].append(link)
    assert sorted(next(c for c, p in CITIES.items() if region[leader].startswith(p)) for leader in chains) == [
        "九江", "新乡", "昌吉"]
    for links in chains.values():
        tier1 = [link for link in links if not link["via_uscc"]]
        assert 8 <= len(tier1) <= 15
        assert any(link["via_uscc"] for link in links)
        assert {"供应商", "客户", "外协"} <= {link["relation"] for link in tier1}
    members = Counter(link["member_uscc"] for link in data["links"])
    shared = [m for m, n in members.items() if n > 1]
    assert len(shared) == 1
    assert len({link["leader_uscc"] for link in data["links"] if link["member_uscc"] == shared[0]}) == 2


def test_statuses_name_demo_records_and_cover_every_review_state(data: dict[str, Any]) -> None:
    statuses = data["statuses"]
    providers = {p["uscc"] for p in data["providers"]}
    codes = {s["code"] for s in data["solutions"]}
    enterprises = {e["uscc"] for e in data["enterprises"]}
    assert set(statuses["providers"]) <= providers and set(statuses["solutions"]) <= codes
    assert list(statuses["providers"].values()).count("待审核") >= 2
    assert "暂停" in statuses["solutions"].values() and "待审核" in statuses["solutions"].values()
    assert set(statuses["excellent"]) <= codes and len(statuses["excellent"]) >= 3
    assert not set(statuses["excellent"]) & set(statuses["solutions"])
    assert set(statuses["findable_by_providers"]) <= enterprises
    assert set(statuses["share_needs_with_chain"]) <= enterprises
    chained = {link["member_uscc"] for link in data["links"]}
    assert chained - set(statuses["share_needs_with_chain"]), "some chain members keep their needs private"
    pending_owners = set(statuses["providers"])
    for sol in data["solutions"]:
        if sol["provider_uscc"] in pending_owners:
            assert statuses["solutions"].get(sol["code"]) == "待审核", sol["name"]


def test_demo_users_cover_every_role_and_bind_to_demo_records(data: dict[str, Any]) -> None:
    providers = {p["name"] for p in data["providers"]}
    enterprises = {e["name"]: e["uscc"] for e in data["enterprises"]}
    leaders = {link["leader_uscc"] for link in data["links"]}
    assert {u.role for u in DEMO_USERS} == set(Role)
    assert len({u.username for u in DEMO_USERS}) == len(DEMO_USERS)
    for user in DEMO_USERS:
        assert len(user.password) >= 8
        if user.role == Role.BUREAU:
            assert user.regions and set(user.regions) <= set(CITIES.values())
        if user.role == Role.PROVIDER:
            assert user.provider in providers
        if user.role in (Role.ENTERPRISE, Role.CHAIN_LEADER):
            assert user.enterprise in enterprises
    bound_leaders = {enterprises[u.enterprise] for u in DEMO_USERS if u.role == Role.CHAIN_LEADER and u.enterprise}
    assert bound_leaders == leaders
    admin = next(u for u in DEMO_USERS if u.username == "admin_bureau")
    assert set(admin.regions) == set(CITIES.values())


def test_build_reproduces_the_committed_files(tmp_path: Path) -> None:
    build.build_all(tmp_path)
    for name in ("catalog.json", "enterprises.json", "chains.json", "statuses.json"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_names_and_contacts_are_stable_per_company() -> None:
    assert build.make_uscc("某某科技有限公司", "江西省九江市濂溪区") == build.make_uscc("某某科技有限公司", "江西省九江市")
    assert build.make_uscc("某某科技有限公司", "江西省九江市").startswith("91360400")
    assert build.make_uscc("甲公司", "河南省新乡市") != build.make_uscc("乙公司", "河南省新乡市")
    assert build.make_contact("甲公司") == build.make_contact("甲公司")
