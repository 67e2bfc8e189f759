import pytest
from pydantic import ValidationError

from catalog.enterprises.schemas import EnterpriseCreate, NeedCreate
from catalog.fields import field_errors
from catalog.providers.schemas import ProviderUpdate
from catalog.solutions.schemas import SolutionRow
from catalog.validation import make_uscc

SOLUTION = {
    "code": "S-1", "name": "質量追溯系統", "provider_uscc": make_uscc("p"), "industries": "化学原料和化学制品制造业",
    "scenarios": "质量管控；生产过程管控、 质量管控", "description": " 批次　追溯 ", "deployment": "saas",
    "price_wan": "３.５", "billing": "年订阅", "deploy_days": "30", "keywords": "ＭＥＳ;追溯",
}


def test_text_is_folded_to_simplified_half_width_and_single_spaces() -> None:
    row = SolutionRow.model_validate(SOLUTION)
    assert row.name == "质量追溯系统"
    assert row.description == "批次 追溯"
    assert row.keywords == ["MES", "追溯"]
    assert row.price_wan == 3.5 and row.deploy_days == 30
    assert row.deployment == "SaaS"


def test_multi_valued_cells_split_and_deduplicate() -> None:
    row = SolutionRow.model_validate(SOLUTION)
    assert row.scenarios == ["质量管控", "生产过程管控"]
    assert row.industries == ["C26"]


def test_defaults_for_optional_enumerations() -> None:
    row = SolutionRow.model_validate(SOLUTION | {"size_fit": None, "target_level": ""})
    assert row.size_fit == "均可" and row.target_level is None
    need = NeedCreate.model_validate({"text": "想上考勤", "scenario": "", "priority": None})
    assert need.priority is None and need.scenario is None and need.code is None  # the service defaults it


def test_errors_are_chinese_and_name_each_field() -> None:
    bad = SOLUTION | {"price_wan": -1, "deploy_days": 0, "billing": "包年", "scenarios": ""}
    with pytest.raises(ValidationError) as caught:
        SolutionRow.model_validate(bad)
    errors = dict(field_errors(caught.value))
    assert set(errors) == {"price_wan", "deploy_days", "billing", "scenarios"}
    assert "不小于 0" in errors["price_wan"]
    assert "不小于 1" in errors["deploy_days"]
    assert errors["billing"].startswith("未知的计费方式“包年”")
    assert errors["scenarios"] == "至少填写一项"


def test_enterprise_industry_alias_and_share_of_budget() -> None:
    enterprise = EnterpriseCreate.model_validate({
        "name": "九江某化工有限公司", "uscc": make_uscc("e"), "region": "江西省九江市", "industry": "基础化学原料制造业",
        "size": "规上", "srdi_tier": "", "level": None, "budget_wan": "50", "batch": "2"})
    assert (enterprise.industry, enterprise.srdi_tier, enterprise.level, enterprise.batch) == ("C261", "无", "未评测", 2)


def test_update_schema_keeps_only_what_was_sent() -> None:
    update = ProviderUpdate.model_validate({"name": " 九江數智 ", "contact_phone": "13912345678"})
    assert update.model_dump(exclude_unset=True) == {"name": "九江数智", "contact_phone": "13912345678"}
    with pytest.raises(ValidationError):
        ProviderUpdate.model_validate({"scenarios": ["不存在的场景"]})
