"""The expected allow/deny table of the PAGE routes (GET), checked like the API's.

test_permission_matrix.py fails when a GET page route has no entry here, then
requests every page as every role (letters as in access_expected.py) with a bearer
token and `Accept: text/html`. Allowed: 200, or a redirect elsewhere than /login (a role's
home, the leader's own chain). Denied: 401 (the Chinese "请先登录" page), 403, 404, or a
redirect to /login. Form posts (POST page routes) are not probed: each one checks CSRF and
then calls the same permission functions as its GET page and API route, which are probed;
the roles they declare are FORM_POSTS.
"""

from __future__ import annotations

from typing import Any

from access_expected import EVERYONE, LOGGED_IN, Case, application_case, leader_engagement, rule
from access_expected_events import OPEN

from catalog.progress.models import TargetRow

BUREAUS = "BX"
ENTERPRISES = "EC"  # an enterprise user and a chain leader (an enterprise too)


def _target_row(session: Any, ids: dict[str, int]) -> dict[str, Any]:
    row = TargetRow(region="江西省九江市", indicator="矩阵测试：完成改造的企业数", target=10)
    session.add(row)
    session.flush()
    return {"row_id": row.id}


def _review(kind: str, name: str) -> Any:
    return lambda session, ids: {"kind": kind, "record_id": ids[name]}


PAGE_RULES: dict[str, list[Case]] = {
    # public
    "/": rule(EVERYONE), "/login": rule(EVERYONE), "/search": rule(EVERYONE),
    "/solutions": rule(EVERYONE), "/solutions/{solution_id}": rule(EVERYONE, target="sol_a"),
    "/providers": rule(EVERYONE), "/providers/{provider_id}": rule(EVERYONE, target="provider_a"),
    "/password": rule(LOGGED_IN),
    # 服务商入驻 (anyone applies) and 站内消息 (every logged-in user reads its own)
    "/join": rule(EVERYONE), "/messages": rule(LOGGED_IN),
    "/bureau/applications/{application_id}": [Case(allow="B", setup=application_case)],
    # bureau
    "/bureau": rule(BUREAUS), "/bureau/review": rule(BUREAUS), "/bureau/leads": rule(BUREAUS),
    "/bureau/review/{kind}/{record_id}": [Case(allow="B", setup=_review("provider", "provider_pending"))],
    "/bureau/providers": rule(BUREAUS), "/bureau/solutions": rule(BUREAUS),
    "/bureau/enterprises": rule(BUREAUS),
    "/bureau/enterprises/new": rule(BUREAUS),
    "/bureau/enterprises/{enterprise_id}": rule("B", target="member_sharing"),
    "/bureau/import": rule(BUREAUS), "/bureau/export": rule(BUREAUS), "/bureau/export/download": rule(BUREAUS),
    "/bureau/cohort": rule(BUREAUS), "/bureau/cohort.xlsx": rule(BUREAUS, missing_ok=True),
    # progress and working lists: bureaus; the engagement views also the two parties
    "/progress": rule(BUREAUS), "/progress/evaluations": rule(BUREAUS),
    "/progress/rows/{row_id}": [Case(allow="B", setup=_target_row)],
    "/progress/engagements": rule(LOGGED_IN),
    "/progress/engagements/{engagement_id}": [Case(allow="BPE", target="engagement"),
                                              Case(allow="BPC", setup=leader_engagement)],
    "/lists": rule(BUREAUS), "/lists/{name}": [Case(allow=BUREAUS, setup=lambda session, ids: {"name": "tasks"})],
    # chains: the bureau of the leader's region and the leader
    "/chains": rule("BXC"),
    "/chains/{leader_id}": rule("BC", target="leader"),
    "/chains/{leader_id}/proposal": rule("BC", target="leader"),
    "/chains/{leader_id}/proposal/print": rule("BC", target="leader"),
    "/chains/{leader_id}/proposal.xlsx": rule("BC", target="leader"),
    # events: every logged-in user sees the list; an open event in 九江
    "/events": rule(LOGGED_IN), "/events/{event_id}": [Case(allow=LOGGED_IN, setup=OPEN)],
    # enterprise
    "/enterprise": rule(ENTERPRISES), "/enterprise/needs": rule(ENTERPRISES),
    "/enterprise/needs/{need_id}/edit": [Case(allow="E", target="need_sharing"), Case(allow="C", target="need_leader")],
    "/enterprise/matches": rule(ENTERPRISES), "/enterprise/bundle": rule(ENTERPRISES),
    "/enterprise/engagements": rule(ENTERPRISES),
    # provider
    "/provider": rule("P"), "/provider/profile": rule("P"), "/provider/solutions": rule("P"), "/provider/leads": rule("P"),
    "/provider/solutions/{solution_id}/cases": rule("P", target="sol_a"),
    "/provider/solutions/new": rule("P"), "/provider/solutions/{solution_id}/edit": rule("P", target="sol_a"),
}


