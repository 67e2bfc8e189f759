"""Regions compared as administrative divisions, in one place: province ⊃ city ⊃ district,
繁體 folded, 全国 or nothing = nationwide."""

from __future__ import annotations

import pytest

from catalog.regions import (
    city,
    city_with_province,
    covers,
    located_or_served,
    province,
    served_keys,
    serves,
)


@pytest.mark.parametrize(("region", "expected"), [
    ("江西省九江市濂溪区", "江西"), ("新疆维吾尔自治区昌吉回族自治州", "新疆"), ("上海市松江区", "上海"),
    ("江西省九江市", "江西"), ("內蒙古自治區", "内蒙古"), ("九江市", None), ("", None),
])
def test_the_province_of_a_region(region: str, expected: str | None) -> None:
    assert province(region) == expected


def test_who_serves_whom() -> None:
    assert serves([], "江西省九江市") and serves(["全国"], "新疆昌吉") and serves(["江西省"], "江西省九江市濂溪区")
    assert serves(["九江市"], "江西省九江市湖口县") and serves(["江西省九江市"], "江西省九江市湖口县")
    assert not serves(["江西省九江市"], "江西省赣州市兴国县") and not serves(["新疆维吾尔自治区"], "江西省九江市")
    assert serves(["江西"], "江西省九江市") and serves(["江西省"], "")  # an unknown place is everyone's
    assert covers("江西省", "江西省九江市") and not covers("江西省九江市濂溪区", "江西省九江市")
    assert served_keys([]) == ["全国"] and served_keys(["江西省九江市", "江西省赣州市"]) == ["江西"]


def test_cities() -> None:
    assert city("江西省九江市湖口县") == "九江市" and city("上海市松江区") == "上海市" and city(None) == "未知"
    assert city("新疆维吾尔自治区昌吉回族自治州昌吉市") == "昌吉回族自治州"
    assert city_with_province("江西省九江市濂溪区") == "江西省九江市"
    assert city_with_province("上海市松江区") == "上海市" and city_with_province("江西省") == "江西省"


def test_located_or_served() -> None:
    assert located_or_served("江西省九江市濂溪区", ["新疆维吾尔自治区"], "江西省九江市")  # it is there
    assert located_or_served("河南省新乡市", ["江西省"], "江西省九江市")
    assert not located_or_served("河南省新乡市", ["河南省"], "江西省九江市")
