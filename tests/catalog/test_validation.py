import json

import pytest
from catalog_builders import DEV_DATA

from catalog import validation as v
from catalog.taxonomy import taxonomy


def test_check_digit_of_a_known_code() -> None:
    assert v.check_digit("91360400QJWYLF55T") == "Y"
    assert v.uscc_is_valid("91360400QJWYLF55TY")


def test_every_code_in_the_dev_data_is_valid() -> None:
    codes = [p["uscc"] for p in json.loads((DEV_DATA / "catalog.json").read_text("utf-8"))["providers"]]
    codes += [e["uscc"] for e in json.loads((DEV_DATA / "enterprises.json").read_text("utf-8"))["enterprises"]]
    assert len(codes) == 115
    assert all(v.uscc_is_valid(code) for code in codes)


@pytest.mark.parametrize("code", ["91360400QJWYLF55TX", "91360400QJWYLF55T", "91360400QJWYLF55TYY",
                                  "91360400QJWYLF55IY", "", None])
def test_bad_codes_are_invalid(code: str | None) -> None:
    assert not v.uscc_is_valid(code)


def test_make_uscc_gives_valid_codes_from_any_seed() -> None:
    assert v.make_uscc("91360400QJWYLF55T") == "91360400QJWYLF55TY"
    made = {v.make_uscc(f"seed-{i}") for i in range(200)}
    assert len(made) == 200 and all(v.uscc_is_valid(c) for c in made)


def test_clean_uscc_explains_the_check_digit() -> None:
    assert v.clean_uscc(" 91360400qjwylf55ty ") == "91360400QJWYLF55TY"
    with pytest.raises(ValueError, match="第 18 位应为“Y”"):
        v.clean_uscc("91360400QJWYLF55TX")
    with pytest.raises(ValueError, match="18 位"):
        v.clean_uscc("9136040")


@pytest.mark.parametrize("phone", ["13912345678", "0792-1234567", "07921234567", "010-12345678", "+86 139 1234 5678"])
def test_valid_phones(phone: str) -> None:
    assert v.clean_phone(phone)


@pytest.mark.parametrize("phone", ["12912345678", "1391234567", "792-1234567", "电话"])
def test_invalid_phones(phone: str) -> None:
    with pytest.raises(ValueError, match="联系电话格式不正确"):
        v.clean_phone(phone)


def test_phone_typed_as_number_in_a_spreadsheet() -> None:
    assert v.clean_phone(13912345678.0) == "13912345678"


def test_unknown_scenario_suggests_the_closest() -> None:
    with pytest.raises(ValueError) as caught:
        v.resolve_scenarios(["设备运維管理"])
    assert str(caught.value) == "未知的应用场景“设备运维管理”，是否指：设备管理运维？"


def test_suggest_finds_reordered_and_partial_names() -> None:
    scenarios = taxonomy().scenarios
    assert v.suggest("生产排程", scenarios)[0] == "生产计划排程"
    assert v.suggest("网络安全", scenarios)[0] == "网络与数据安全"
    assert v.suggest("完全无关", scenarios) == []


def test_industries_resolve_names_aliases_and_codes() -> None:
    assert v.resolve_industries(["c261", "化学原料和化学制品制造业", "新型化工", "通用"]) == ["C261", "C26", "通用"]
    with pytest.raises(ValueError, match="未知的行业“化工业”"):
        v.resolve_industries(["化工业"])


def test_one_industry_rejects_generic_and_ambiguous() -> None:
    assert v.resolve_one_industry("起重装备") == "C343"
    with pytest.raises(ValueError, match="通用"):
        v.resolve_one_industry("通用")
    with pytest.raises(ValueError, match="对应多个行业"):
        v.resolve_one_industry("高端装备")


@pytest.mark.parametrize(("raw", "expected"), [(12, 12.0), ("12.5", 12.5), ("１２", 12.0), ("1,200", 1200.0),
                                               ("3万元", 3.0), ("", None), (None, None)])
def test_parse_number(raw: object, expected: float | None) -> None:
    assert v.parse_number(raw) == expected


def test_parse_whole_rejects_fractions_and_words() -> None:
    assert v.parse_whole("30") == 30
    with pytest.raises(ValueError, match="整数"):
        v.parse_whole(2.5)
    with pytest.raises(ValueError, match="应为数字"):
        v.parse_whole("三十天")
