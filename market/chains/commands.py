"""CLI commands: chains — `market chains overview`, `market chains analyse LEADER_ID`,
`market chains propose LEADER_ID --budget N`, each as a named user, so the same rules
decide what it may see as in the app (a member's needs only where they are shared)."""

from __future__ import annotations

import json
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlmodel import Session, select

from catalog.chains.models import DISCOUNT_DEFAULT, GROUP_MIN_DEFAULT
from catalog.chains.schemas import PROPOSAL_BOUNDS_ZH, ChainProposalRequest
from catalog.db import session_scope
from catalog.errors import MarketError
from catalog.users.models import User
from market.database import migrate
from market.settings import get_settings

console = Console()
err_console = Console(stderr=True)
chains_app = typer.Typer(help="产业链（链主与成员）", no_args_is_help=True)

AS_USER = typer.Option(..., "--as", help="以哪个用户的身份查看（权限与网页相同），填写该用户的用户名")
AS_JSON = typer.Option(False, "--json", help="输出 JSON")


def _viewer(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        raise MarketError("not_found", f"未找到可用的用户：{username}", 404)
    return user


def _run(action: Any) -> Any:
    url = get_settings().resolved_database_url()
    migrate(url)
    try:
        with session_scope(url) as session:
            return action(session)
    except MarketError as error:
        err_console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error


@chains_app.command("overview")
def overview_command(username: str = AS_USER, as_json: bool = AS_JSON) -> None:
    """该用户可查看的全部产业链概况：成员数、关键成员、跨链共享成员。"""
    from market.chains import context as chain_context

    data = _run(lambda session: chain_context.overview(session, _viewer(session, username)))
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, default=str))
        return
    table = Table("链主", "成员", "关键成员")
    for row in data["chains"]:
        glance = row["glance"]
        critical = "、".join(c["name"] for c in row["critical"][:3]) or "—"
        table.add_row(str(glance["leader_name"]), str(glance["member_count"]), critical)
    console.print(table)
    console.print(data["explanation_zh"])


@chains_app.command("analyse")
def analyse_command(leader_id: int = typer.Argument(..., help="链主企业编号"), username: str = AS_USER,
                    as_json: bool = AS_JSON) -> None:
    """一条产业链的分析：概况、关键成员（附原因）、共性需求、链主在用系统。"""
    from market.chains import context as chain_context

    def analyse(session: Session) -> dict[str, Any]:
        ctx = chain_context.load_context(session, _viewer(session, username), leader_id)
        return chain_context.analyse(session, ctx).as_dict()

    data = _run(analyse)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, default=str))
        return
    console.print(data["glance"]["explanation_zh"])
    table = Table("成员", "层级", "关系", "依赖度", "关键")
    for member in data["critical"][:15]:
        table.add_row(member["name"], str(member["tier"]), member["relation"], f"{member['score']:.2f}",
                      "是" if member["critical"] else "")
    console.print(table)
    for warning in data["warnings"]:
        console.print(f"[yellow]{warning}[/yellow]")


@chains_app.command("propose")
def propose_command(leader_id: int = typer.Argument(..., help="链主企业编号"), username: str = AS_USER,
                    budget: float = typer.Option(..., "--budget", help="链上改造预算（万元，补贴前）"),
                    discount: float = typer.Option(DISCOUNT_DEFAULT, "--discount", help="集采折扣，0.1 表示九折"),
                    group_min: int = typer.Option(GROUP_MIN_DEFAULT, "--group-min", help="达到多少家成员享受集采价"),
                    as_json: bool = AS_JSON) -> None:
    """生成链式转型方案：在预算内覆盖尽可能多成员的需求，并给出集采与补贴。"""
    from market.chains import context as chain_context

    try:
        request = ChainProposalRequest(budget_wan=budget, discount=discount, group_min=group_min)
    except ValidationError as error:
        fields = "、".join(str(e["loc"][0]) for e in error.errors())
        err_console.print(f"[red]参数不合法：{fields}（{PROPOSAL_BOUNDS_ZH}）[/red]")
        raise typer.Exit(2) from error

    def propose(session: Session) -> dict[str, Any]:
        ctx = chain_context.load_context(session, _viewer(session, username), leader_id)
        return chain_context.make_proposal(session, ctx, request).as_dict()

    data = _run(propose)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, default=str))
        return
    console.print(data.get("explanation_zh") or json.dumps(data, ensure_ascii=False, default=str)[:2000])


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `market` app."""
    app.add_typer(chains_app, name="chains")
