"""The provider profile and solution forms: form fields ⇄ catalogue schemas, and the
"edits go back to 待审核" step every provider edit takes."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from catalog import service as catalog_service
from catalog.models import ListingStatus, Provider, Solution
from catalog.taxonomy import taxonomy
from market.pages.common import industry_choices, join_values, split_lines
from market.pages.forms import optional, text, values

SOLUTION_TEXT = ("code", "name", "description", "deployment", "price_wan", "billing", "deploy_days",
                 "size_fit", "target_level", "keywords")
PROVIDER_TEXT = ("name", "kind", "service_regions", "description", "certifications", "capacity",
                 "contact_name", "contact_phone")
_LIST_FIELDS = ("keywords", "service_regions", "certifications")
_OPTIONAL = ("target_level", "contact_name", "contact_phone", "capacity", "size_fit")


def form_choices() -> dict[str, Any]:
    """What the selects and checkbox lists of both forms offer."""
    tax = taxonomy()
    return {
        "scenario_choices": tax.scenarios,
        "industry_choices": industry_choices(),
        "deployment_choices": tax.deployment,
        "billing_choices": tax.billing,
        "size_choices": ("均可", "规上", "规下"),
        "level_choices": ("二级", "三级", "四级"),
        "kind_choices": ("综合服务商", "专业服务商"),
    }


def _from_form(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in names:
        raw = text(form, name)
        data[name] = split_lines(raw) if name in _LIST_FIELDS else (optional(raw) if name in _OPTIONAL else raw)
    data["scenarios"] = values(form, "scenarios")
    data["industries"] = values(form, "industries")
    return data


def solution_data(form: FormData) -> dict[str, Any]:
    """A solution form as the dict SolutionCreate / SolutionUpdate validate."""
    return _from_form(form, SOLUTION_TEXT)


def provider_data(form: FormData) -> dict[str, Any]:
    """A provider profile form as the dict ProviderUpdate validates (USCC is not editable)."""
    return _from_form(form, PROVIDER_TEXT)


def form_values(record: Solution | Provider | None, names: tuple[str, ...]) -> dict[str, Any]:
    """A stored record as the values a form shows (lists joined for text boxes)."""
    if record is None:
        return {"scenarios": [], "industries": [], "size_fit": "均可"}
    out: dict[str, Any] = {name: getattr(record, name) for name in names}
    for name in _LIST_FIELDS:
        if name in out:
            out[name] = join_values(out[name])
    out["scenarios"] = list(record.scenarios)
    out["industries"] = list(record.industries)
    out["version"] = record.version
    return out


def raw_values(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    """What the visitor typed, to show the form again with its errors."""
    out: dict[str, Any] = {name: text(form, name) for name in names}
    out["scenarios"] = values(form, "scenarios")
    out["industries"] = values(form, "industries")
    out["version"] = text(form, "version")
    return out


def next_solution_code(session: Session, provider: Provider) -> str:
    """A free product code for a provider's new listing: P<provider id>-<n>."""
    prefix = f"P{provider.id}-"
    taken = set(session.exec(select(Solution.code).where(col(Solution.code).startswith(prefix))).all())
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def back_to_review(session: Session, record: Solution | Provider, actor: str) -> None:
    """After a provider's edit: a published listing goes back to 待审核; a listing sent back
    for changes loses the bureau's remark, so it shows as resubmitted."""
    record_type = "solution" if isinstance(record, Solution) else "provider"
    if record.status == ListingStatus.PUBLISHED:
        if isinstance(record, Solution):
            catalog_service.change_solution_status(
                session=session, solution=record, status=ListingStatus.PENDING, actor=actor)
        else:
            catalog_service.change_provider_status(
                session=session, provider=record, status=ListingStatus.PENDING, actor=actor)
    elif record.status == ListingStatus.PENDING and record.review_remark:
        catalog_service.apply_changes(session=session, record=record, record_type=record_type,
                                      changes={"review_remark": None}, actor=actor)
        session.flush()
