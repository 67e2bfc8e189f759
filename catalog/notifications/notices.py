"""The hooks that tell people what happened, each one small call to `notifications.notify`:
review outcomes, listings and applications waiting for review, a provider's answer to a lead,
meeting requests and replies, and schedule changes at events. Called by the services in the
transaction of the change."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise
from catalog.events.models import Event, EventParticipant, Meeting, MeetingRequest
from catalog.leads.models import LeadAnswer, LeadResponse
from catalog.notifications import service as nt
from catalog.notifications.models import NoticeKind
from catalog.providers.models import Provider
from catalog.solutions.models import Solution

OUTCOMES = {"approve": "已通过审核", "return": "被退回修改", "refuse": "未通过审核"}


def _label(record: Provider | Solution) -> tuple[str, str]:
    """(record type, how the message names it)."""
    if isinstance(record, Solution):
        return "solution", f"产品“{record.name}”"
    return "provider", f"机构“{record.name}”"


def _owner(record: Provider | Solution) -> int | None:
    return record.provider_id if isinstance(record, Solution) else record.id


def review_decided(*, session: Session, record: Provider | Solution, decision: str, remark: str | None) -> None:
    """Tell the provider's accounts the outcome of a review (approve / return / refuse)."""
    record_type, name = _label(record)
    outcome = OUTCOMES.get(decision, decision)
    body = f"主管部门意见：{remark}" if remark else ""
    link = "/provider" if record_type == "provider" else "/provider/solutions"
    nt.notify(session=session, user_ids=nt.users_of_provider(session=session, provider_id=_owner(record)),
              kind=NoticeKind.REVIEW_OUTCOME, title=f"{name}{outcome}", body=body, link=link,
              record_type=record_type, record_key=str(record.id))


def reviewing_bureaus(*, session: Session, provider: Provider) -> list[int]:
    """The bureau accounts of the provider's region."""
    return nt.bureau_users(session=session, concerns=nt.in_region(provider.region))


def listing_submitted(*, session: Session, record: Provider | Solution, what: str = "新提交",
                      link: str = "") -> None:
    """Tell the bureau of the provider's region that a listing (or an edit of it) waits for its review."""
    provider = record if isinstance(record, Provider) else session.get(Provider, record.provider_id)
    if provider is None:
        return
    record_type, name = _label(record)
    nt.notify(session=session, user_ids=reviewing_bureaus(session=session, provider=provider),
              kind=NoticeKind.TO_REVIEW, title=f"{what}待审核：{name}", body=f"服务商：{provider.name}",
              link=link or f"/bureau/review/{record_type}/{record.id}", record_type=record_type,
              record_key=str(record.id))


def revision_decided(*, session: Session, record: Provider | Solution, approved: bool, remark: str | None) -> None:
    """Tell the provider's accounts whether the edit of a published listing was approved or rejected."""
    record_type, name = _label(record)
    outcome = "的修改已通过审核，公开内容已更新" if approved else "的修改被驳回，公开内容保持不变"
    nt.notify(session=session, user_ids=nt.users_of_provider(session=session, provider_id=_owner(record)),
              kind=NoticeKind.REVIEW_OUTCOME, title=f"{name}{outcome}", body=f"主管部门意见：{remark}" if remark else "",
              link="/provider" if record_type == "provider" else "/provider/solutions", record_type=record_type,
              record_key=str(record.id))


def engagement_message(*, session: Session, engagement: Engagement, side: str, first: bool) -> None:
    """申请对接 and its replies: tell the other party's accounts (the enterprise's or the provider's)."""
    solution = session.get(Solution, engagement.solution_id)
    firm = session.get(Enterprise, engagement.enterprise_id)
    product = solution.name if solution else ""
    if side == "企业":
        users = nt.users_of_provider(session=session, provider_id=engagement.provider_id)
        verb = "申请对接" if first else "回复了对接留言，产品"
        title = f"“{firm.name if firm else ''}”{verb}：{product}"
    else:
        provider = session.get(Provider, engagement.provider_id)
        users = nt.users_of_enterprise(session=session, enterprise_id=engagement.enterprise_id)
        title = f"“{provider.name if provider else side}”就“{product}”回复了您的对接申请"
    nt.notify(session=session, user_ids=users, kind=NoticeKind.CONTACT, title=title,
              link=f"/progress/engagements/{engagement.id}", record_type="engagement", record_key=str(engagement.id))


