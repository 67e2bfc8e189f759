"""JSON API: 服务商入驻 — a provider applies on its own; a bureau of a region it serves decides."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlmodel import Session

from catalog.provider_applications import permissions as application_rules
from catalog.provider_applications import service as applications
from catalog.provider_applications.models import (
    ApplicationDecision,
    ProviderApplication,
    ProviderApplicationCreate,
)
from catalog.providers.models import Provider
from catalog.users.models import User
from market.auth.api import client_address
from market.deps import CurrentUser, SessionDep
from market.errors import error_responses
from market.permissions.declared import BUREAU, LOGGED_IN, PROVIDER, PUBLIC, requires
from market.web.api_common import READ_ERRORS, RecordId

router = APIRouter(prefix="/api/provider-applications", tags=["服务商入驻"])


class ApplicationOut(BaseModel):
    id: int
    provider_id: int
    name: str
    uscc: str
    region: str
    service_regions: list[str]
    status: str
    reason: str | None
    probable_duplicate: bool
    similar_count: int
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None


class ApplicationsOut(BaseModel):
    data: list[ApplicationOut]
    count: int


def application_out(application: ProviderApplication, provider: Provider) -> ApplicationOut:
    """What the applicant and the reviewers read of an application."""
    return ApplicationOut(
        id=application.id or 0, provider_id=application.provider_id, name=provider.name, uscc=provider.uscc,
        region=provider.region, service_regions=list(provider.service_regions or []), status=provider.status,
        reason=provider.review_remark, probable_duplicate=bool(application.similar_to),
        similar_count=len(application.similar_to or []), created_at=application.created_at,
        decided_at=application.decided_at, decided_by=application.decided_by)


def _load(session: Session, user: User | None, application_id: int) -> tuple[ProviderApplication, Provider]:
    application = applications.get_application(session=session, application_id=application_id)
    provider = applications.get_provider_of(session=session, application=application)
    application_rules.require_view_application(user, application, provider)
    return application, provider


@router.post("", response_model=ApplicationOut, status_code=201,
             responses=error_responses(409, 422, 429, 503), summary="提交服务商入驻申请（无需登录）",
                 openapi_extra=requires(PUBLIC))
def submit(request: Request, session: SessionDep, data: ProviderApplicationCreate) -> ApplicationOut:
    """Creates the provider in 待审核 and its account; a similar existing name needs confirm_similar_name."""
    application = applications.submit(session=session, data=data, address=client_address(request))
    return application_out(application, applications.get_provider_of(session=session, application=application))


@router.get("", response_model=ApplicationsOut, responses=error_responses(401, 503),
            summary="入驻申请：主管部门的待审列表，或服务商自己的申请", openapi_extra=requires(LOGGED_IN))
def list_applications(session: SessionDep, user: CurrentUser) -> ApplicationsOut:
    data = [application_out(a, p) for a, p in applications.visible_applications(session=session, user=user)]
    return ApplicationsOut(data=data, count=len(data))


@router.get("/{application_id}", response_model=ApplicationOut, responses=READ_ERRORS, summary="入驻申请详情",
            openapi_extra=requires(BUREAU | PROVIDER))  # the reviewing bureau, and the applicant
def read_application(session: SessionDep, user: CurrentUser, application_id: RecordId) -> ApplicationOut:
    return application_out(*_load(session, user, application_id))


@router.post("/{application_id}/decision", response_model=ApplicationOut,
             responses=error_responses(401, 403, 404, 409, 422, 503), summary="审核入驻申请（通过，或填写理由不予通过）",
                 openapi_extra=requires(BUREAU))
def decide(session: SessionDep, user: CurrentUser, application_id: RecordId, body: ApplicationDecision) -> ApplicationOut:
    application = applications.get_application(session=session, application_id=application_id)
    provider = applications.decide(session=session, user=user, application=application, approve=body.approve,
                                   reason=body.reason)
    return application_out(application, provider)
