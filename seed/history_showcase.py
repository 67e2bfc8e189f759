"""What the history leaves on product pages and engagement pages: the words of each rating,
cases from accepted engagements (with the engagement as proof), and the messages of
engagements still under way (the enterprise's 申请对接 and the provider's answer).

Deterministic: each text is chosen by the engagement's id, not by the history's random
sequence, so adding these does not change which engagements the history makes.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import Session, col, select

from catalog.engagements.models import Engagement, EngagementStatus
from catalog.enterprises.models import Enterprise, Need
from catalog.showcase import service as showcase
from catalog.showcase.models import CaseCreate
from catalog.solutions.models import Solution
from catalog.taxonomy import taxonomy
from seed.history_base import party_actors

REVIEWS = {
    5: ["上线快，现场培训到位，车间很快用起来了", "问题响应及时，效果超出预期", "实施团队专业，数据终于能实时看到"],
    4: ["整体满意，个别报表还在优化", "功能够用，价格合适", "实施顺利，后续服务还不错"],
    3: ["基本能用，和现有系统对接花了不少时间", "功能满足需求，但培训偏少"],
    2: ["工期比承诺的长，部分功能不贴合我们的工艺"],
    1: ["实施中断，沟通不畅"],
}
ASKS = ["想了解一下实施周期和费用", "我们有二十多台设备，能否先做一条线试点", "能否到厂里现场看一下再报价",
        "想知道能不能和现有的财务软件对接"]
ANSWERS = ["收到，本周内安排工程师上门调研", "可以先做一条线试点，方案和报价稍后发您", "已电话联系，约了下周二现场沟通"]
CASE_SHARE = 3  # one accepted engagement in this many becomes a case of its product


def review_for(engagement_id: int, score: int) -> str:
    """The enterprise's words with its rating (chosen by the engagement)."""
    return random.Random(engagement_id).choice(REVIEWS[score])


def add_showcase(*, session: Session, enterprise_ids: list[int]) -> int:
    """Cases from these enterprises' accepted engagements, and messages on their open ones;
    returns how many records were added."""
    rows = session.exec(select(Engagement).where(col(Engagement.enterprise_id).in_(enterprise_ids))
                        .order_by(col(Engagement.id))).all()
    added = 0
    for engagement in rows:
        if engagement.status == EngagementStatus.ACCEPTED and (engagement.id or 0) % CASE_SHARE == 0:
            added += _case(session, engagement)
        elif engagement.status in (EngagementStatus.INTENT, EngagementStatus.SIGNED):
            added += _talk(session, engagement)
    return added


def _case(session: Session, engagement: Engagement) -> int:
    solution = session.get(Solution, engagement.solution_id)
    firm = session.get(Enterprise, engagement.enterprise_id)
    if solution is None or firm is None:
        return 0
    need = session.exec(select(Need).where(Need.enterprise_id == firm.id).order_by(col(Need.position))).first()
    industry = taxonomy().industries.get(firm.industry, "制造业")[:60]
    problem = need.text[:200] if need else f"{industry}企业希望提升{'、'.join(solution.scenarios[:2])}水平"
    result = (f"{engagement.acceptance_date or ''}通过验收，数字化水平由{engagement.level_before or '未评测'}"
              f"提升至{engagement.level_after or '二级'}")
    showcase.add_case(session=session, solution=solution, actor=party_actors(session, engagement)[1],
                      data=CaseCreate(client_industry=industry, problem=problem, result=result,
                                      engagement_id=engagement.id))
    return 1


def _talk(session: Session, engagement: Engagement) -> int:
    if (engagement.id or 0) % 2:
        return 0
    firm_actor, seller_actor = party_actors(session, engagement)
    pick = random.Random(engagement.id)
    asked = showcase.post_message(session=session, engagement=engagement, text=pick.choice(ASKS), side="企业",
                                  actor=firm_actor)
    asked.created_at = engagement.created_at + timedelta(hours=1)  # when it happened, not today
    if engagement.status == EngagementStatus.SIGNED or pick.random() < 0.6:
        answer = showcase.post_message(session=session, engagement=engagement, text=pick.choice(ANSWERS),
                                       side="服务商", actor=seller_actor)
        answer.created_at = engagement.created_at + timedelta(days=1)
        return 2
    return 1
