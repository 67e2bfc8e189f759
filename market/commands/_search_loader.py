"""Loading a catalogue file for `market eval search`: the catalog import when it is there,
else a plain reader of the exchange JSON (providers and solutions only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from catalog.models import Provider, Solution
from catalog.taxonomy import resolve_industry
from catalog.text import clean_value, company_key, split_multi


def select_all(model: Any) -> Any:
    return select(model)


def import_files(*, session: Session, paths: list[Path]) -> None:
    """Store the providers and solutions of the given files."""
    try:
        from catalog.imports import import_paths  # type: ignore[attr-defined]
    except ImportError:
        import_paths = None
    if import_paths is not None:
        import_paths(session=session, paths=paths, actor="eval")
        return
    for path in paths:
        data = json.loads(Path(path).read_text("utf-8"))
        providers = {p["uscc"]: _provider(p) for p in data.get("providers", [])}
        session.add_all(providers.values())
        session.flush()
        for item in data.get("solutions", []):
            session.add(_solution(item, providers[item["provider_uscc"]]))
        session.flush()


def _codes(values: object) -> list[str]:
    out: list[str] = []
    for value in split_multi(values):
        out.extend(resolve_industry(value) or [value])
    return list(dict.fromkeys(out))


def _provider(p: dict[str, Any]) -> Provider:
    return Provider(
        uscc=p["uscc"], name=clean_value(p["name"]), name_key=company_key(p["name"]), kind=p["kind"],
        region=clean_value(p["region"]), service_regions=split_multi(p.get("service_regions")),
        industries=_codes(p.get("industries")), scenarios=split_multi(p.get("scenarios")),
        description=clean_value(p.get("description")), certifications=split_multi(p.get("certifications")),
        capacity=int(p.get("capacity") or 20),
    )


def _solution(s: dict[str, Any], provider: Provider) -> Solution:
    return Solution(
        code=s["code"], name=clean_value(s["name"]), provider_id=provider.id or 0,
        industries=_codes(s.get("industries")), scenarios=split_multi(s.get("scenarios")),
        description=clean_value(s.get("description")), deployment=s["deployment"],
        price_wan=float(s["price_wan"]), billing=s["billing"], deploy_days=int(s["deploy_days"]),
        size_fit=s.get("size_fit") or "均可", target_level=s.get("target_level"),
        keywords=split_multi(s.get("keywords")),
    )
