"""Who reviews an application (regions) and which existing names count as similar."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from catalog.provider_applications.permissions import serves_bureau
from catalog.provider_applications.service import similar_providers
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.schemas import ProviderCreate
from catalog.validation import make_uscc

JIUJIANG = ["江西省九江市"]


def _applicant(region: str, served: list[str]) -> Provider:
    return Provider(uscc="x", name="申请人", kind="专业服务商", region=region, service_regions=served)


@pytest.mark.parametrize(("region", "served", "reviews"), [
    ("江西省九江市濂溪区", [], True),  # its home region's bureau
    ("新疆维吾尔自治区昌吉回族自治州昌吉市", ["江西省九江市"], True),  # serves the bureau's region
    ("新疆维吾尔自治区昌吉回族自治州昌吉市", ["江西省"], True),  # serves the province around it
    ("新疆维吾尔自治区昌吉回族自治州昌吉市", ["江西省九江市濂溪区"], True),  # a district within it
    ("新疆维吾尔自治区昌吉回族自治州昌吉市", ["九江市"], True),  # a city written without its province
    ("新疆维吾尔自治区昌吉回族自治州昌吉市", ["江西省南昌市"], False),  # another city of the province
    ("新疆维吾尔自治区昌吉回族自治州昌吉市", ["全国"], False),  # nationwide alone: the home bureau only
    ("新疆维吾尔自治区昌吉回族自治州昌吉市", [], False),
    ("河南省新乡市红旗区", ["河南省"], False),
])
def test_the_bureaus_of_the_regions_it_sits_in_or_serves_review(region: str, served: list[str],
                                                                  reviews: bool) -> None:
    assert serves_bureau(_applicant(region, served), JIUJIANG) is reviews


def _stored(session: Session, name: str, status: ListingStatus) -> Provider:
    data = ProviderCreate(name=name, uscc=make_uscc(name), kind="专业服务商", region="江西省九江市濂溪区",
                          industries=["C26"], scenarios=["设备管理运维"], description="测试")
    return provider_service.create_provider(session=session, data=data, actor="test", status=status)


def test_similar_names_ignore_legal_suffix_and_region_and_hide_unpublished(session: Session) -> None:
    public = _stored(session, "九江云联设备科技有限公司", ListingStatus.PUBLISHED)
    hidden = _stored(session, "江西云联设备技术股份有限公司", ListingStatus.PENDING)
    _stored(session, "九江新创数字科技有限公司", ListingStatus.PUBLISHED)
    found = {s.provider_id: s for s in similar_providers(session=session, name="云联设备科技有限责任公司")}
    assert set(found) == {public.id, hidden.id}
    assert found[public.id].name == "九江云联设备科技有限公司" and found[public.id].score == 100
    assert found[hidden.id].name is None and found[hidden.id].describe() == "一家尚未公开的服务商"
    assert similar_providers(session=session, name="鄱阳湖星图工业数据服务有限公司") == []
