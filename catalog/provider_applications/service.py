"""服务商入驻: a provider applies on its own, a bureau of a region it serves decides.

`submit` checks everything before it writes (so a refused application stores nothing), then
creates the provider in 待审核, its account and the application, audited, and tells the
reviewing bureaus. `decide` approves (已入库) or rejects (退出, with the reason) and tells the
applicant. The application's state is its provider's status; the reason its review remark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import func
from sqlmodel import Session, col, select

from catalog.audit import service as audit
from catalog.errors import Conflict, MarketError, NotFound, ValidationFailed
from catalog.language.text import company_key
from catalog.notifications import notices
from catalog.notifications import service as nt
from catalog.provider_applications import permissions as application_rules
from catalog.provider_applications.models import ProviderApplication, ProviderApplicationCreate
from catalog.providers import review
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.service import create_provider
from catalog.records import utcnow
from catalog.users import service as user_service
from catalog.users.models import Role, User

SIMILAR_SCORE = 80  # rapidfuzz ratio of two name keys (legal suffix and region stripped)
SIMILAR_LIMIT = 5
ADDRESS_WINDOW = timedelta(hours=1)
MAX_PER_ADDRESS = 5  # applications from one address within the window
PENDING = ListingStatus.PENDING.value


@dataclass(frozen=True)
class Similar:
    """An existing provider whose name is close to the applicant's; its name only if public."""

    provider_id: int
    name: str | None
    score: int

    def describe(self) -> str:
        return f"“{self.name}”" if self.name else "一家尚未公开的服务商"


def similar_providers(*, session: Session, name: str) -> list[Similar]:
    """Existing providers whose name key is at least SIMILAR_SCORE alike (best first)."""
    key = company_key(name)
    if not key:
        return []
    rows = session.exec(select(Provider.id, Provider.name_key, Provider.name, Provider.status)).all()
    choices = {int(pid or 0): name_key for pid, name_key, _, _ in rows if name_key}
    public = {int(pid or 0): shown for pid, _, shown, status in rows if status == ListingStatus.PUBLISHED}
    found = process.extract(key, choices, scorer=fuzz.ratio, processor=None, score_cutoff=SIMILAR_SCORE,
                            limit=SIMILAR_LIMIT)
    return [Similar(provider_id=pid, name=public.get(pid), score=round(score)) for _, score, pid in found]


def check_rate(*, session: Session, address: str) -> None:
    """Refuse (429) a further application from an address that sent MAX_PER_ADDRESS this hour."""
    if not address:
        return
    since = utcnow() - ADDRESS_WINDOW
    count = session.exec(select(func.count()).select_from(ProviderApplication).where(
        ProviderApplication.address == address, col(ProviderApplication.created_at) >= since)).one()
    if int(count) >= MAX_PER_ADDRESS:
        raise MarketError("rate_limited", "同一地址提交的入驻申请过多，请一小时后再试", 429)


def _check_new(session: Session, data: ProviderApplicationCreate) -> list[Similar]:
    """Everything that refuses an application, before anything is written; the similar names."""
    if session.exec(select(Provider.id).where(Provider.uscc == data.uscc)).first() is not None:
        raise Conflict("duplicate_uscc", f"统一社会信用代码 {data.uscc} 已有服务商登记（已入库或正在审核），"
                       "不能重复入驻；如需找回账号，请联系所在地区的主管部门")
    if user_service.get_user_by_username(session=session, username=data.username) is not None:
        raise Conflict("duplicate_username", f"用户名“{data.username}”已被使用，请换一个")
    similar = similar_providers(session=session, name=data.name)
    if similar and not data.confirm_similar_name:
        names = "、".join(s.describe() for s in similar)
        raise Conflict("similar_name", f"已有名称相近的服务商：{names}。如确认不是同一家机构，请勾选确认后再提交",
                       details=[{"name": s.name, "score": s.score} for s in similar])
    return similar


