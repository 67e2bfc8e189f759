"""Regions as people write them: which province a place is in, and who serves whom.

A provider's `service_regions` lists the places it serves (empty: nationwide). A place is
written many ways — 江西省, 江西, 江西省九江市濂溪区, 新疆维吾尔自治区, 新疆, 繁體 — so every
comparison goes through `province` (the province-level unit's short name, GB/T 2260) and
the folded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from catalog.language.text import normalize

NATIONWIDE = "全国"

# The 34 province-level units by their short names, longest first where one begins another.
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)


@lru_cache(maxsize=8192)
def province(region: str | None) -> str | None:
    """The short name of the province-level unit a region is in (江西省九江市 → 江西), or None."""
    text = normalize(region).replace(" ", "")
    for name in PROVINCES:
        if text.startswith(name):
            return name
    return None


def _below_province(region: str) -> str:
    """The part of a folded region after its province (江西省九江市濂溪区 → 九江市濂溪区)."""
    text = normalize(region).replace(" ", "")
    name = province(text)
    if not name:
        return text
    rest = text[len(name):]
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if rest.startswith(suffix):
            return rest[len(suffix):]
    return rest


def covers(served: str, region: str) -> bool:
    """Does a served place (江西省, 九江市, 全国) include the region (江西省九江市濂溪区)?"""
    if normalize(served) in ("", NATIONWIDE):
        return True
    wanted, offered = province(region), province(served)
    if offered is None:  # a city or county written without its province
        place = normalize(served).replace(" ", "")
        return bool(place) and place in normalize(region).replace(" ", "")
    if wanted != offered:
        return False
    below = _below_province(served)
    return not below or _below_province(region).startswith(below)


def serves(service_regions: Iterable[str], region: str | None) -> bool:
    """Can a provider with these service regions serve an enterprise in `region`?

    An empty list means nationwide; an unknown region is served by everyone.
    """
    places = [r for r in service_regions if r and r.strip()]
    if not places or not region or not region.strip():
        return True
    return any(covers(place, region) for place in places)


def served_keys(service_regions: Iterable[str]) -> list[str]:
    """Index keys for the places served: 全国, or each place's province (for a filter)."""
    places = [r for r in service_regions if r and r.strip()]
    if not places:
        return [NATIONWIDE]
    keys = [province(p) or normalize(p) for p in places]
    return list(dict.fromkeys(keys))


_PROVINCE_PART = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}?省|[\u4e00-\u9fff]{2,8}?自治区)")
_CITY_PART = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:自治州|地区|盟|市)")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
UNKNOWN = "未知"


@lru_cache(maxsize=65536)
def city(region: str | None) -> str:
    """The prefecture-level city of a region (江西省九江市湖口县 → 九江市).

    Municipalities stay as they are (上海市松江区 → 上海市); an unparsable region is
    returned whole, an empty one as 未知.
    """
    text = (region or "").strip()
    if not text:
        return UNKNOWN
    for name in _MUNICIPALITIES:
        if text.startswith(name):
            return name
    rest = _PROVINCE_PART.sub("", text, count=1)
    found = _CITY_PART.match(rest)
    return found.group(0) if found else (rest or text)


def city_with_province(region: str) -> str:
    """The region down to its city, province included (江西省九江市濂溪区 → 江西省九江市): the
    level a browse filter offers. A region without a city is returned whole."""
    text = (region or "").strip()
    province_part = _PROVINCE_PART.match(text)
    head = province_part.group(0) if province_part else ""
    found = _CITY_PART.match(text[len(head):])
    return head + found.group(0) if found else text


def located_or_served(located: str | None, service_regions: Iterable[str], region: str) -> bool:
    """Is a provider located in `region`, or does it serve it (see `serves`)?"""
    return bool(located) and normalize(located).startswith(normalize(region)) or serves(service_regions, region)
