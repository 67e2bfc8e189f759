"""Small builder functions for the search tests: records written with their outbox entries."""

from __future__ import annotations

import uuid
from pathlib import Path

import meilisearch
from sqlmodel import Session

from catalog import outbox
from catalog.providers.models import ListingStatus, Provider
from catalog.solutions.models import Solution
from search_index.query import SearchRequest, search_solutions
from search_index.sync import drain

_USCC_SEQ = iter(range(10**6))


def add_provider(session: Session, *, status: str = ListingStatus.PUBLISHED, **fields: object) -> Provider:
    n = next(_USCC_SEQ)
    values: dict[str, object] = {
        "uscc": f"91360400TEST{n:06d}", "name": f"测试服务商{n}", "kind": "专业服务商",
        "region": "江西省九江市濂溪区", "industries": ["通用"], "scenarios": ["质量管控"],
        "description": "测试用服务商", "status": status,
    }
    values.update(fields)
    provider = Provider(**values)  # type: ignore[arg-type]
    session.add(provider)
    session.flush()
    outbox.enqueue(session=session, record_type="provider", record_id=provider.id or 0)
    return provider


def add_solution(session: Session, provider: Provider, *, status: str = ListingStatus.PUBLISHED,
                 **fields: object) -> Solution:
    values: dict[str, object] = {
        "code": f"T-{uuid.uuid4().hex[:8]}", "name": "测试方案", "provider_id": provider.id,
        "industries": ["通用"], "scenarios": ["质量管控"], "description": "", "deployment": "SaaS",
        "price_wan": 1.0, "billing": "年订阅", "deploy_days": 7, "keywords": [], "status": status,
    }
    values.update(fields)
    solution = Solution(**values)  # type: ignore[arg-type]
    session.add(solution)
    session.flush()
    outbox.enqueue(session=session, record_type="solution", record_id=solution.id or 0)
    return solution


def sync(database_url: str, client: meilisearch.Client, prefix: str) -> None:
    """Apply the whole outbox to the test's indexes."""
    drain(database_url=database_url, client=client, prefix=prefix)


SHARED = Path(__file__).resolve().parents[3] / "shared"
if not SHARED.exists():
    SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV_DATA = SHARED / "data" / "dev"
JUDGED = SHARED / "data" / "judged"


def names(client: meilisearch.Client, prefix: str, q: str) -> list[str]:
    """The names the search answers `q` with (up to 50), best first."""
    result = search_solutions(client=client, prefix=prefix, request=SearchRequest(q=q, per_page=50))
    return [h["name"] for h in result.hits]
