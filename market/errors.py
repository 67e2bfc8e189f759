"""HTTP side of errors, the words: web-only error kinds, the error body, OpenAPI error listings.

Business errors are `catalog.errors.MarketError` subclasses; market/error_handlers.py turns
each into `{"code", "message", "details"}` JSON (API) or the Chinese error page (pages).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel

from catalog.errors import MarketError


class NotAuthenticated(MarketError):
    status = 401
    default_code = "not_authenticated"


class RateLimited(MarketError):
    status = 429
    default_code = "rate_limited"


class ServiceUnavailable(MarketError):
    status = 503
    default_code = "service_unavailable"


class PayloadTooLarge(MarketError):
    status = 413
    default_code = "payload_too_large"


class ErrorOut(BaseModel):
    """Every error response of the API."""

    code: str
    message: str
    details: Any | None = None
    request_id: str | None = None  # on a 500: the id the log line carries


_DESCRIPTIONS = {
    400: "请求有误",
    401: "未登录或登录已过期",
    403: "无权执行此操作",
    404: "记录不存在",
    409: "与当前状态冲突（记录已被修改或状态不允许）",
    413: "上传文件过大",
    422: "数据校验失败",
    429: "尝试次数过多，请稍后再试",
    503: "服务暂不可用",
}

def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each listed status answers with ErrorOut."""
    return {s: {"model": ErrorOut, "description": _DESCRIPTIONS.get(s, "错误")} for s in statuses}


def wants_html(request: Request) -> bool:
    """A page request (not under /api) from a browser that accepts HTML."""
    if request.url.path.startswith("/api"):
        return False
    return "text/html" in request.headers.get("accept", "")
