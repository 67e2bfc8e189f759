"""What waits for each demo bureau's review: one of its demo provider's published solutions
edited (修改待审核: the published version stays live until the bureau decides) and a solution
the provider has just submitted (待审核), each made as the provider makes it on its pages
(catalog.revisions.service.edit_listing, catalog.solutions.service.submit_solution), so the
bureau is told and the review queue shows both with what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from catalog.revisions.service import edit_listing
from catalog.solutions.models import Solution
from catalog.solutions.schemas import SolutionCreate, SolutionUpdate
from catalog.solutions.service import submit_solution
from catalog.users.models import User


@dataclass(frozen=True)
class ListingWork:
    """A demo provider account's edit of one of its solutions and its new submission."""

    username: str
    edited: str  # the solution's code
    changes: dict[str, Any]
    submitted: dict[str, Any]


WORK = (
    ListingWork(
        username="provider_xunzhi", edited="SZT-002",
        changes={"price_wan": 2.2, "deploy_days": 7,
                 "description": "为规下企业准备的轻量化生产管理：手机开工单、扫码报工、自动统计计件和在制品，车间电视看板"
                                "实时显示订单进度，新增不良品登记和班组日报，无需服务器，一周上线。"},
        submitted={"name": "浔智设备点巡检小程序", "industries": ["通用"], "scenarios": ["设备管理运维"],
                   "description": "把纸质点检表搬到手机上：按设备贴二维码，扫码点检、拍照记录异常，超期未检自动提醒，"
                                  "维修工单和备件消耗一并登记，月底自动出点检完成率和故障停机统计。",
                   "deployment": "SaaS", "price_wan": 0.9, "billing": "年订阅", "deploy_days": 7, "size_fit": "规下",
                   "keywords": ["点检", "巡检", "扫码", "维修工单", "停机统计"], "target_level": "二级"}),
    ListingWork(
        username="provider_weihe", edited="SZT-035",
        changes={"price_wan": 3.8,
                 "description": "把车间各产线的产量、设备状态、质量数据汇到一块大屏和手机看板，按班组、工序下钻，"
                                "异常自动推送到负责人，支持对接已有 MES 和 ERP。"},
        submitted={"name": "卫河起重机生产过程追溯", "industries": ["C343", "C34"],
                   "scenarios": ["质量管控", "生产过程管控"],
                   "description": "面向起重机和电动葫芦整机厂：主梁、端梁、电机等关键件一物一码，焊接、装配、出厂检验"
                                  "全过程记录，售后按整机编号追到批次和责任工序。",
                   "deployment": "混合", "price_wan": 18, "billing": "一次性", "deploy_days": 45, "size_fit": "均可",
                   "keywords": ["一物一码", "焊接记录", "出厂检验", "质量追溯", "起重机"], "target_level": "三级"}),
    ListingWork(
        username="provider_tianshan", edited="SZT-062",
        changes={"price_wan": 1.2, "deploy_days": 7},
        submitted={"name": "天山棉纺车间能耗监测", "industries": ["C17", "C171"], "scenarios": ["能源能耗管理"],
                   "description": "为棉纺、纺纱车间加装电表和空调、空压机计量点，按车间、按班次统计用电和吨纱能耗，"
                                  "峰谷用电分析和超限提醒，数据可直接用于节能诊断和能耗报表。",
                   "deployment": "软硬一体", "price_wan": 4.5, "billing": "一次性", "deploy_days": 20, "size_fit": "均可",
                   "keywords": ["能耗监测", "吨纱能耗", "峰谷电", "计量", "节能"], "target_level": "二级"}),
)


def add_listing_work(*, session: Session) -> int:
    """Each demo provider's pending edit and new submission (those whose account and solution
    are loaded); how many listings now wait for review."""
    waiting = 0
    for work in WORK:
        user = session.exec(select(User).where(User.username == work.username)).first()
        solution = session.exec(select(Solution).where(Solution.code == work.edited)).first()
        if user is None or user.provider_id is None or solution is None or solution.provider_id != user.provider_id:
            continue
        outcome = edit_listing(session=session, user=user, record=solution,
                               data=SolutionUpdate(**work.changes), expected_version=solution.version)
        submit_solution(session=session, user=user,
                        data=SolutionCreate(provider_id=user.provider_id, **work.submitted))
        waiting += 1 + (outcome.revision is not None)
    session.flush()
    return waiting
