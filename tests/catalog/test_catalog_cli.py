from pathlib import Path

import pytest
import sqlalchemy as sa
from catalog_builders import DEV_DATA, write_workbook
from typer.testing import CliRunner

from catalog.db import get_engine
from market.cli import app
from market.settings import get_settings


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_import_export_and_verify(cli: CliRunner, database_url: str, tmp_path: Path) -> None:
    result = cli.invoke(app, ["import", str(DEV_DATA)])
    assert result.exit_code == 0, result.output
    assert "服务商：新增 25，更新 0，未变 0" in result.output and "需求清单：新增 262" in result.output
    again = cli.invoke(app, ["import", str(DEV_DATA / "catalog.json")])
    assert "产品和解决方案：新增 0，更新 0，未变 100" in again.output
    out = tmp_path / "all.xlsx"
    exported = cli.invoke(app, ["export", str(out)])
    assert exported.exit_code == 0 and out.exists() and "519" in exported.output
    verified = cli.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and "审计链完整，共校验 519 条" in verified.output


def test_rejected_import_prints_every_row_error(cli: CliRunner, database_url: str, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "bad.xlsx", {"试点企业": [
        ["企业名称", "统一社会信用代码", "所在地区", "细分行业", "企业规模"],
        ["甲公司", "91360400QJWYLF55TX", "九江", "C261", "规上"],
        ["乙公司", "91360400QJWYLF55TY", "九江", "C261", "中型"]]})
    result = cli.invoke(app, ["import", str(path)])
    assert result.exit_code == 1
    assert "校验位错误" in result.output and "未知的企业规模“中型”" in result.output
    assert "Traceback" not in result.output
    with get_engine(database_url).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM enterprise")).scalar() == 0


def test_missing_path_and_bad_export_type(cli: CliRunner, tmp_path: Path) -> None:
    missing = cli.invoke(app, ["import", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 1 and "不存在" in missing.output
    wrong = cli.invoke(app, ["export", str(tmp_path / "x.csv")])
    assert wrong.exit_code == 2


def test_audit_verify_names_a_tampered_entry(cli: CliRunner, database_url: str) -> None:
    assert cli.invoke(app, ["import", str(DEV_DATA / "chains.json"), str(DEV_DATA / "enterprises.json")]).exit_code == 0
    with get_engine(database_url).begin() as conn:
        conn.execute(sa.text("UPDATE auditentry SET record_key = '999' WHERE id = 40"))
    result = cli.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and "第 40 条" in result.output
    with get_engine(database_url).begin() as conn:
        conn.execute(sa.text("DELETE FROM auditentry WHERE id = 10"))
    deleted = cli.invoke(app, ["audit", "verify"])
    assert deleted.exit_code == 1 and "第 10 条审计记录已被删除" in deleted.output