def application_submitted(*, session: Session, provider: Provider, application_id: int,
                          bureau_ids: Iterable[int]) -> None:
    """Tell the bureaus of the regions a new applicant serves that its application waits."""
    nt.notify(session=session, user_ids=bureau_ids, kind=NoticeKind.TO_REVIEW,
              title=f"新的服务商入驻申请：{provider.name}", body=f"所在地区：{provider.region}",
              link=f"/bureau/applications/{application_id}", record_type="provider_application",
              record_key=str(application_id))


def lead_answered(*, session: Session, response: LeadResponse, provider: Provider) -> None:
    """Tell the enterprise that a provider contacted it about one of its needs."""
    if response.answer != LeadAnswer.CONTACTED:
        return
    note = f"服务商留言：{response.note}" if response.note else ""
    nt.notify(session=session, user_ids=nt.users_of_enterprise(session=session, enterprise_id=response.enterprise_id),
              kind=NoticeKind.LEAD_ANSWER, title=f"服务商“{provider.name}”已就您的需求与您联系", body=note,
              link="/enterprise/needs", record_type="lead", record_key=f"{response.provider_id}:{response.need_id}")


# --- events -------------------------------------------------------------------------------


def _accounts(session: Session, person: EventParticipant | None) -> list[int]:
    if person is None:
        return []
    if person.provider_id is not None:
        return nt.users_of_provider(session=session, provider_id=person.provider_id)
    return nt.users_of_enterprise(session=session, enterprise_id=person.enterprise_id)


def _name(session: Session, person: EventParticipant | None) -> str:
    if person is None:
        return ""
    record = (session.get(Provider, person.provider_id) if person.provider_id is not None
              else session.get(Enterprise, person.enterprise_id))
    return record.name if record is not None else ""


def meeting_requested(*, session: Session, event: Event, request: MeetingRequest) -> None:
    """Tell the receiver of a meeting request (accepted at once where the event auto-accepts)."""
    sender = session.get(EventParticipant, request.from_id)
    receiver = session.get(EventParticipant, request.to_id)
    state = "（已自动接受）" if request.status == "已接受" else "，请回复"
    nt.notify(session=session, user_ids=_accounts(session, receiver), kind=NoticeKind.MEETING_REQUEST,
              title=f"“{_name(session, sender)}”约见您{state}", body=f"活动：{event.title}。{request.message}".strip(),
              link=f"/events/{event.id}", record_type="meeting_request", record_key=str(request.id))


def meeting_answered(*, session: Session, request: MeetingRequest) -> None:
    """Tell the sender that the receiver accepted or declined its request."""
    sender = session.get(EventParticipant, request.from_id)
    receiver = session.get(EventParticipant, request.to_id)
    event = session.get(Event, request.event_id)
    nt.notify(session=session, user_ids=_accounts(session, sender), kind=NoticeKind.MEETING_REPLY,
              title=f"“{_name(session, receiver)}”{request.status}了您的约见申请",
              body=f"活动：{event.title if event else ''}", link=f"/events/{request.event_id}",
              record_type="meeting_request", record_key=str(request.id))


def schedule_changed(*, session: Session, event: Event, request_ids: Iterable[int], what: str) -> None:
    """Tell both sides of the given requests' meetings that their schedule changed."""
    ids = sorted(set(request_ids))
    if not ids:
        return
    people: set[int] = set()
    for request in session.exec(select(MeetingRequest).where(MeetingRequest.id.in_(ids))):  # type: ignore[union-attr]
        people.update((request.from_id, request.to_id))
    user_ids = [uid for pid in sorted(people) for uid in _accounts(session, session.get(EventParticipant, pid))]
    nt.notify(session=session, user_ids=user_ids, kind=NoticeKind.SCHEDULE, title=f"“{event.title}”的日程{what}",
              body="请在活动页面查看最新的约见时间和桌号", link=f"/events/{event.id}", record_type="event",
              record_key=str(event.id))


def published_requests(session: Session, event_id: int | None) -> list[int]:
    """The requests behind an event's published meetings."""
    rows = session.exec(select(Meeting.request_id).where(Meeting.event_id == event_id,
                                                         Meeting.published == True))  # noqa: E712
    return [int(r) for r in rows]

