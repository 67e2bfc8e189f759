"""Reading HTML forms into the catalogue's schemas, with errors per field in Chinese."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from catalog.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)

_TYPE_MESSAGES = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是或否",
    "string_too_long": "内容过长",
    "list_type": "请至少选择一项",
}


async def read_form(request: Request) -> FormData:
    """The submitted form (Starlette caches it, so the CSRF check and the page share it)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def values(form: FormData, name: str) -> list[str]:
    """Every non-empty value of a repeated field (checkboxes, multi-selects)."""
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def checked(form: FormData, name: str) -> bool:
    return text(form, name) in ("1", "on", "true", "yes")


def validate(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """Build `model` from form `data`; on failure, (None, {field: Chinese message})."""
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        return None, field_errors(error)


def field_errors(error: ValidationError) -> dict[str, str]:
    """Pydantic errors → the first Chinese message per top-level field."""
    out: dict[str, str] = {}
    for item in error.errors():
        loc = item.get("loc") or ("",)
        field = str(loc[0])
        if field not in out:
            out[field] = message_of(item)
    return out


_BOUND_MESSAGES = {
    "greater_than_equal": ("ge", "不能小于 {}"),
    "less_than_equal": ("le", "不能大于 {}"),
    "greater_than": ("gt", "应大于 {}"),
    "less_than": ("lt", "应小于 {}"),
}


def message_of(item: Any) -> str:
    kind = str(item.get("type", ""))
    if kind == "value_error":  # our validators raise ValueError with a Chinese message
        return str(item.get("msg", "")).removeprefix("Value error, ")
    bound = (item.get("ctx") or {}).get(_BOUND_MESSAGES[kind][0]) if kind in _BOUND_MESSAGES else None
    if bound is not None:  # a number out of its range: say which end
        return _BOUND_MESSAGES[kind][1].format(bound)
    return _TYPE_MESSAGES.get(kind, "格式不正确")


def optional(value: str) -> str | None:
    """Empty form text → None (so optional numbers and choices stay unset)."""
    return value or None


def read_version(form: FormData) -> int:
    """The version of the record an edit form was shown with (its hidden `version` field):
    required, as the API's `version` is, so a post that names none is not taken as current."""
    raw = text(form, "version")
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationFailed("version_required", "表单缺少所编辑记录的版本号，请刷新页面后重新提交")
    return int(raw)
