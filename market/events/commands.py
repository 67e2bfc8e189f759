"""CLI commands: events — `market events schedule EVENT_ID`, `market events list`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from catalog.db import session_scope
from catalog.errors import MarketError
from catalog.events import queries as event_views
from catalog.events import service as event_service
from catalog.events.meetings import SCHEDULE_TIME_LIMIT_MAX_S, SCHEDULE_TIME_LIMIT_S
from market.database import migrate
from market.events.scheduling import run_schedule
from market.settings import get_settings

console = Console()
err_console = Console(stderr=True)
events_app = typer.Typer(help="供需对接活动", no_args_is_help=True)


def _database_url() -> str:
    url = get_settings().resolved_database_url()
    migrate(url)
    return url


@events_app.command("schedule")
def schedule_command(
    event_id: int = typer.Argument(..., help="活动编号"),
    time_limit: float = typer.Option(
        SCHEDULE_TIME_LIMIT_S, "--time-limit",
        help=f"求解时间上限（秒，大于 0、至多 {SCHEDULE_TIME_LIMIT_MAX_S:g}）"),
    actor: str = typer.Option("cli", "--actor", help="记入审计日志的操作人"),
) -> None:
    """为已接受的约见排程（已发布的约见保持不变，空位补排）。"""
    try:
        with session_scope(_database_url()) as session:
            event = event_service.get_event(session=session, event_id=event_id)
            schedule = run_schedule(session=session, event=event, actor=actor,
                                    time_limit_s=time_limit)
    except MarketError as error:
        err_console.print(f"[red]排程失败：{error.message}[/red]")
        raise typer.Exit(1) from error
    _print_summary(schedule)


def _print_summary(schedule) -> None:  # type: ignore[no-untyped-def]
    st = schedule.stats
    problem = schedule.problem
    zero = schedule.without_meetings()
    console.print(f"已排 {len(schedule.placements)} 场约见（已接受 {len(problem.requests)} 个申请，"
                  f"{len(problem.slots)} 个时段 × {problem.tables} 桌）")
    console.print(f"权重 {schedule.weight:.2f}；上界 {st.get('bound') or 0:.2f}"
                  f"（{_bound_zh(st.get('bound_kind'))}）；差距 {100 * (st.get('gap') or 0):.2f}%")
    console.print(f"方法：{_method_zh(schedule.method)}；CP-SAT：{st.get('cp_sat_status')}")
    if zero:
        console.print(f"[yellow]{len(zero)} 个参会方没有约见：{'、'.join(p.label for p in zero[:20])}[/yellow]")
    else:
        console.print("每个参会方都至少有一场约见")


def _bound_zh(kind: str | None) -> str:
    if not kind:
        return "无"
    if kind.startswith("CP-SAT"):
        return "CP-SAT 求解器给出的上界"
    return "线性规划松弛上界" + ("，要求每方至少一场" if "everyone" in kind else "")


def _method_zh(method: str) -> str:
    return {"greedy": "贪心", "lp-rounding": "线性规划取整 + 贪心", "cp-sat": "CP-SAT 优化"}.get(
        method, method)


@events_app.command("list")
def list_command() -> None:
    """列出对接活动。"""
    with session_scope(_database_url()) as session:
        events = event_views.all_events(session=session)
    table = Table(title=f"对接活动（共 {len(events)} 场）")
    for title in ("编号", "名称", "地区", "日期", "状态", "桌数"):
        table.add_column(title)
    for e in events:
        table.add_row(str(e.id), e.title, e.region, str(e.day or ""), e.status, str(e.tables))
    console.print(table)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `market` app."""
    app.add_typer(events_app, name="events")
