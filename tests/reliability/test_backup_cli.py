"""`market backup DIR` and `market restore DIR` from the command line."""

from __future__ import annotations

from pathlib import Path

import meilisearch
import pytest
from typer.testing import CliRunner

from market.cli import app
from market.settings import get_settings
from search_index.server import LocalMeilisearch


@pytest.mark.meili
def test_backup_then_restore_into_an_empty_instance(
    demo_database_url: str, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    meili: meilisearch.Client, meili_server: LocalMeilisearch, prefix: str,
) -> None:
    monkeypatch.setenv("MEILI_URL", meili_server.url)
    monkeypatch.setenv("MEILI_MASTER_KEY", meili_server.key)
    monkeypatch.setenv("MARKET_MEILI_INDEX_PREFIX", prefix)
    runner, out = CliRunner(), tmp_path / "backup"
    try:
        monkeypatch.setenv("MARKET_DATABASE_URL", demo_database_url)
        get_settings.cache_clear()
        made = runner.invoke(app, ["backup", str(out)])
        assert made.exit_code == 0, made.output
        assert "备份完成" in made.output and "搜索索引已转储" in made.output
        again = runner.invoke(app, ["backup", str(out)])
        assert again.exit_code == 1 and "不是空目录" in again.output

        monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
        get_settings.cache_clear()
        restored = runner.invoke(app, ["restore", str(out)])
        assert restored.exit_code == 0, restored.output
        assert "审计链完整" in restored.output and "搜索索引已重建" in restored.output
        twice = runner.invoke(app, ["restore", str(out)])
        assert twice.exit_code == 1 and "不是空的" in twice.output
        missing = runner.invoke(app, ["restore", str(tmp_path / "nowhere")])
        assert missing.exit_code == 1 and "不是一个备份目录" in missing.output
    finally:
        get_settings.cache_clear()