def submit(*, session: Session, data: ProviderApplicationCreate, address: str) -> ProviderApplication:
    """Create the provider (待审核), its account and the application; flushes, never commits."""
    check_rate(session=session, address=address)
    similar = _check_new(session, data)
    actor = f"applicant:{data.username}"
    provider = create_provider(session=session, data=data, actor=actor, status=ListingStatus.PENDING)
    if similar and provider.probable_duplicate_of is None:
        provider.probable_duplicate_of = similar[0].provider_id
    user = user_service.create_user(session=session, username=data.username, password=data.password,
                                    role=Role.PROVIDER, actor=actor, display_name=data.contact_name or data.name,
                                    provider_id=provider.id)
    application = ProviderApplication(provider_id=provider.id or 0, user_id=user.id or 0,
                                      similar_to=[s.provider_id for s in similar], address=address[:64])
    session.add(application)
    session.flush()
    audit.append(session=session, actor=actor, action="create", record_type="provider_application",
                 record_key=str(application.id), before=None,
                 after={"provider_id": provider.id, "username": user.username, "similar_to": application.similar_to})
    bureaus = nt.bureau_users(session=session, concerns=lambda regions: application_rules.serves_bureau(provider, regions))
    notices.application_submitted(session=session, provider=provider, application_id=application.id or 0,
                                  bureau_ids=bureaus)
    return application


def decide(*, session: Session, user: User, application: ProviderApplication, approve: bool | None,
           reason: str) -> Provider:
    """`user`'s decision on an application, as every front door takes it: only a reviewing bureau
    (NotFound to who may not see it, Forbidden to the applicant: provider_applications permissions),
    then approve (已入库) or reject (退出, a reason required; None, no decision chosen, is refused):
    the bureau's review of its provider (catalog/providers/review.py: the checks, the status, the
    notice to the applicant), with the application marked decided and audited as that user; flushes."""
    provider = get_provider_of(session=session, application=application)
    application_rules.require_decide_application(user, application, provider)
    if approve is None:
        raise ValidationFailed("decision_required", "请选择审核结论")
    actor = user_service.actor_of(user)
    review.review_listing(session=session, record=provider, decision="approve" if approve else "refuse",
                          remark=reason, actor=actor)
    application.decided_at, application.decided_by = utcnow(), actor
    session.add(application)
    audit.append(session=session, actor=actor, action="decide", record_type="provider_application",
                 record_key=str(application.id), before={"status": PENDING},
                 after={"status": provider.status, "reason": provider.review_remark or ""})
    session.flush()
    return provider


# --- reading --------------------------------------------------------------------------------


def get_application(*, session: Session, application_id: int) -> ProviderApplication:
    """The application with this id, or NotFound."""
    found = session.get(ProviderApplication, application_id)
    if found is None:
        raise NotFound("application_not_found", f"未找到编号为 {application_id} 的入驻申请")
    return found


def get_provider_of(*, session: Session, application: ProviderApplication) -> Provider:
    """The provider an application created."""
    provider = session.get(Provider, application.provider_id)
    if provider is None:
        raise NotFound("provider_not_found", "该申请对应的服务商不存在")
    return provider


def of_user(*, session: Session, user: User) -> ProviderApplication | None:
    """The application a provider account was created by, if any."""
    if user.provider_id is None:
        return None
    return session.exec(select(ProviderApplication).where(
        ProviderApplication.provider_id == user.provider_id)).first()


def applications(*, session: Session, pending_only: bool = True) -> list[tuple[ProviderApplication, Provider]]:
    """Applications with their providers, oldest first (the caller filters by who may see them)."""
    statement: Any = select(ProviderApplication, Provider).join(
        Provider, col(Provider.id) == ProviderApplication.provider_id)
    if pending_only:
        statement = statement.where(Provider.status == PENDING)
    return list(session.exec(statement.order_by(col(ProviderApplication.created_at), col(ProviderApplication.id))))


def visible_applications(*, session: Session, user: User | None) -> list[tuple[ProviderApplication, Provider]]:
    """Every application `user` may see (the reviewing bureaus', the applicant's own), oldest first."""
    return [(a, p) for a, p in applications(session=session, pending_only=False)
            if application_rules.can_view_application(user, a, p)]


def similar_of(*, session: Session, application: ProviderApplication) -> list[Provider]:
    """The existing providers the applicant confirmed it is not."""
    ids = application.similar_to or []
    if not ids:
        return []
    return list(session.exec(select(Provider).where(col(Provider.id).in_(ids))))