def _pending_revision(session: Any, ids: dict[str, int]) -> dict[str, Any]:
    from access_expected import PENDING_PROBE

    return dict(PENDING_PROBE(session, ids))


# revisions (a provider's pending edit of a published listing): reviewed by the bureau of its region
PAGE_RULES["/bureau/revisions/{revision_id}"] = [Case(allow="B", setup=_pending_revision)]


# The form posts (POST page routes): not probed (see above), so only the roles each declares
# are checked: those of its API twin when it has one (the same step through the other door:
# tests/market/pages/test_event_form_roles.py for an event's, test_engagement_doors_agree.py for
# the progress and contact posts), else those of its GET page when it posts back to one, else
# those its handler admits.
FORM_POSTS: dict[str, str] = {
    "/login": EVERYONE,
    "/logout": EVERYONE,
    "/password": LOGGED_IN,
    "/bureau/enterprises": BUREAUS,
    "/bureau/enterprises/{enterprise_id}": BUREAUS,
    "/enterprise": ENTERPRISES,
    "/enterprise/needs": ENTERPRISES,
    "/enterprise/needs/{need_id}/edit": ENTERPRISES,
    "/enterprise/needs/{need_id}/delete": ENTERPRISES,
    "/enterprise/needs/{need_id}/move": ENTERPRISES,
    "/enterprise/needs/sort": ENTERPRISES,
    "/events": BUREAUS,
    "/events/{event_id}/status": BUREAUS,
    "/events/{event_id}/register": LOGGED_IN,
    "/events/{event_id}/participants/import": BUREAUS,
    "/events/{event_id}/consent": "P" + ENTERPRISES,
    "/events/{event_id}/participants/{participant_id}/validate": BUREAUS,
    "/events/{event_id}/requests": LOGGED_IN,
    "/events/{event_id}/requests/{request_id}/respond": LOGGED_IN,
    "/events/{event_id}/requests/{request_id}/withdraw": LOGGED_IN,
    "/events/{event_id}/schedule": BUREAUS,
    "/events/{event_id}/move": BUREAUS,
    "/events/{event_id}/swap": BUREAUS,
    "/events/{event_id}/unschedule": BUREAUS,
    "/events/{event_id}/publish": BUREAUS,
    "/events/{event_id}/meetings/{meeting_id}/outcome": LOGGED_IN,
    "/bureau/import": BUREAUS,
    "/provider/leads/{need_id}": "P",
    "/bureau/solutions/bulk": BUREAUS,
    "/bureau/providers/bulk": BUREAUS,
    "/bureau/review/{kind}/{record_id}": BUREAUS,
    "/bureau/cohort": BUREAUS,
    "/messages/{notification_id}/open": LOGGED_IN,
    "/messages/read-all": LOGGED_IN,
    "/lists/finance": BUREAUS,
    "/progress/targets/import": BUREAUS,
    "/progress/engagements": "B" + ENTERPRISES,
    "/progress/engagements/{engagement_id}/sign": LOGGED_IN,
    "/progress/engagements/{engagement_id}/start": LOGGED_IN,
    "/progress/engagements/{engagement_id}/propose": LOGGED_IN,
    "/progress/engagements/{engagement_id}/confirm": BUREAUS,
    "/progress/engagements/{engagement_id}/terminate": LOGGED_IN,
    "/progress/engagements/{engagement_id}/rate": ENTERPRISES,
    "/join": EVERYONE,
    "/bureau/applications/{application_id}": BUREAUS,
    "/provider/profile": "P",
    "/provider/solutions/new": "P",
    "/provider/solutions/{solution_id}/edit": "P",
    "/provider/solutions/{solution_id}/withdraw": "P",
    "/bureau/revisions/{revision_id}": BUREAUS,
    "/solutions/{solution_id}/contact": ENTERPRISES,
    "/engagements/{engagement_id}/messages": LOGGED_IN,
    "/provider/solutions/{solution_id}/cases": "P",
    "/provider/solutions/{solution_id}/cases/{case_id}/delete": "P",
}
