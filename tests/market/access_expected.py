"""The expected allow/deny table: every API route × every role, against the test pilot.

test_permission_matrix.py reads the permission each route declares (market/permissions/
declared.py) from the app, fails when an /api route declares none or has no entry here (the
events routes' entries are access_expected_events.py), checks that the roles a route
declares are exactly the roles some cell allows, then checks every cell with a real request.
Roles (letters in `allow`):

    A  anonymous
    B  bureau of 江西省九江市 (jj_bureau)
    X  bureau of another region, 河南省新乡市 (xx_bureau)
    P  provider user of 九江云联设备科技 (provider_a, published, in 九江)
    E  enterprise user of 九江化工配套 (ent_sharing: a chain member that shares its needs)
    C  chain leader user of 九江石化链主集团 (chain_leader)

A cell is "allowed" when the answer is neither 401, 403 nor 404 (a 409/422 from a probe's
deliberately conflicting body means the permission check was passed); "denied" when it is
one of those three. A 5xx fails the test either way, except 503 from a search route when the
test app runs without Meilisearch (a stand-in for "allowed": nothing was refused). Named targets ("@sol_a" …) are the
records of tests/market/web_builders.py: sol_a is published, sol_a_pending is pending,
provider_pending is a pending provider, need_sharing belongs to the member that shares its
needs with the chain, need_private to the one that does not.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from catalog.progress.models import TargetRow
from catalog.revisions.models import Revision, RevisionStatus
from catalog.showcase.models import SolutionCase
from catalog.validation import make_uscc
from market import jobs
from market.models import JobStatus

ROLE_LETTERS = "ABXPEC"
EVERYONE = ROLE_LETTERS
LOGGED_IN = "BXPEC"


@dataclass(frozen=True)
class Case:
    """One probe of a route: who may pass, on which record, with which request."""

    allow: str
    target: str | None = None  # named record for the route's path parameter
    body: dict[str, Any] | None = None  # JSON body; "@name" → id, "$self" → the role's username
    query: dict[str, Any] = field(default_factory=dict)
    fresh: str | None = None  # a new record per request: need / solution / link / token
    upload: bool = False  # send a (rejected) workbook as multipart
    # setup(session, ids) → {path parameter: value}: makes the records a probe needs (committed
    # by the caller), for routers whose records the test pilot does not have (events …)
    setup: Callable[[Any, dict[str, int]], dict[str, Any]] | None = None
    # pages only: a 404 still means "passed the permission check" (the page shows a record
    # that the test pilot does not have, e.g. a finished cohort job)
    missing_ok: bool = False


def rule(allow: str, **kw: Any) -> list[Case]:
    return [Case(allow=allow, **kw)]


def _opted_in_need(session: Any, ids: dict[str, int]) -> int:
    """A need of member_private that provider_a's 设备点检云 fits, its enterprise agreeing to be
    found by providers (so it is one of provider_a's leads)."""
    from catalog.enterprises import service as enterprise_service
    from catalog.enterprises.models import Enterprise
    from catalog.enterprises.schemas import NeedCreate

    firm = session.get(Enterprise, ids["member_private"])
    firm.findable_by_providers = True
    session.add(firm)
    need = enterprise_service.create_need(session=session, enterprise=firm, actor="test",
                                          data=NeedCreate(text="循环水泵和风机老是坏，想做设备点检和预测性维护"))
    return int(need.id)


def application_case(session: Any, ids: dict[str, int]) -> dict[str, Any]:
    """The 入驻 application of provider_pending (in 九江), made once with its applicant account."""
    from sqlmodel import select

    from catalog.provider_applications.models import ProviderApplication
    from catalog.users.models import Role, User

    found = session.exec(select(ProviderApplication).where(
        ProviderApplication.provider_id == ids["provider_pending"])).first()
    if found is None:
        user = User(username="applicant_pp", password_hash="-", role=Role.PROVIDER.value,
                    provider_id=ids["provider_pending"])
        session.add(user)
        session.flush()
        found = ProviderApplication(provider_id=ids["provider_pending"], user_id=user.id or 0)
        session.add(found)
        session.flush()
    return {"application_id": found.id}


def leader_engagement(session: Any, ids: dict[str, int]) -> dict[str, Any]:
    """An engagement (意向) of the chain leader's own enterprise with provider_a's sol_a: a chain
    leader is an enterprise too, and acts as one on its own records."""
    from catalog.engagements.models import Engagement

    record = Engagement(enterprise_id=ids["leader"], provider_id=ids["provider_a"], solution_id=ids["sol_a"])
    session.add(record)
    session.flush()
    return {"engagement_id": record.id}


def _leader_need(session: Any, ids: dict[str, int]) -> dict[str, Any]:
    """A fresh need of the chain leader's own enterprise (to be deleted)."""
    from web_builders import need

    from catalog.enterprises.models import Enterprise

    record = need(session, session.get(Enterprise, ids["leader"]), "矩阵测试：链主待删除的需求")
    return {"need_id": record.id}


def _message_to(username: str) -> Callable[[Any, dict[str, int]], dict[str, Any]]:
    """A message to `username` (only it may read or mark it)."""
    def setup(session: Any, ids: dict[str, int]) -> dict[str, Any]:
        from catalog.notifications import service as notifications

        [message] = notifications.notify(session=session, user_ids=[ids[f"user_{username}"]], kind="to_review",
                                         title="矩阵测试消息")
        return {"notification_id": message.id}
    return setup


def own_application_case(session: Any, ids: dict[str, int]) -> dict[str, Any]:
    """An 入驻 application of provider_a made with provider_a's own account (its applicant)."""
    from sqlmodel import select

    from catalog.provider_applications.models import ProviderApplication

    found = session.exec(select(ProviderApplication).where(
        ProviderApplication.provider_id == ids["provider_a"])).first()
    if found is None:
        found = ProviderApplication(provider_id=ids["provider_a"], user_id=ids["user_provider_a"])
        session.add(found)
        session.flush()
    return {"application_id": found.id}


# An application whose USCC is provider_a's: refused with 409 after the (public) door is passed.
TAKEN_USCC_APPLICATION = {
    "name": "矩阵测试入驻有限公司", "uscc": make_uscc("九江云联设备科技有限公司"), "kind": "专业服务商", "region": "江西省九江市濂溪区",
    "industries": ["C26"], "scenarios": ["质量管控"], "description": "测试", "username": "matrix_applicant",
    "password": "applicant-pass-1"}

V1 = {"version": 1}  # an empty edit: a no-op, or 409 when stale — never a change

RULES: dict[tuple[str, str], list[Case]] = {
    # --- description and login
    ("GET", "/api/openapi.json"): rule(EVERYONE),
    ("GET", "/api/docs"): rule(EVERYONE),
    ("POST", "/api/auth/token"): rule(EVERYONE, body={"username": "$self", "password": "$password"}),
    ("DELETE", "/api/auth/token"): rule(LOGGED_IN, fresh="token"),
    ("GET", "/api/auth/me"): rule(LOGGED_IN),
    ("POST", "/api/auth/password"): rule(LOGGED_IN, body={"old_password": "wrong-old-pass",
                                                          "new_password": "another-pass-1"}),
    # --- providers: the public sees published ones; a bureau manages its regions
    ("GET", "/api/providers"): rule(EVERYONE),
    ("POST", "/api/providers"): rule("B", body={
        "name": "矩阵测试服务商有限公司", "uscc": "91LLN5DJUYM07C8PYM", "kind": "专业服务商",
        "region": "江西省九江市濂溪区", "industries": ["C26"], "scenarios": ["质量管控"], "description": "测试"}),
    ("GET", "/api/providers/{provider_id}"): [
        Case(allow=EVERYONE, target="provider_a"),
        Case(allow="B", target="provider_pending"),
    ],
    ("PATCH", "/api/providers/{provider_id}"): [
        Case(allow="BP", target="provider_a", body=V1),
        Case(allow="X", target="provider_b", body=V1),
    ],
    ("POST", "/api/providers/{provider_id}/status"): rule("B", target="provider_a", body={"status": "已入库"}),
    # --- solutions: a provider edits its own; statuses and 优秀 are the bureau's
    ("GET", "/api/solutions"): rule(EVERYONE),
    ("POST", "/api/solutions"): rule("BP", body={
        "code": "JJ-001", "name": "重复编号", "provider_id": "@provider_a", "industries": ["C26"],
        "scenarios": ["设备管理运维"], "description": "测试", "deployment": "SaaS", "price_wan": 1,
        "billing": "年订阅", "deploy_days": 5}),
    ("GET", "/api/solutions/{solution_id}"): [
        Case(allow=EVERYONE, target="sol_a"),
        Case(allow="BP", target="sol_a_pending"),
        Case(allow="B", target="sol_pp"),
    ],
    ("PATCH", "/api/solutions/{solution_id}"): [
        Case(allow="BP", target="sol_a", body=V1),
        Case(allow="X", target="sol_b", body=V1),
    ],
    ("POST", "/api/solutions/{solution_id}/status"): rule("B", target="sol_a", body={"status": "已入库"}),
    ("POST", "/api/solutions/{solution_id}/excellent"): rule("B", target="sol_a", body={"excellent": False}),
    ("POST", "/api/solutions/{solution_id}/withdraw"): rule("P", fresh="solution", body={}),
    # --- enterprises: their own profile; the bureau of their region; the chain leader reads members
    ("GET", "/api/enterprises"): rule(EVERYONE),
    ("POST", "/api/enterprises"): rule("B", body={
        "name": "矩阵测试企业有限公司", "uscc": "91WMBL4MG2A09E27UU", "region": "江西省九江市濂溪区",
        "industry": "C261", "size": "规下"}),
    ("GET", "/api/enterprises/{enterprise_id}"): [
        Case(allow="BEC", target="member_sharing"),
        Case(allow="BC", target="member_private"),
        Case(allow="X", target="ent_xx"),
    ],
    ("PATCH", "/api/enterprises/{enterprise_id}"): [  # a chain leader is an enterprise too: its own
        Case(allow="BE", target="member_sharing", body=V1), Case(allow="BC", target="leader", body=V1)],
    # --- needs: never providers; the chain leader only where the member shares them
    ("GET", "/api/needs"): rule("BXEC"),
    ("POST", "/api/enterprises/{enterprise_id}/needs"): [
        Case(allow="BE", target="member_sharing", body={"text": "矩阵测试：库存对不上账"}),
        Case(allow="BC", target="leader", body={"text": "矩阵测试：链主的库存对不上账"})],
    ("POST", "/api/enterprises/{enterprise_id}/needs/order"): [
        Case(allow="BE", target="member_sharing", body={"need_ids": []}),
        Case(allow="BC", target="leader", body={"need_ids": []})],
    ("GET", "/api/needs/{need_id}"): [
        Case(allow="BEC", target="need_sharing"),
        Case(allow="B", target="need_private"),
        Case(allow="X", target="need_xx"),
    ],
    ("PATCH", "/api/needs/{need_id}"): [Case(allow="BE", target="need_sharing", body=V1),
                                        Case(allow="BC", target="need_leader", body=V1)],
    ("DELETE", "/api/needs/{need_id}"): [Case(allow="BE", fresh="need"), Case(allow="BC", setup=_leader_need)],
    # --- chain links: the bureau of the leader's region keeps them; the leader reads its own
    ("GET", "/api/chain-links"): rule(LOGGED_IN),
    ("POST", "/api/chain-links"): rule("B", body={"leader_id": "@leader", "member_id": "@member_sharing",
                                                  "relation": "供应商"}),
    ("GET", "/api/chain-links/{link_id}"): rule("BC", target="link_sharing"),
    ("PATCH", "/api/chain-links/{link_id}"): rule("B", target="link_sharing", body=V1),
    ("DELETE", "/api/chain-links/{link_id}"): rule("B", fresh="link"),
    # --- engagements: the two parties and the bureau
    ("GET", "/api/engagements"): rule(LOGGED_IN),
    ("POST", "/api/engagements"): [
        Case(allow="BE", body={"enterprise_id": "@member_sharing", "solution_id": "@sol_a"}),
        Case(allow="BC", body={"enterprise_id": "@leader", "solution_id": "@sol_a"})],
    ("GET", "/api/engagements/{engagement_id}"): [Case(allow="BPE", target="engagement"),
                                                  Case(allow="BPC", setup=leader_engagement)],
    ("PATCH", "/api/engagements/{engagement_id}"): [Case(allow="BPE", target="engagement", body=V1),
                                                    Case(allow="BPC", setup=leader_engagement, body=V1)],
    # --- import / export: bureaus
    ("POST", "/api/imports"): rule("BX", upload=True),
    ("GET", "/api/exports"): rule("BX", query={"format": "json"}),
    # --- users: bureaus manage; everyone reads themselves
    ("GET", "/api/users"): rule("BX"),
    ("POST", "/api/users"): [
        Case(allow="B", body={"username": "$unique", "password": "initial-pass-1", "role": "provider",
                              "provider_id": "@provider_a"}),
    ],
    ("GET", "/api/users/{user_id}"): [
        Case(allow="BP", target="user_provider_a"),
        Case(allow="X", target="user_provider_b"),
        Case(allow="BE", target="user_ent_sharing"),
        Case(allow="BC", target="user_chain_leader"),
    ],
    ("PATCH", "/api/users/{user_id}"): rule("B", target="user_provider_a", body={}),
    # --- matching (matching/): needs are read under the same rule as the need list
    ("GET", "/api/enterprises/{enterprise_id}/matches"): [
        Case(allow="BEC", target="member_sharing"),
        Case(allow="B", target="member_private"),
    ],
    ("GET", "/api/enterprises/{enterprise_id}/bundle"): rule("BEC", target="member_sharing"),
    ("GET", "/api/providers/{provider_id}/leads"): [
        Case(allow="BP", target="provider_a"),
        Case(allow="X", target="provider_b"),
    ],
    # a lead is answered by its provider only, and only for a need of its lead list
    ("POST", "/api/providers/{provider_id}/leads/{need_id}"): rule(
        "P", setup=lambda session, ids: {"provider_id": ids["provider_a"], "need_id": _opted_in_need(session, ids)},
        body={"answer": "已联系", "note": "电话沟通"}),
    ("GET", "/api/leads/contacts"): rule("BX"),
    # --- chains (matching/chains/analysis.py): the leader and the bureau of its region
    ("GET", "/api/chains"): rule("BXC"),  # as the /chains page: bureaus and chain leaders
    ("GET", "/api/chains/{leader_id}"): rule("BC", target="leader"),
    ("GET", "/api/chains/{leader_id}/analysis"): rule("BC", target="leader"),
    ("POST", "/api/chains/{leader_id}/proposal"): rule("BC", target="leader", body={"budget_wan": 50}),
    # --- 服务商入驻: anyone applies; the applicant and the bureau of a served region read; that bureau decides
    ("POST", "/api/provider-applications"): rule(EVERYONE, body=TAKEN_USCC_APPLICATION),
    ("GET", "/api/provider-applications"): rule(LOGGED_IN),
    ("GET", "/api/provider-applications/{application_id}"): [Case(allow="B", setup=application_case),
                                                             Case(allow="BP", setup=own_application_case)],
    ("POST", "/api/provider-applications/{application_id}/decision"): [
        Case(allow="B", setup=application_case, body={"approve": False, "reason": ""})],
    # --- 站内消息: every user reads and marks only its own
    ("GET", "/api/notifications"): rule(LOGGED_IN),
    ("POST", "/api/notifications/read-all"): rule(LOGGED_IN),
    ("POST", "/api/notifications/{notification_id}/read"): [
        Case(allow=letter, setup=_message_to(name))
        for letter, name in (("B", "jj_bureau"), ("P", "provider_a"), ("E", "ent_sharing"), ("C", "chain_leader"))],
    # --- search (search_index): public listings only
    ("GET", "/api/search"): rule(EVERYONE, query={"q": "设备"}),
    ("GET", "/api/search/suggest"): rule(EVERYONE, query={"q": "设备"}),
}


# --- the routers whose cells need records of their own

# --- market/engagements/flow_api.py
# Probes leave the test pilot's engagement (意向) as it was: each body fails after the access check.
RULES |= {
    ("POST", "/api/engagements/{engagement_id}/sign"): [
        Case(allow="BPE", target="engagement", body={"amount_wan": -1, "contract_date": "2025-03-01"}),
        Case(allow="BPC", setup=leader_engagement, body={"amount_wan": -1, "contract_date": "2025-03-01"})],
    ("POST", "/api/engagements/{engagement_id}/start"): [
        Case(allow="BPE", target="engagement", body={}),
        Case(allow="BPC", setup=leader_engagement, body={})],
    ("POST", "/api/engagements/{engagement_id}/acceptance"): [
        Case(allow="BPE", target="engagement", body={
        "acceptance_date": "2025-06-01", "level_before": "一级", "level_after": "二级"}),
        Case(allow="BPC", setup=leader_engagement, body={
        "acceptance_date": "2025-06-01", "level_before": "一级", "level_after": "二级"})],
    ("POST", "/api/engagements/{engagement_id}/acceptance/confirm"): rule("B", target="engagement", body={}),
    ("POST", "/api/engagements/{engagement_id}/terminate"): [
        Case(allow="BPE", target="engagement", body={"reason": " "}),
        Case(allow="BPC", setup=leader_engagement, body={"reason": " "})],
    ("POST", "/api/engagements/{engagement_id}/rating"): [
        Case(allow="E", target="engagement", body={"rating": 5}),
        Case(allow="C", setup=leader_engagement, body={"rating": 5})],
    ("GET", "/api/engagements/{engagement_id}/flow"): [
        Case(allow="BPE", target="engagement"),
        Case(allow="BPC", setup=leader_engagement)],
}


# --- market/exchange/imports_api.py
RULES |= {
    ("POST", "/api/imports/jobs"): rule("BX", upload=True),
}


# --- market/matching/cohorts_api.py
def _job_of_jj_bureau(session: Session, ids: dict[str, int]) -> dict[str, int]:
    job = jobs.enqueue(session=session, kind="matrix_probe", params={"regions": ["江西省九江市"]},
                       created_by="bureau:jj_bureau")
    job.status = JobStatus.DONE
    session.add(job)
    session.flush()
    return {"job_id": int(job.id or 0)}


RULES |= {
    ("POST", "/api/cohorts/match"): [
        *rule("B", body={"region": "江西省九江市"}),
        *rule("BX", body={}),
    ],
    ("GET", "/api/jobs/{job_id}"): rule("B", setup=_job_of_jj_bureau),
}


# --- market/progress/api.py
def _fresh_row(session: Any, ids: dict[str, int]) -> dict[str, Any]:
    row = TargetRow(region="江西省九江市", indicator=f"矩阵测试{uuid.uuid4().hex[:6]}", target=10,
                    measure="transformed")
    session.add(row)
    session.flush()
    return {"row_id": row.id}


RULES |= {
    ("GET", "/api/progress/dashboard"): [Case(allow="BX"), Case(allow="B", query={"region": "江西省九江市"})],
    ("GET", "/api/progress/targets/{row_id}/records"): rule("B", setup=_fresh_row),
    ("GET", "/api/progress/targets.xlsx"): rule("BX"),
    ("POST", "/api/progress/targets/import"): rule("BX", upload=True),
    ("GET", "/api/progress/evaluations"): rule("BX"),
    ("GET", "/api/progress/lists/{name}"): rule("BX", setup=lambda s, ids: {"name": "tasks"}),
    ("GET", "/api/progress/lists/{name}/xlsx"): rule("BX", setup=lambda s, ids: {"name": "policies"}),
    ("POST", "/api/progress/finance"): rule("BX", body={"name": "矩阵测试贷", "lender": "测试银行"}),
}


# --- market/revisions/api.py
def _probe_revision(record: str, provider: str, status: RevisionStatus) -> Any:
    """A setup of the permission matrix: a revision of the test pilot's `record`, in `status`."""

    def setup(session: Session, ids: dict[str, int]) -> dict[str, Any]:
        revision = Revision(record_type="solution", record_id=ids[record], provider_id=ids[provider],
                            changes={"keywords": ["矩阵测试"]}, status=status.value, author="provider:probe")
        session.add(revision)
        session.flush()
        return {"revision_id": revision.id}

    return setup


PENDING_PROBE = _probe_revision("sol_a", "provider_a", RevisionStatus.PENDING)
# Probes change nothing: approving a decided revision and rejecting without a reason fail after the access check.
RULES |= {
    ("GET", "/api/revisions"): rule(LOGGED_IN),
    ("GET", "/api/revisions/{revision_id}"): [
        Case(allow="BP", setup=PENDING_PROBE),
        Case(allow="X", setup=_probe_revision("sol_b", "provider_b", RevisionStatus.PENDING)),
    ],
    ("POST", "/api/revisions/{revision_id}/approve"): rule(
        "B", setup=_probe_revision("sol_a", "provider_a", RevisionStatus.APPROVED), body={}),
    ("POST", "/api/revisions/{revision_id}/reject"): rule("B", setup=PENDING_PROBE, body={"remark": " "}),
}


# --- market/showcase/api.py
def _fresh_case(session: Session, ids: dict[str, int]) -> dict[str, Any]:
    case = SolutionCase(solution_id=ids["sol_a"], client_industry="化工", problem="矩阵测试", result="矩阵测试",
                        actor="matrix")
    session.add(case)
    session.flush()
    return {"solution_id": ids["sol_a"], "case_id": case.id}


CASE = {"client_industry": "化学原料和化学制品制造业", "problem": "设备突发停机多", "result": "停机减少三成"}
RULES |= {
    ("GET", "/api/solutions/{solution_id}/cases"): rule(EVERYONE, target="sol_a"),
    ("POST", "/api/solutions/{solution_id}/cases"): rule("BP", target="sol_a", body=CASE),
    ("DELETE", "/api/solutions/{solution_id}/cases/{case_id}"): rule("BP", setup=_fresh_case),
    ("GET", "/api/solutions/{solution_id}/reviews"): rule(EVERYONE, target="sol_a"),
    ("POST", "/api/solutions/{solution_id}/contact"): rule("EC", target="sol_a", body={"message": "想了解设备点检"}),
    ("GET", "/api/engagements/{engagement_id}/messages"): [
        Case(allow="BPE", target="engagement"),
        Case(allow="BPC", setup=leader_engagement)],
    ("POST", "/api/engagements/{engagement_id}/messages"): [
        Case(allow="BPE", target="engagement", body={"text": "您好"}),
        Case(allow="BPC", setup=leader_engagement, body={"text": "您好"})],
}
