"""`market eval match` and `market match cohort` on the dev set."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from market.cli import app

SHARED = next(p / "shared" / "data" for p in Path(__file__).resolve().parents
              if (p / "shared" / "data").exists())
DEV_DATA, JUDGED = SHARED / "dev", SHARED / "judged"

runner = CliRunner()


def test_eval_match_json_has_the_search_eval_shape() -> None:
    result = runner.invoke(app, ["eval", "match", "--catalog", str(DEV_DATA / "catalog.json"),
                                 "--queries", str(JUDGED / "queries.json"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    for block in [summary["overall"], *summary["styles"].values()]:
        assert {"ndcg@10", "recall@10", "mrr", "p50_ms", "p95_ms"} <= set(block)
    assert set(summary["styles"]) == {"plain", "painpoint", "abbrev", "traditional", "typo", "compound"}


def test_eval_match_table_is_in_chinese() -> None:
    result = runner.invoke(app, ["eval", "match", "--catalog", str(DEV_DATA / "catalog.json"),
                                 "--queries", str(JUDGED / "queries.json")])
    assert result.exit_code == 0, result.output
    assert "总体" in result.output and "ndcg@10" in result.output


def test_match_cohort_writes_allocation_and_gaps(tmp_path: Path) -> None:
    out = tmp_path / "cohort.json"
    result = runner.invoke(app, ["match", "cohort", "--catalog", str(DEV_DATA / "catalog.json"),
                                 "--enterprises", str(DEV_DATA / "enterprises.json"),
                                 "--region", "新疆维吾尔自治区昌吉回族自治州", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "服务商分配" in result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["allocation"] and data["shortlists"]
    assert all(len(v) <= 5 for v in data["shortlists"].values())


def test_match_cohort_says_so_when_nothing_is_selected() -> None:
    result = runner.invoke(app, ["match", "cohort", "--catalog", str(DEV_DATA / "catalog.json"),
                                 "--enterprises", str(DEV_DATA / "enterprises.json"),
                                 "--city", "不存在的城市"])
    assert result.exit_code == 1
    assert "没有符合条件" in result.output


def test_match_cohort_on_the_database(database_url: str, monkeypatch) -> None:
    from sqlmodel import Session
    from web_builders import build_world

    from catalog.db import get_engine
    from market.settings import get_settings

    with Session(get_engine(database_url), expire_on_commit=False) as session:
        build_world(session)
    monkeypatch.setenv("MARKET_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["match", "cohort", "--city", "江西省九江市"])
        not_a_prefix = runner.invoke(app, ["match", "cohort", "--region", "九江"])  # as a bureau's cohort reads it
        one_character = runner.invoke(app, ["match", "cohort", "--region", "江"])
        unknown_industry = runner.invoke(app, ["match", "cohort", "--region", "江西省九江市", "--industry", "不存在的行业"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "企业 3 家" in result.output and "九江云联设备科技有限公司" in result.output
    assert not_a_prefix.exit_code == 1 and "没有符合条件" in not_a_prefix.output
    assert one_character.exit_code == 2 and "至少 2 个字" in one_character.output
    assert unknown_industry.exit_code == 2 and "未识别的行业" in unknown_industry.output


def test_match_cohort_wants_both_files_or_neither() -> None:
    result = runner.invoke(app, ["match", "cohort", "--catalog", str(DEV_DATA / "catalog.json")])
    assert result.exit_code == 2
