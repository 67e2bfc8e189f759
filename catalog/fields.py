"""The field types every feature's schemas are built from, the `Input` and `RecordPublic`
bases, and pydantic's errors in Chinese.

Each feature's schemas.py has a SQLModel family per record: Base → Create / Update (all
optional) / Public / …sPublic. Create and Update schemas clean and validate every value (catalog.validation): text is
folded (繁→简, 全角→半角, spaces), enumerations and scenarios come from the taxonomy with
suggestions for near misses, industries become GB/T 4754 codes. The `*Row` schemas are
the rows of the exchange format (references by 统一社会信用代码 instead of ids).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationError, model_validator
from sqlmodel import SQLModel

from catalog import limits as lim
from catalog import validation as v
from catalog.taxonomy import target_levels, taxonomy

# --- value types -------------------------------------------------------------------


def _text(value: object) -> str:
    return v.clean(value)


def nonblank(value: str) -> str:
    if not value:
        raise ValueError("不能为空")
    return value


def _nonempty(values: list[str]) -> list[str]:
    if not values:
        raise ValueError("至少填写一项")
    return values


def _bounded(limit: int, *, required: bool) -> Any:
    """Cleaned text of at most `limit` characters; raw text far beyond it is refused before cleaning."""

    def check(value: object) -> str | None:
        if isinstance(value, str) and len(value) > limit * lim.RAW_FACTOR:
            raise ValueError(f"不能超过 {limit} 字，实际为 {len(value)} 字")
        text = _text(value)
        if len(text) > limit:
            raise ValueError(f"不能超过 {limit} 字，实际为 {len(text)} 字")
        if required and not text:
            raise ValueError("不能为空")
        return text if required else (text or None)

    return BeforeValidator(check)


def _items(value: object, *, items: int, chars: int) -> list[str]:
    """A multi-valued cell split into at most `items` values of at most `chars` characters each."""
    if isinstance(value, str) and len(value) > items * (chars + 1) * lim.RAW_FACTOR:
        raise ValueError(f"内容过长：最多 {items} 项，每项不超过 {chars} 字")
    if isinstance(value, list | tuple) and len(value) > items * lim.RAW_FACTOR:
        raise ValueError(f"最多填写 {items} 项，实际为 {len(value)} 项")
    values = v.split_values(value)
    if len(values) > items:
        raise ValueError(f"最多填写 {items} 项，实际为 {len(values)} 项")
    long = next((item for item in values if len(item) > chars), None)
    if long is not None:
        raise ValueError(f"每项不超过 {chars} 字，“{long[:20]}…”有 {len(long)} 字")
    return values


def at_most(items: int, label: str) -> Any:
    """A list of at most `items` entries (checked before its entries are read)."""

    def check(value: object) -> object:
        if isinstance(value, list | tuple) and len(value) > items:
            raise ValueError(f"{label}最多 {items} 项，实际为 {len(value)} 项")
        return value

    return BeforeValidator(check)


def _bounded_list(*, items: int = lim.LIST_ITEMS, chars: int = lim.LIST_ITEM_CHARS) -> Any:
    return BeforeValidator(lambda value: _items(value, items=items, chars=chars))


def _short(value: object, label: str) -> object:
    """A value chosen from a list or a code is short: a long one is refused before any lookup."""
    if isinstance(value, str) and len(value) > lim.LIST_ITEM_CHARS:
        raise ValueError(f"{label}不能超过 {lim.LIST_ITEM_CHARS} 字，实际为 {len(value)} 字")
    return value


def choice(choices: tuple[str, ...] | list[str], label: str) -> Any:
    def check(value: object) -> str | None:
        _short(value, label)
        if value is None or not _text(value):
            return None
        return v.resolve_choice(value, choices, label)

    return BeforeValidator(check)


def _number(minimum: float, maximum: float | None = None, whole: bool = False, above: bool = False) -> Any:
    """A number from `minimum` (or, `above`, past it) to `maximum`."""
    def check(value: object) -> float | int | None:
        number = v.parse_whole(value) if whole else v.parse_number(value)
        if number is None:
            return None
        if number < minimum or (above and number == minimum) or (maximum is not None and number > maximum):
            kind = "整数" if whole else "数字"
            lower = f"大于 {_figure(minimum)}" if above else f"不小于 {_figure(minimum)}"
            upper = f"、不大于 {_figure(maximum)} " if maximum is not None else " "
            raise ValueError(f"应为{lower}{upper}的{kind}，实际为 {value}")
        return number

    return BeforeValidator(check)


def _figure(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _share(value: object) -> object:
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number = v.parse_number(value.strip()[:-1])
        return None if number is None else number / 100
    return value


def _scenario(value: object) -> str | None:
    if isinstance(value, str) and len(value) > lim.LIST_ITEM_CHARS * lim.RAW_FACTOR:
        raise ValueError(f"不能超过 {lim.LIST_ITEM_CHARS} 字，实际为 {len(value)} 字")
    text = _text(value)
    return v.resolve_scenarios([text])[0] if text else None


def _scenarios(value: object) -> list[str]:
    return v.resolve_scenarios(_items(value, items=lim.LIST_ITEMS, chars=lim.LIST_ITEM_CHARS))


def _industries(value: object) -> list[str]:
    return v.resolve_industries(_items(value, items=lim.LIST_ITEMS, chars=lim.LIST_ITEM_CHARS))


Name = Annotated[str, _bounded(lim.NAME_CHARS, required=True)]
Code = Annotated[str, _bounded(lim.CODE_CHARS, required=True)]
OptCode = Annotated[str | None, _bounded(lim.CODE_CHARS, required=False)]
Region = Annotated[str, _bounded(lim.REGION_CHARS, required=True)]
Description = Annotated[str, _bounded(lim.DESCRIPTION_CHARS, required=True)]
NeedText = Annotated[str, _bounded(lim.NEED_TEXT_CHARS, required=True)]
Place = Annotated[str, _bounded(lim.PLACE_CHARS, required=False), AfterValidator(lambda x: x or "")]
PersonName = Annotated[str | None, _bounded(lim.PERSON_CHARS, required=False)]
TextList = Annotated[list[str], _bounded_list()]
RegionList = Annotated[list[str], _bounded_list(items=lim.REGION_ITEMS, chars=lim.REGION_CHARS)]
Uscc = Annotated[str, BeforeValidator(lambda x: v.clean_uscc(_short(x, "统一社会信用代码")))]
OptUscc = Annotated[str | None, BeforeValidator(lambda x: v.clean_uscc(_short(x, "统一社会信用代码")) if _text(x) else None)]
Phone = Annotated[str | None, BeforeValidator(lambda x: v.clean_phone(_short(x, "联系电话")))]
Scenarios = Annotated[list[str], BeforeValidator(_scenarios), AfterValidator(_nonempty)]
OptScenario = Annotated[str | None, BeforeValidator(_scenario)]
Industries = Annotated[list[str], BeforeValidator(_industries), AfterValidator(_nonempty)]
Industry = Annotated[str, BeforeValidator(lambda x: v.resolve_one_industry(_short(x, "细分行业")))]
Deployment = Annotated[str, choice(taxonomy().deployment, "部署方式"), AfterValidator(nonblank)]
Billing = Annotated[str, choice(taxonomy().billing, "计费方式"), AfterValidator(nonblank)]
TargetLevel = Annotated[str | None, choice(target_levels(), "目标数字化水平")]
SrdiTier = Annotated[str, choice(taxonomy().srdi_tiers, "专精特新"), BeforeValidator(lambda x: x or "无")]
Level = Annotated[str, choice(tuple(taxonomy().levels), "数字化水平"), BeforeValidator(lambda x: x or "未评测")]
OptLevel = Annotated[str | None, choice(tuple(taxonomy().levels), "数字化水平")]
Money = Annotated[float | None, _number(0, lim.MONEY_WAN)]
ContractAmount = Annotated[float | None, _number(0, lim.CONTRACT_WAN, above=True)]  # also `sign`'s bound
Price = Annotated[float, _number(0, lim.PRICE_WAN)]
Days = Annotated[int, _number(1, lim.DEPLOY_DAYS, whole=True)]
Capacity = Annotated[int, _number(1, lim.CAPACITY, whole=True),
                     BeforeValidator(lambda x: 20 if x in (None, "") else x)]
Batch = Annotated[int | None, _number(1, lim.BATCH, whole=True)]
Share = Annotated[float | None, _number(0, 1), BeforeValidator(_share)]
RecordRef = Annotated[int, _number(1, lim.MAX_ID, whole=True)]  # the id of another record

# Fields that only a named action changes (a workflow transition with its own permission and
# audit entry) or that the system keeps: never accepted in a create or update body.
STATE_FIELDS = {
    "status": "状态请通过相应的操作变更（审核、入库、暂停、签约、确认验收等）",
    "excellent": "“优秀”由主管部门通过设置优秀的操作标记",
    "rating": "评价请在对接验收或终止后通过评价操作提交",
    "acceptance_date": "验收信息请通过申请验收、确认验收的操作提交",
    "level_after": "验收信息请通过申请验收、确认验收的操作提交",
    "cost_split": "费用分担在主管部门确认验收时计算",
    "termination_reason": "终止原因请通过终止操作填写",
    "validated": "参会资格由主办方审核确认",
    "consented": "由参会单位本人报名或确认参会",
    "probable_duplicate_of": "疑似重复由系统标记",
    "status_changed_by": "由系统记录", "status_changed_at": "由系统记录", "review_remark": "审核意见随状态变更填写",
    "name_key": "由系统生成", "created_by": "由系统记录",
}


class Input(SQLModel):
    """A create or update body: refuses the fields of STATE_FIELDS by name, with what to do instead."""

    @model_validator(mode="before")
    @classmethod
    def _no_state_fields(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, hint in STATE_FIELDS.items():
                if name in data and name not in cls.model_fields:
                    raise ValueError(f"不能在此设置“{name}”：{hint}")
        return data


class RecordPublic(SQLModel):
    id: int
    version: int
    created_at: datetime
    updated_at: datetime


# --- 服务商 ----------------------------------------------------------------------------


# --- 产品和解决方案 ------------------------------------------------------------------------


# --- 试点企业 --------------------------------------------------------------------------


# --- 需求 ------------------------------------------------------------------------------


# --- 产业链关系 ------------------------------------------------------------------------


# --- 对接成果 --------------------------------------------------------------------------


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
