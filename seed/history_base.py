"""What the history load shares: the demo cities, their enterprises and the offerings that serve them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from catalog.engagements import service as engagement_service
from catalog.engagements.models import Engagement
from catalog.engagements.schemas import EngagementCreate
from catalog.enterprises.models import Enterprise, Need
from catalog.providers.models import ListingStatus, Provider
from catalog.regions import serves
from catalog.solutions.models import Solution
from catalog.taxonomy import GENERIC, industry_fits
from catalog.users.models import User


@dataclass(frozen=True)
class City:
    """A demo city: its region prefix, its bureau's username, its names and where its events meet."""

    region: str
    bureau: str
    name: str  # short: 九江
    full_name: str  # 九江市
    place: str


CITIES = (
    City("江西省九江市", "jiujiang_bureau", "九江", "九江市", "九江市工业和信息化局三楼会议中心"),
    City("河南省新乡市", "xinxiang_bureau", "新乡", "新乡市", "新乡市平原示范区企业服务中心"),
    City("新疆维吾尔自治区昌吉回族自治州", "changji_bureau", "昌吉", "昌吉回族自治州", "昌吉国家高新区管委会报告厅"),
)


def city_enterprises(session: Session, city: City) -> list[Enterprise]:
    """The city's pilot enterprises, in id order."""
    return list(session.exec(select(Enterprise).where(col(Enterprise.region).startswith(city.region))
                             .order_by(col(Enterprise.id))).all())


def showcase_firms(session: Session, city: City) -> list[Enterprise]:
    """The city's enterprises that demo accounts sign in as (their pages must show a history)."""
    from seed.users import DEMO_USERS

    names = {u.enterprise for u in DEMO_USERS if u.enterprise}
    return [f for f in city_enterprises(session, city) if f.name in names]


def offerings(session: Session, city: City) -> list[tuple[Solution, Provider]]:
    """Published solutions of published providers that serve the city, in id order."""
    rows = session.exec(select(Solution, Provider).join(Provider, col(Provider.id) == Solution.provider_id)
                        .where(col(Solution.status) == ListingStatus.PUBLISHED.value,
                               col(Provider.status) == ListingStatus.PUBLISHED.value)
                        .order_by(col(Solution.id))).all()
    return [(s, p) for s, p in rows if serves(p.service_regions, city.region) or p.region.startswith(city.region)]


def fitting(need: Need, firm: Enterprise, solutions: list[Solution]) -> list[Solution]:
    """Offerings for a need: its scenario (when known) and the enterprise's industry."""
    by_industry = [s for s in solutions if GENERIC in s.industries or industry_fits(s.industries, firm.industry)]
    if need.scenario:
        return [s for s in by_industry if need.scenario in s.scenarios] or by_industry
    return by_industry


def needs_of(session: Session, firm: Enterprise) -> list[Need]:
    return list(session.exec(select(Need).where(Need.enterprise_id == firm.id).order_by(col(Need.id))).all())


def open_engagement(session: Session, firm: Enterprise, solution: Solution, began: date) -> Engagement:
    """An 意向 engagement, dated the day it began."""
    data = EngagementCreate(enterprise_id=firm.id or 0, solution_id=solution.id or 0)
    engagement = engagement_service.create_engagement(session=session, data=data, actor="seed")
    return backdate(session, engagement, began)


def party_actors(session: Session, engagement: Engagement) -> tuple[str, str]:
    """Who acts for the enterprise and for the provider: their demo accounts, else "seed"."""
    users = session.exec(select(User).where(or_(col(User.enterprise_id) == engagement.enterprise_id,
                                                col(User.provider_id) == engagement.provider_id))
                         .order_by(col(User.id))).all()
    firm = next((u.username for u in users if u.enterprise_id == engagement.enterprise_id), "seed")
    seller = next((u.username for u in users if u.provider_id == engagement.provider_id), "seed")
    return firm, seller


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)


def settle(session: Session, engagement: Engagement, began: date, last: date) -> None:
    """Set an engagement's creation and change times to the days it began and last moved
    (a record of the past: the steps themselves went through the workflow)."""
    engagement.created_at, engagement.updated_at = _moment(began), _moment(last)
    session.add(engagement)
    session.flush()


def backdate(session: Session, engagement: Engagement, began: date) -> Engagement:
    """Set an engagement's creation time to the day it began (a record of the past)."""
    if engagement.created_at.date() != began:
        engagement.created_at = _moment(began)
        session.add(engagement)
        session.flush()
    return engagement


