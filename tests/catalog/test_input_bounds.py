"""Every create/update schema: no workflow state among its fields (finding 1), a bound on every
text, list and number (finding 3), and hostile values end as a field error, never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from catalog_builders import make_enterprise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlmodel import Session, func, select

from catalog import limits
from catalog.chains.schemas import ChainLinkCreate, ChainLinkUpdate
from catalog.engagements.schemas import EngagementCreate, EngagementUpdate
from catalog.enterprises.models import Need
from catalog.enterprises.schemas import EnterpriseCreate, EnterpriseUpdate, NeedCreate, NeedUpdate
from catalog.errors import ImportRejected
from catalog.events.models import EventCreate, EventUpdate, ParticipantCreate
from catalog.exchange import imports
from catalog.fields import STATE_FIELDS, Input
from catalog.provider_applications.models import ProviderApplicationCreate
from catalog.providers.schemas import ProviderCreate, ProviderUpdate
from catalog.solutions.schemas import SolutionCreate, SolutionUpdate
from matching.records import NeedRecord, SolutionRecord

INPUTS: list[type[Input]] = [
    ProviderCreate, ProviderUpdate, SolutionCreate, SolutionUpdate, EnterpriseCreate,
    EnterpriseUpdate, NeedCreate, NeedUpdate, ChainLinkCreate, ChainLinkUpdate,
    EngagementCreate, EngagementUpdate, EventCreate, EventUpdate, ParticipantCreate,
    ProviderApplicationCreate,
]
HUGE_TEXT = "数" * 1_000_000
HUGE_LIST = ["k"] * 100_000


def _kinds(model: type[Input]) -> dict[str, str]:
    """Each field's kind from its annotation: text, list, number or other (bool, date, nested)."""
    out = {}
    for name, info in model.model_fields.items():
        text = str(info.annotation)
        if "bool" in text or "date" in text or "SessionSpec" in text or "dict" in text:
            out[name] = "other"
        elif "list" in text:
            out[name] = "list"
        elif "str" in text:
            out[name] = "text"
        else:
            out[name] = "number"
    return out


def _errors_on(model: type[Input], field: str, value: Any) -> list[str]:
    try:
        model.model_validate({field: value})
    except ValidationError as error:
        return [str(e["loc"][0]) for e in error.errors() if e.get("loc")]
    return []


@pytest.mark.parametrize("model", INPUTS, ids=lambda m: m.__name__)
def test_no_state_field_can_be_written(model: type[Input]) -> None:
    assert not set(model.model_fields) & set(STATE_FIELDS), model.__name__
    for name in STATE_FIELDS:
        with pytest.raises(ValidationError, match="不能在此设置"):
            model.model_validate({name: "已验收"})


@pytest.mark.parametrize("model", INPUTS, ids=lambda m: m.__name__)
def test_every_field_is_bounded(model: type[Input]) -> None:
    hostile = {"text": HUGE_TEXT, "list": HUGE_LIST, "number": 1e308}
    for field, kind in _kinds(model).items():
        if kind == "other":
            continue
        assert field in _errors_on(model, field, hostile[kind]), f"{model.__name__}.{field} accepts {kind} of any size"


@pytest.mark.parametrize("model", INPUTS, ids=lambda m: m.__name__)
def test_a_huge_text_is_refused_before_it_is_cleaned(model: type[Input]) -> None:
    for field, kind in _kinds(model).items():
        if kind == "text":
            messages = []
            try:
                model.model_validate({field: HUGE_TEXT})
            except ValidationError as error:
                messages = [str(e.get("msg")) for e in error.errors() if e.get("loc") == (field,)]
            assert messages and ("不能超过" in messages[0] or "应为" in messages[0] or "未知" in messages[0])


ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=300), st.text(alphabet="数字化、；;%＝=\u200b\u202e ", max_size=80),
    st.lists(st.text(max_size=70), max_size=40), st.lists(st.integers(), max_size=60),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@pytest.mark.parametrize("model", INPUTS, ids=lambda m: m.__name__)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_values_end_as_field_errors_or_bounded_records(model: type[Input], data: st.DataObject) -> None:
    fields = list(model.model_fields)
    body = data.draw(st.dictionaries(st.sampled_from(fields), ANY_VALUE, max_size=len(fields)))
    try:
        record = model.model_validate(body)
    except ValidationError as error:
        assert all(e["msg"] for e in error.errors())
        return
    for name, value in record.model_dump().items():
        if isinstance(value, str):
            assert len(value) <= limits.DESCRIPTION_CHARS, name
        if isinstance(value, list):
            assert len(value) <= limits.REGION_ITEMS, name
        if isinstance(value, float | int) and not isinstance(value, bool):
            assert abs(value) <= limits.MONEY_WAN or name.endswith("_id"), name


def test_the_matcher_reads_at_most_the_bounded_text() -> None:
    need = NeedRecord(id="1", enterprise_id="1", text=HUGE_TEXT)
    assert len(need.text) == limits.NEED_TEXT_CHARS
    solution = SolutionRecord(id="1", name=HUGE_TEXT, provider_id="1", description=HUGE_TEXT,
                              keywords=tuple(HUGE_LIST))
    assert len(solution.description) == limits.DESCRIPTION_CHARS and len(solution.keywords) == limits.LIST_ITEMS


def test_an_import_row_beyond_a_bound_names_row_and_column(session: Session, tmp_path: Path) -> None:
    firm = make_enterprise(session)
    session.commit()
    path = tmp_path / "needs.json"
    rows = [{"enterprise_uscc": firm.uscc, "code": "N1", "text": "设备老是停机"},
            {"enterprise_uscc": firm.uscc, "code": "N2", "text": "停" * (limits.NEED_TEXT_CHARS + 1)},
            {"enterprise_uscc": firm.uscc, "code": "N3", "text": "预算", "budget_wan": 1e308}]
    path.write_text(json.dumps({"needs": rows}, ensure_ascii=False), "utf-8")
    with pytest.raises(ImportRejected) as caught:
        imports.import_paths(session=session, paths=[path], actor="cli")
    session.rollback()
    found = {(e.row, e.column): e.message for e in caught.value.errors}
    assert any(row == 2 and "不能超过 1000 字" in message for (row, _), message in found.items()), found
    assert any(row == 3 and "不大于 1000000" in message for (row, _), message in found.items()), found
    assert session.exec(select(func.count()).select_from(Need)).one() == 0


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202d", "\u202e",
                                  "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad"])
def test_invisible_format_characters_are_stripped_from_names(mark: str) -> None:
    data = EnterpriseCreate.model_validate({
        "name": f"九江{mark}鄱湾化学有限公司", "uscc": "91360400MA35G9YJ1L", "region": f"江西省{mark}九江市",
        "industry": "C261", "size": "规上"})
    assert data.name == "九江鄱湾化学有限公司" and data.region == "江西省九江市"
    need = NeedCreate.model_validate({"text": f"设备{mark}停机", "code": f"N{mark}1"})
    assert need.text == "设备停机" and need.code == "N1"


def test_every_input_schema_of_the_catalogue_is_checked_here() -> None:
    import importlib
    import pkgutil

    import catalog

    for module in pkgutil.walk_packages(catalog.__path__, prefix="catalog."):
        importlib.import_module(module.name)
    found, todo = set(), [Input]
    while todo:
        for child in todo.pop().__subclasses__():
            todo.append(child)
            if child.__module__.startswith("catalog."):
                found.add(child)
    assert found <= set(INPUTS), f"add to INPUTS: {sorted(c.__name__ for c in found - set(INPUTS))}"
