"""The provider profile and solution forms: form fields ⇄ catalogue schemas, and what a
saved edit tells the provider (the edit itself: catalog/revision_service.edit_listing)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from catalog.providers.models import ListingStatus, Provider, ProviderKind
from catalog.revisions.models import Revision
from catalog.revisions.service import EditOutcome
from catalog.solutions.models import SizeFit, Solution
from catalog.taxonomy import target_levels, taxonomy
from market.web.forms import optional, text, values
from market.web.page_common import industry_choices, join_values, split_lines

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
        "size_choices": (SizeFit.ANY.value, SizeFit.ABOVE.value, SizeFit.BELOW.value),  # the default first
        "level_choices": target_levels(),
        "kind_choices": tuple(k.value for k in ProviderKind),
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


def form_values(record: Solution | Provider | None, names: tuple[str, ...],
                revision: Revision | None = None) -> dict[str, Any]:
    """A stored record as the values a form shows (lists joined for text boxes), with the
    values its open revision proposes over the published ones."""
    if record is None:
        return {"scenarios": [], "industries": [], "size_fit": "均可"}
    proposed = revision.changes if revision is not None else {}
    current = {name: proposed.get(name, getattr(record, name)) for name in (*names, "scenarios", "industries")}
    out: dict[str, Any] = {name: current[name] for name in names}
    for name in _LIST_FIELDS:
        if name in out:
            out[name] = join_values(out[name])
    out["scenarios"] = list(current["scenarios"])
    out["industries"] = list(current["industries"])
    out["version"] = record.version
    return out


def raw_values(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    """What the visitor typed, to show the form again with its errors."""
    out: dict[str, Any] = {name: text(form, name) for name in names}
    out["scenarios"] = values(form, "scenarios")
    out["industries"] = values(form, "industries")
    out["version"] = text(form, "version")
    return out


def saved_message(record: Solution | Provider, outcome: EditOutcome) -> tuple[str, str]:
    """The flash (text, kind) after a provider saved a form."""
    name = record.name
    if not outcome.changed:
        return "内容没有变化", "info"
    if outcome.revision is not None:
        now = "；联系人、联系电话已直接生效" if outcome.applied else ""
        return f"“{name}”的修改已提交主管部门审核，审核通过前公开页面仍展示原内容{now}", "success"
    if record.status == ListingStatus.PENDING:
        return f"已保存“{name}”，等待主管部门审核", "success"
    return f"已保存“{name}”，已直接生效", "success"

