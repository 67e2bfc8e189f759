"""CLI commands: users — `market seed` (the demo data) and `market users add`.

Both migrate the database first, use the URL from the settings (MARKET_DATABASE_URL),
commit once at the end, and report failures in Chinese with a non-zero exit code.
"""

from __future__ import annotations

import typer
from rich.console import Console

from catalog.db import session_scope
from catalog.errors import ImportRejected, MarketError
from catalog.users import service as catalog_users
from catalog.users.models import Role
from market.database import migrate
from market.settings import get_settings

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)
users_app = typer.Typer(help="用户管理", no_args_is_help=True)

ROLE_HELP = "角色：bureau（主管部门）、provider（服务商）、enterprise（试点企业）、chain_leader（链主企业）"


def _database_url() -> str:
    url = get_settings().resolved_database_url()
    migrate(url)
    return url


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]{message}[/red]")
    return typer.Exit(1)


def seed_command(
    if_empty: bool = typer.Option(False, "--if-empty", help="数据库中已有服务商时不做任何事"),
) -> None:
    """载入演示数据：服务商、产品、试点企业、需求、产业链、演示账号，以及近 18 个月的试点历程。"""
    from seed.history import load_history
    from seed.load import is_empty, load_demo  # seed imports the catalog; keep CLI start-up light
    from seed.users import DEMO_PASSWORD

    try:
        with session_scope(_database_url()) as session:
            if if_empty and not is_empty(session=session):
                console.print("数据库中已有数据，跳过演示数据载入。")
                return
            report = load_demo(session=session, actor="seed")
            history = load_history(session=session)
    except ImportRejected as exc:
        lines = "\n".join(e.describe() for e in exc.errors[:20])
        raise _fail(f"演示数据导入失败：{exc.message}\n{lines}") from None
    except MarketError as exc:
        raise _fail(f"演示数据载入失败：{exc.message}") from None
    console.print("演示数据已载入。")
    console.print(report.summary_zh())
    console.print(history.summary_zh() if history.events else "试点历程已在数据库中，未重复载入。")
    if report.users_created:
        console.print(f"新建演示账号：{'、'.join(report.users_created)}")
        console.print(f"演示账号的初始密码均为 {DEMO_PASSWORD}，仅供演示，正式使用前请修改。")


def _parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise _fail(f"未知角色“{value}”。{ROLE_HELP}") from None


def _read_password(password: str | None, prompt: bool) -> str:
    if password and prompt:
        raise _fail("--password 与 --prompt 只能选一个")
    if prompt:
        return str(typer.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码"))
    if not password:
        raise _fail("请用 --password 给出密码，或用 --prompt 交互输入")
    return password


def add_user_command(
    username: str = typer.Argument(..., help="用户名（英文字母、数字和 _ . @ -）"),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    password: str | None = typer.Option(None, "--password", help="密码（至少 8 个字符）"),
    prompt: bool = typer.Option(False, "--prompt", help="交互输入密码（不留在命令历史中）"),
    region: list[str] = typer.Option([], "--region", help="主管部门的管辖地区，可重复，如 江西省九江市"),
    provider_uscc: str | None = typer.Option(None, "--provider-uscc", help="服务商账号绑定的服务商统一社会信用代码"),
    enterprise_uscc: str | None = typer.Option(
        None, "--enterprise-uscc", help="企业或链主账号绑定的企业统一社会信用代码"),
    display_name: str = typer.Option("", "--display-name", help="显示名称"),
    actor: str = typer.Option("cli", "--actor", help="记入审计日志的操作人"),
) -> None:
    """新建一个用户账号。"""
    parsed_role = _parse_role(role)
    secret = _read_password(password, prompt)
    try:
        with session_scope(_database_url()) as session:
            provider_id = (catalog_users.provider_id_by_uscc(session=session, uscc=provider_uscc)
                           if provider_uscc else None)
            enterprise_id = (catalog_users.enterprise_id_by_uscc(session=session, uscc=enterprise_uscc)
                             if enterprise_uscc else None)
            user = catalog_users.create_user(
                session=session, username=username, password=secret, role=parsed_role, actor=actor,
                display_name=display_name, regions=region or None,
                provider_id=provider_id, enterprise_id=enterprise_id)
            label = catalog_users.ROLE_LABELS[parsed_role]
    except MarketError as exc:
        raise _fail(f"新建用户失败：{exc.message}") from None
    console.print(f"已新建{label}账号“{user.username}”。")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the `market` app."""
    app.command("seed")(seed_command)
    users_app.command("add")(add_user_command)
    app.add_typer(users_app, name="users")

