"""`market seed` and `market users add` through the real CLI app, against a real database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from catalog.audit.models import AuditEntry
from catalog.db import get_engine
from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise
from catalog.providers.models import Provider
from catalog.users import service as catalog_users
from catalog.users.models import Role, User
from market.cli import app
from market.settings import get_settings
from seed.users import DEMO_USERS


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture
def demo_cli(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MARKET_DATABASE_URL", demo_database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _count(url: str, model: type) -> int:
    with Session(get_engine(url)) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_seed_loads_the_demo_data_and_prints_counts(cli: CliRunner, database_url: str) -> None:
    result = cli.invoke(app, ["seed"])
    assert result.exit_code == 0, result.output
    assert "演示数据已载入" in result.output and "demo12345" in result.output
    assert "服务商：新增 33" in result.output and "用户 16" in result.output
    assert _count(database_url, Provider) == 33 and _count(database_url, User) == len(DEMO_USERS)
    engagements = _count(database_url, Engagement)
    assert "试点历程：对接活动 9 场" in result.output and engagements > 100
    again = cli.invoke(app, ["seed"])
    assert again.exit_code == 0 and "试点历程已在数据库中，未重复载入" in again.output
    assert _count(database_url, Engagement) == engagements


def test_seed_if_empty_leaves_a_populated_database_alone(demo_cli: CliRunner, demo_database_url: str) -> None:
    audit_before = _count(demo_database_url, AuditEntry)
    result = demo_cli.invoke(app, ["seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "跳过" in result.output
    assert _count(demo_database_url, AuditEntry) == audit_before


def test_seed_if_empty_loads_an_empty_database(cli: CliRunner, database_url: str) -> None:
    result = cli.invoke(app, ["seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert _count(database_url, Enterprise) == 94


def test_seed_again_changes_nothing(demo_cli: CliRunner) -> None:
    result = demo_cli.invoke(app, ["seed"])
    assert result.exit_code == 0, result.output
    assert "服务商：新增 0，更新 0，未变 33" in result.output and "新建用户 0 个" in result.output


def test_users_add_creates_each_kind_of_account(demo_cli: CliRunner, demo_database_url: str) -> None:
    with Session(get_engine(demo_database_url)) as session:
        provider = session.exec(select(Provider).where(Provider.name == "南昌洪都财税软件有限公司")).one()
        enterprise = session.exec(select(Enterprise).where(Enterprise.name == "九江晶泰电子器件有限公司")).one()
    runs = [
        ["users", "add", "pingyuan_bureau", "--role", "bureau", "--password", "secret-123",
         "--region", "河南省新乡市", "--region", "河南省新乡市长垣市", "--display-name", "长垣专班"],
        ["users", "add", "hongdu", "--role", "provider", "--password", "secret-123",
         "--provider-uscc", provider.uscc.lower()],
        ["users", "add", "jingtai", "--role", "enterprise", "--password", "secret-123",
         "--enterprise-uscc", enterprise.uscc],
    ]
    for args in runs:
        result = demo_cli.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "已新建" in result.output
    with Session(get_engine(demo_database_url)) as session:
        bureau = catalog_users.get_user_by_username(session=session, username="pingyuan_bureau")
        assert bureau is not None and bureau.regions == ["河南省新乡市", "河南省新乡市长垣市"]
        assert bureau.display_name == "长垣专班"
        hongdu = catalog_users.get_user_by_username(session=session, username="hongdu")
        assert hongdu is not None and hongdu.role == Role.PROVIDER and hongdu.provider_id == provider.id
        assert catalog_users.verify_password(hongdu.password_hash, "secret-123")
        jingtai = catalog_users.get_user_by_username(session=session, username="jingtai")
        assert jingtai is not None and jingtai.enterprise_id == enterprise.id


def test_users_add_with_prompt_reads_the_password_twice(cli: CliRunner, database_url: str) -> None:
    args = ["users", "add", "prompted", "--role", "bureau", "--prompt", "--region", "江西省九江市"]
    result = cli.invoke(app, args, input="long-enough-1\nlong-enough-1\n")
    assert result.exit_code == 0, result.output
    with Session(get_engine(database_url)) as session:
        user = catalog_users.get_user_by_username(session=session, username="prompted")
        assert user is not None and catalog_users.verify_password(user.password_hash, "long-enough-1")
        logged = session.exec(select(AuditEntry).where(AuditEntry.record_type == "user")).all()
        assert [(e.actor, e.action, e.record_key) for e in logged] == [("cli", "create", str(user.id))]
        assert logged[0].after is not None and "password_hash" not in logged[0].after


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["jiujiang_bureau", "--role", "bureau", "--password", "secret-123", "--region", "江西省九江市"],
         "已被使用"),
        (["newcomer", "--role", "provider", "--password", "secret-123"], "必须绑定一个服务商"),
        (["newcomer", "--role", "bureau", "--password", "secret-123"], "必须指定管辖地区"),
        (["newcomer", "--role", "wizard", "--password", "secret-123"], "未知角色"),
        (["newcomer", "--role", "bureau", "--password", "short", "--region", "江西省九江市"], "至少需要 8 个字符"),
        (["newcomer", "--role", "enterprise", "--password", "secret-123",
          "--enterprise-uscc", "91360400MA35R7K2W0"], "统一社会信用代码"),  # check digit should be G
        (["newcomer", "--role", "enterprise", "--password", "secret-123",
          "--enterprise-uscc", "91110000000000000X"], "统一社会信用代码"),
        (["newcomer", "--role", "bureau", "--region", "江西省九江市"], "--prompt"),
        (["newcomer", "--role", "bureau", "--password", "secret-123", "--region", " 江 "], "管辖地区“江”应为 2～60 个字符"),
        (["newcomer", "--role", "bureau", "--password", "secret-123", "--region", "江" * 61], "应为 2～60 个字符"),
    ],
)
def test_users_add_failures_are_explained_in_chinese(
    demo_cli: CliRunner, demo_database_url: str, args: list[str], message: str
) -> None:
    users_before = _count(demo_database_url, User)
    result = demo_cli.invoke(app, ["users", "add", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert _count(demo_database_url, User) == users_before


def test_users_add_names_an_unknown_but_valid_uscc(demo_cli: CliRunner) -> None:
    from catalog.validation import make_uscc

    result = demo_cli.invoke(app, ["users", "add", "nobody", "--role", "enterprise", "--password", "secret-123",
                                   "--enterprise-uscc", make_uscc("不存在的企业")])
    assert result.exit_code == 1
    assert "找不到统一社会信用代码为" in result.output and "的企业" in result.output
