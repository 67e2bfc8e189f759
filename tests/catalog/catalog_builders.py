"""Small builders for catalogue tests: valid records with overridable fields, workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlmodel import Session

from catalog.enterprises import service as enterprise_service
from catalog.enterprises.models import Enterprise
from catalog.enterprises.schemas import EnterpriseCreate, NeedCreate
from catalog.providers import service as provider_service
from catalog.providers.models import ListingStatus, Provider
from catalog.providers.schemas import ProviderCreate
from catalog.solutions import service as solution_service
from catalog.solutions.models import Solution
from catalog.solutions.schemas import SolutionCreate
from catalog.validation import make_uscc

_SHARED = Path(__file__).resolve().parents[3] / "shared"
if not _SHARED.exists():
    _SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV_DATA = _SHARED / "data" / "dev"


def provider_data(seed: str = "p1", **overrides: Any) -> ProviderCreate:
    fields: dict[str, Any] = {
        "name": f"九江{seed}数智科技有限公司", "uscc": make_uscc(seed), "kind": "专业服务商",
        "region": "江西省九江市濂溪区", "industries": ["C26"], "scenarios": ["质量管控"],
        "description": "面向化工企业的质量管理系统", "contact_phone": "0792-1234567",
    }
    return ProviderCreate.model_validate(fields | overrides)


def solution_data(provider_id: int, code: str = "S-001", **overrides: Any) -> SolutionCreate:
    fields: dict[str, Any] = {
        "code": code, "name": f"质量追溯系统{code}", "provider_id": provider_id, "industries": ["C26"],
        "scenarios": ["质量管控"], "description": "批次质量追溯", "deployment": "SaaS", "price_wan": 3.5,
        "billing": "年订阅", "deploy_days": 30,
    }
    return SolutionCreate.model_validate(fields | overrides)


def enterprise_data(seed: str = "e1", **overrides: Any) -> EnterpriseCreate:
    fields: dict[str, Any] = {
        "name": f"九江{seed}化工有限公司", "uscc": make_uscc(seed), "region": "江西省九江市湖口县",
        "industry": "C261", "size": "规上", "level": "二级", "budget_wan": 50,
    }
    return EnterpriseCreate.model_validate(fields | overrides)


def make_provider(session: Session, seed: str = "p1", **overrides: Any) -> Provider:
    return provider_service.create_provider(session=session, data=provider_data(seed, **overrides), actor="tester")


def make_solution(session: Session, provider: Provider, code: str = "S-001", **overrides: Any) -> Solution:
    return solution_service.create_solution(session=session, data=solution_data(int(provider.id or 0), code, **overrides),
                                   actor="tester", status=ListingStatus.PUBLISHED)


def make_enterprise(session: Session, seed: str = "e1", **overrides: Any) -> Enterprise:
    return enterprise_service.create_enterprise(session=session, data=enterprise_data(seed, **overrides), actor="tester")


def make_need(session: Session, enterprise: Enterprise, text: str = "想上MES", **overrides: Any):  # type: ignore[no-untyped-def]
    data = NeedCreate.model_validate({"text": text, "scenario": "生产过程管控"} | overrides)
    return enterprise_service.create_need(session=session, enterprise=enterprise, data=data, actor="tester")


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook with one sheet per entry: the first list is the header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path
