"""The typed write path (catalog/writes.py): each audited table says on its class what its audit
entries are filed under and keep, and the shared helpers know no feature."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel

from catalog import writes
from catalog.chains.models import ChainLink
from catalog.engagements.models import Engagement
from catalog.enterprises.models import Enterprise, Need
from catalog.enterprises.schemas import EnterpriseBase, NeedBase
from catalog.errors import NotFound
from catalog.providers.models import Provider
from catalog.providers.schemas import ProviderBase
from catalog.solutions.models import Solution
from catalog.solutions.schemas import SolutionBase

AUDITED: list[type[SQLModel]] = [Provider, Solution, Enterprise, Need, ChainLink, Engagement]
ROOT = Path(__file__).resolve().parents[2]


def test_each_audited_table_names_its_record_type_and_label() -> None:
    named = {m.__name__: (m.audit_type, m.label) for m in AUDITED}  # type: ignore[attr-defined]
    assert named == {
        "Provider": ("provider", "服务商"), "Solution": ("solution", "产品"), "Enterprise": ("enterprise", "企业"),
        "Need": ("need", "需求"), "ChainLink": ("chain_link", "产业链关系"), "Engagement": ("engagement", "对接记录"),
    }


def test_audited_fields_follow_the_schemas() -> None:
    """A field added to a schema is audited too: the snapshot keeps the schema's fields and these."""
    assert Provider.audited_fields == (*ProviderBase.model_fields, "status", "lead_provider_id")
    assert Solution.audited_fields == (*SolutionBase.model_fields, "provider_id", "status", "excellent")
    assert Enterprise.audited_fields == (
        *EnterpriseBase.model_fields, "findable_by_providers", "share_budget", "share_needs_with_chain")
    assert Need.audited_fields == (*NeedBase.model_fields, "enterprise_id", "position")
    assert Engagement.audited_fields == tuple(
        name for name in Engagement.model_fields if name not in ("id", "version", "created_at", "updated_at"))


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_audited_and_not_null_fields_are_columns(model: type[SQLModel]) -> None:
    columns = model.__table__.c  # type: ignore[attr-defined]
    assert set(model.audited_fields) <= set(columns.keys())  # type: ignore[attr-defined]
    assert all(not columns[name].nullable for name in model.not_null)  # type: ignore[attr-defined]


def test_not_found_names_the_kind(session: Session) -> None:
    with pytest.raises(NotFound, match="未找到编号为 999 的产业链关系"):
        writes.get_or_404(session=session, model=ChainLink, record_id=999)


def test_the_shared_write_path_imports_no_feature() -> None:
    tree = ast.parse((ROOT / "catalog" / "writes.py").read_text("utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {f"{node.module}.{a.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 for a in node.names if node.module == "catalog"}
    ours = {name for name in imported if name.startswith("catalog")}
    assert ours <= {"catalog", "catalog.outbox", "catalog.audit", "catalog.audit.service", "catalog.errors",
                    "catalog.language.text", "catalog.records"}
