"""Small builders for matcher tests: plain records with sensible defaults."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from matching.config import MatchConfig
from matching.records import EnterpriseRecord, NeedRecord, ProviderRecord, SolutionRecord
from matching.scoring import MatchContext


def solution(id: str, name: str, **kw: Any) -> SolutionRecord:
    base = SolutionRecord(id=id, name=name, provider_id=kw.pop("provider_id", "P1"),
                          industries=("通用",), scenarios=("生产过程管控",))
    return replace(base, **kw)


def provider(id: str = "P1", **kw: Any) -> ProviderRecord:
    return replace(ProviderRecord(id=id, name=f"服务商{id}"), **kw)


def enterprise(**kw: Any) -> EnterpriseRecord:
    return replace(EnterpriseRecord(id="E1", name="测试企业", region="河南省新乡市红旗区",
                                    industry="C343", size="规上", level="二级"), **kw)


def need(text: str, **kw: Any) -> NeedRecord:
    return replace(NeedRecord(id=kw.pop("id", "E1/N1"), enterprise_id="E1", text=text), **kw)


def context(solutions: list[SolutionRecord], providers: list[ProviderRecord] | None = None,
            config: MatchConfig | None = None) -> MatchContext:
    pool = providers or [provider(pid) for pid in sorted({s.provider_id for s in solutions})]
    return MatchContext(solutions, {p.id: p for p in pool}, config)


def _shared() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "shared" / "data").exists():
            return parent / "shared" / "data"
    raise FileNotFoundError("shared/data not found beside the project")


DEV_DATA = _shared() / "dev"
JUDGED = _shared() / "judged"
