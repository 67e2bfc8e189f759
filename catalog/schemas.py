"""A SQLModel family per record: Base → Create / Update (all optional) / Public / …sPublic.

Create and Update schemas clean and validate every value (catalog.validation): text is
folded (繁→简, 全角→半角, spaces), enumerations and scenarios come from the taxonomy with
suggestions for near misses, industries become GB/T 4754 codes. The `*Row` schemas are
the rows of the exchange format (references by 统一社会信用代码 instead of ids).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationError
from sqlmodel import Field, SQLModel

from catalog import validation as v
from catalog.models import (
    EngagementStatus,
    EnterpriseSize,
    Priority,
    ProviderKind,
    Relation,
    SizeFit,
)
from catalog.taxonomy import taxonomy

# --- value types -------------------------------------------------------------------


def _text(value: object) -> str:
    return v.clean(value)


def _opt_text(value: object) -> str | None:
    return _text(value) or None


def _required(value: str) -> str:
    if not value:
        raise ValueError("不能为空")
    return value


def _nonempty(values: list[str]) -> list[str]:
    if not values:
        raise ValueError("至少填写一项")
    return values


def _choice(choices: tuple[str, ...] | list[str], label: str) -> Any:
    def check(value: object) -> str | None:
        if value is None or not _text(value):
            return None
        return v.resolve_choice(value, choices, label)

    return BeforeValidator(check)


def _number(minimum: float, maximum: float | None = None, whole: bool = False) -> Any:
    def check(value: object) -> float | int | None:
        number = v.parse_whole(value) if whole else v.parse_number(value)
        if number is None:
            return None
        if number < minimum or (maximum is not None and number > maximum):
            kind = "整数" if whole else "数字"
            upper = f"、不大于 {maximum:g} " if maximum is not None else " "
            raise ValueError(f"应为不小于 {minimum:g}{upper}的{kind}，实际为 {value}")
        return number

    return BeforeValidator(check)


def _share(value: object) -> object:
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number = v.parse_number(value.strip()[:-1])
        return None if number is None else number / 100
    return value


def _scenario(value: object) -> str | None:
    text = _text(value)
    return v.resolve_scenarios([text])[0] if text else None


Text = Annotated[str, BeforeValidator(_text), AfterValidator(_required)]
OptText = Annotated[str | None, BeforeValidator(_opt_text)]
TextList = Annotated[list[str], BeforeValidator(v.split_values)]
Uscc = Annotated[str, BeforeValidator(v.clean_uscc)]
OptUscc = Annotated[str | None, BeforeValidator(lambda x: v.clean_uscc(x) if _text(x) else None)]
Phone = Annotated[str | None, BeforeValidator(v.clean_phone)]
Scenarios = Annotated[
    list[str], BeforeValidator(lambda x: v.resolve_scenarios(v.split_values(x))), AfterValidator(_nonempty)
]
OptScenario = Annotated[str | None, BeforeValidator(_scenario)]
Industries = Annotated[
    list[str], BeforeValidator(lambda x: v.resolve_industries(v.split_values(x))), AfterValidator(_nonempty)
]
Industry = Annotated[str, BeforeValidator(v.resolve_one_industry)]
Kind = Annotated[str, _choice(tuple(ProviderKind), "服务商类型"), AfterValidator(_required)]
Deployment = Annotated[str, _choice(taxonomy().deployment, "部署方式"), AfterValidator(_required)]
Billing = Annotated[str, _choice(taxonomy().billing, "计费方式"), AfterValidator(_required)]
SizeFitValue = Annotated[str, _choice(tuple(SizeFit), "适用规模"), BeforeValidator(lambda x: x or "均可")]
TargetLevel = Annotated[str | None, _choice(("二级", "三级", "四级"), "目标数字化水平")]
Size = Annotated[str, _choice(tuple(EnterpriseSize), "企业规模"), AfterValidator(_required)]
SrdiTier = Annotated[str, _choice(taxonomy().srdi_tiers, "专精特新"), BeforeValidator(lambda x: x or "无")]
Level = Annotated[str, _choice(tuple(taxonomy().levels), "数字化水平"), BeforeValidator(lambda x: x or "未评测")]
OptLevel = Annotated[str | None, _choice(tuple(taxonomy().levels), "数字化水平")]
PriorityValue = Annotated[str, _choice(tuple(Priority), "优先级"), BeforeValidator(lambda x: x or "中")]
RelationValue = Annotated[str, _choice(tuple(Relation), "关系"), AfterValidator(_required)]
EngagementStatusValue = Annotated[str, _choice(tuple(EngagementStatus), "对接状态")]
Money = Annotated[float | None, _number(0)]
Price = Annotated[float, _number(0), AfterValidator(lambda x: x)]
Days = Annotated[int, _number(1, whole=True)]
Capacity = Annotated[int, _number(1, whole=True), BeforeValidator(lambda x: 20 if x in (None, "") else x)]
Batch = Annotated[int | None, _number(1, whole=True)]
Share = Annotated[float | None, _number(0, 1), BeforeValidator(_share)]
Rating = Annotated[int | None, _number(1, 5, whole=True)]


class _Public(SQLModel):
    id: int
    version: int
    created_at: datetime
    updated_at: datetime


# --- 服务商 ----------------------------------------------------------------------------


class ProviderBase(SQLModel):
    name: Text
    uscc: Uscc
    kind: Kind
    region: Text
    service_regions: TextList = Field(default_factory=list)
    industries: Industries
    scenarios: Scenarios
    description: Text
    certifications: TextList = Field(default_factory=list)
    capacity: Capacity = 20
    contact_name: OptText = None
    contact_phone: Phone = None


class ProviderCreate(ProviderBase):
    pass


class ProviderUpdate(SQLModel):
    name: Text | None = None
    uscc: Uscc | None = None
    kind: Kind | None = None
    region: Text | None = None
    service_regions: TextList | None = None
    industries: Industries | None = None
    scenarios: Scenarios | None = None
    description: Text | None = None
    certifications: TextList | None = None
    capacity: Capacity | None = None
    contact_name: OptText = None
    contact_phone: Phone = None
    lead_provider_id: int | None = None


class ProviderPublic(ProviderBase, _Public):
    status: str
    name_key: str = ""
    lead_provider_id: int | None = None
    probable_duplicate_of: int | None = None
    status_changed_by: str | None = None
    status_changed_at: datetime | None = None
    review_remark: str | None = None


class ProvidersPublic(SQLModel):
    data: list[ProviderPublic]
    count: int


# --- 产品和解决方案 ------------------------------------------------------------------------


class SolutionBase(SQLModel):
    code: Text
    name: Text
    industries: Industries
    scenarios: Scenarios
    description: Text
    deployment: Deployment
    price_wan: Price
    billing: Billing
    deploy_days: Days
    size_fit: SizeFitValue = "均可"
    target_level: TargetLevel = None
    keywords: TextList = Field(default_factory=list)


class SolutionCreate(SolutionBase):
    provider_id: int


class SolutionRow(SolutionBase):
    provider_uscc: Uscc


class SolutionUpdate(SQLModel):
    code: Text | None = None
    name: Text | None = None
    provider_id: int | None = None
    industries: Industries | None = None
    scenarios: Scenarios | None = None
    description: Text | None = None
    deployment: Deployment | None = None
    price_wan: Price | None = None
    billing: Billing | None = None
    deploy_days: Days | None = None
    size_fit: SizeFitValue | None = None
    target_level: TargetLevel = None
    keywords: TextList | None = None


class SolutionPublic(SolutionBase, _Public):
    provider_id: int
    provider_name: str | None = None
    status: str
    excellent: bool = False
    status_changed_by: str | None = None
    status_changed_at: datetime | None = None
    review_remark: str | None = None


class SolutionsPublic(SQLModel):
    data: list[SolutionPublic]
    count: int


# --- 试点企业 --------------------------------------------------------------------------


class EnterpriseBase(SQLModel):
    name: Text
    uscc: Uscc
    region: Text
    industry: Industry
    size: Size
    srdi_tier: SrdiTier = "无"
    level: Level = "未评测"
    budget_wan: Money = None
    batch: Batch = None


class EnterpriseCreate(EnterpriseBase):
    pass


class EnterpriseUpdate(SQLModel):
    name: Text | None = None
    uscc: Uscc | None = None
    region: Text | None = None
    industry: Industry | None = None
    size: Size | None = None
    srdi_tier: SrdiTier | None = None
    level: Level | None = None
    budget_wan: Money = None
    batch: Batch = None
    findable_by_providers: bool | None = None
    share_budget: bool | None = None
    share_needs_with_chain: bool | None = None


class EnterprisePublic(EnterpriseBase, _Public):
    name_key: str = ""
    findable_by_providers: bool = False
    share_budget: bool = False
    share_needs_with_chain: bool = False
    probable_duplicate_of: int | None = None


class EnterprisesPublic(SQLModel):
    data: list[EnterprisePublic]
    count: int


# --- 需求 ------------------------------------------------------------------------------


class NeedBase(SQLModel):
    code: OptText = None  # empty → the service numbers it (N1, N2 …)
    scenario: OptScenario = None
    text: Text
    priority: PriorityValue = "中"
    budget_wan: Money = None


class NeedCreate(NeedBase):
    pass


class NeedRow(NeedBase):
    enterprise_uscc: Uscc
    code: Text  # type: ignore[assignment]  # required in the exchange format


class NeedUpdate(SQLModel):
    code: Text | None = None
    scenario: OptScenario = None
    text: Text | None = None
    priority: PriorityValue | None = None
    budget_wan: Money = None


class NeedPublic(NeedBase, _Public):
    enterprise_id: int
    position: int = 0


class NeedsPublic(SQLModel):
    data: list[NeedPublic]
    count: int


# --- 产业链关系 ------------------------------------------------------------------------


class ChainLinkBase(SQLModel):
    relation: RelationValue
    share: Share = None


class ChainLinkCreate(ChainLinkBase):
    leader_id: int
    member_id: int
    via_id: int | None = None


class ChainLinkRow(ChainLinkBase):
    leader_uscc: Uscc
    member_uscc: Uscc
    via_uscc: OptUscc = None


class ChainLinkUpdate(SQLModel):
    relation: RelationValue | None = None
    share: Share = None
    via_id: int | None = None


class ChainLinkPublic(ChainLinkBase, _Public):
    leader_id: int
    member_id: int
    via_id: int | None = None


class ChainLinksPublic(SQLModel):
    data: list[ChainLinkPublic]
    count: int


# --- 对接成果 --------------------------------------------------------------------------


class EngagementBase(SQLModel):
    contract_amount_wan: Money = None
    contract_date: date | None = None
    acceptance_date: date | None = None
    level_before: OptLevel = None
    level_after: OptLevel = None
    termination_reason: OptText = None
    cost_split: dict[str, float] = Field(default_factory=dict)
    rating: Rating = None


class EngagementCreate(EngagementBase):
    enterprise_id: int
    solution_id: int
    status: EngagementStatusValue = "意向"


class EngagementUpdate(SQLModel):
    status: EngagementStatusValue | None = None
    contract_amount_wan: Money = None
    contract_date: date | None = None
    acceptance_date: date | None = None
    level_before: OptLevel = None
    level_after: OptLevel = None
    termination_reason: OptText = None
    cost_split: dict[str, float] | None = None
    rating: Rating = None


class EngagementPublic(EngagementBase, _Public):
    enterprise_id: int
    solution_id: int
    provider_id: int
    status: str


class EngagementsPublic(SQLModel):
    data: list[EngagementPublic]
    count: int


# --- errors in Chinese -----------------------------------------------------------------

_PYDANTIC_ZH = {
    "missing": "必填项不能为空",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为是或否",
    "bool_parsing": "应为是或否",
    "list_type": "应为多个值（用；或、分隔）",
    "date_type": "应为日期（如 2026-03-31）",
    "date_from_datetime_parsing": "应为日期（如 2026-03-31）",
    "date_parsing": "应为日期（如 2026-03-31）",
    "dict_type": "格式不正确",
}


def field_errors(exc: ValidationError) -> list[tuple[str, str]]:
    """(field name, Chinese message) for each error of a pydantic validation failure."""
    out: list[tuple[str, str]] = []
    for err in exc.errors(include_url=False):
        field = str(err["loc"][0]) if err.get("loc") else ""
        if err["type"] == "value_error":
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            message = _PYDANTIC_ZH.get(err["type"], f"格式不正确（{err['msg']}）")
        out.append((field, message))
    return out
