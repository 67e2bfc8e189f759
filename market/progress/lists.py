"""The working lists the pilot plans name (任务清单, 试点企业清单, 服务商清单, 优秀产品清单,
政策清单, 金融清单): each one a title, headers and rows, shown as a page and exported as xlsx.
Which records each list holds is catalog's (catalog.progress.queries, .evaluations); here they
are put into words and cells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Font, PatternFill
from sqlmodel import Session

from catalog.progress import evaluations
from catalog.progress import policy as progress_policy
from catalog.progress import queries as progress_queries
from catalog.taxonomy import taxonomy
from catalog.xlsx_writer import Book
from matching.evaluation import excellent_candidates, ranked


@dataclass(frozen=True)
class WorkList:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _industry(code: str) -> str:
    name = taxonomy().industries.get(code)
    return f"{code} {name}" if name else code


def tasks(session: Session, region: str) -> WorkList:
    """任务清单: each target row with its target, the computed figure and where it stands."""
    rows = []
    for item in progress_queries.progress(session=session, region=region):
        r, pct = item.row, item.percent
        state = progress_policy.task_state(item.actual, pct)
        rows.append([r.indicator, r.segment or "全市", r.year or "", r.unit, r.target,
                     "—" if item.actual is None else item.actual, "—" if pct is None else f"{pct:g}%", state])
    return WorkList("tasks", "任务清单", ["任务（指标）", "分段", "年度", "单位", "目标值", "完成值", "完成率", "状态"], rows)


def enterprises(session: Session, region: str) -> WorkList:
    """试点企业清单: the city's pilot enterprises with their level and latest engagement."""
    rows = [[f.name, f.uscc, f.region, _industry(f.industry), f.size, f.srdi_tier, f.level, f.batch or "",
             status or "未对接"] for f, status in progress_queries.pilot_enterprises(session=session, region=region)]
    return WorkList("enterprises", "试点企业清单",
                    ["企业名称", "统一社会信用代码", "地区", "行业", "规模", "专精特新", "数字化水平", "批次", "对接状态"], rows)


def providers(session: Session, region: str) -> WorkList:
    """服务商清单: providers with their evaluation score and the system's proposal."""
    rows = [[p.name, p.kind, p.region, p.status, e.enterprises_served, e.acceptances, e.score, e.proposal,
             "；".join(e.reasons_zh)]
            for p, e in evaluations.provider_evaluations(session=session, region=region, evaluate=ranked)]
    return WorkList("providers", "服务商清单",
                    ["服务商", "类型", "所在地", "入库状态", "服务企业数", "验收数", "考核得分", "系统建议", "说明"], rows)


def excellent(session: Session, region: str) -> WorkList:
    """优秀产品清单 of a city: the solutions marked 优秀, then those the evaluation proposes
    (catalog.progress.evaluations.excellent)."""
    rows = [[x.solution.name, x.solution.code, "已评为优秀" if x.marked else "系统建议评选",
             "—" if x.evaluation is None else x.evaluation.score]
            for x in evaluations.excellent(session=session, region=region, evaluate=ranked,
                                           propose=excellent_candidates)]
    return WorkList("excellent", "优秀产品清单", ["产品和解决方案", "编号", "状态", "考核得分"], rows)


def policies(session: Session, region: str) -> WorkList:
    """政策清单: the subsidy rules in force for the city (and the default estimate)."""
    rows = []
    for policy, in_force in progress_queries.shown_policies(region):
        state = "本市执行" if in_force else "未配置时的估算"
        for tier in policy.tiers:
            rule = (f"定额 {tier.fixed_wan:g} 万元（不超过实际投入）" if tier.fixed_wan is not None
                    else f"投入的 {tier.rate * 100:g}%" + (f"，最高 {tier.cap_wan:g} 万元" if tier.cap_wan else ""))
            rows.append([policy.name_zh, state, tier.label_zh, rule, policy.note_zh])
    return WorkList("policies", "政策清单", ["政策", "适用", "档次", "补贴规则", "说明"], rows)


def finance(session: Session, region: str) -> WorkList:
    """金融清单: 数转贷-type products the bureau maintains."""
    rows = [[f.name, f.lender, "" if f.rate_pct is None else f"{f.rate_pct:g}%",
             "" if f.cap_wan is None else f.cap_wan, f.term_months or "", "在售" if f.active else "停办", f.note]
            for f in progress_queries.finance_products(session=session, region=region)]
    return WorkList("finance", "金融清单", ["产品", "金融机构", "年利率", "额度上限（万元）", "期限（月）", "状态", "说明"], rows)


LISTS: dict[str, Callable[[Session, str], WorkList]] = {
    "tasks": tasks, "enterprises": enterprises, "providers": providers, "excellent": excellent,
    "policies": policies, "finance": finance,
}
TITLES = {"tasks": "任务清单", "enterprises": "试点企业清单", "providers": "服务商清单", "excellent": "优秀产品清单",
          "policies": "政策清单", "finance": "金融清单"}


def to_xlsx(work: WorkList, region: str) -> bytes:
    """One sheet named after the list: a title line, the headers, the rows."""
    book = Book()
    sheet = book.sheet(work.title)
    sheet.header([f"{region}{work.title}"], font=Font(bold=True, size=13))
    sheet.header(work.headers)
    for cell in sheet.cells[2]:
        cell.fill = PatternFill("solid", fgColor="DDE7F5")
    for row in work.rows:
        sheet.append(row)
    for letter, width in zip("ABCDEFGHI", (30, 20, 20, 14, 12, 12, 12, 12, 30), strict=False):
        sheet.cells.column_dimensions[letter].width = width
    return book.to_bytes()
