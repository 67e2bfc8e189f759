"""HTTP side of errors, the answers: the JSON/HTML handler of every error kind, and of a bug.

Business errors (`catalog.errors.MarketError` and the web-only kinds of market/errors.py)
become `{"code", "message", "details"}` JSON (API) or the Chinese error page (pages).
Unhandled exceptions are bugs and stay 500s: market/request_ids.py logs each with its
traceback and request id and answers with `unexpected_response` (the Chinese error page for
pages, the JSON error body for the API, both showing the id); it does not re-raise, so no
exception reaches the server. Business errors never reach it: they are answered by
`_market_error` first.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalog.errors import Conflict, MarketError
from catalog.writes import STALE
from market.errors import ServiceUnavailable, wants_html
from market.request_ids import current_request_id
from market.templating import minimal_error_page, render_error_page

log = logging.getLogger("market.errors")

_HTTP_MESSAGES = {
    400: ("bad_request", "请求有误"),
    401: ("not_authenticated", "请先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "页面或记录不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    406: ("not_acceptable", "无法提供所请求的格式"),
    413: ("payload_too_large", "上传文件过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
}



def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, headers=headers)


def _html(request: Request, status: int, code: str, message: str) -> Response:
    return render_error_page(request, status=status, code=code, message=message)


def error_response(request: Request, error: MarketError) -> Response:
    """The response for a business error: JSON for the API, the error page for pages."""
    if wants_html(request):
        return _html(request, error.status, error.code, error.message)
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return _json(error.status, error.as_dict(), headers)


async def _market_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MarketError)
    return error_response(request, exc)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "header")]
    return ".".join(parts) or "请求"


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"field": _field_path(e.get("loc", ())), "message": _zh_validation(e), "type": e.get("type")}
        for e in exc.errors()
    ]
    fields = "、".join(dict.fromkeys(d["field"] for d in details))
    error = MarketError("validation_failed", f"提交的数据不符合要求：{fields}", 422, details=details)
    return error_response(request, error)


def _zh_validation(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    table = {
        "missing": "必填项缺失",
        "int_parsing": "应为整数",
        "float_parsing": "应为数字",
        "bool_parsing": "应为是/否",
        "string_too_long": "内容过长",
        "string_too_short": "内容过短",
        "greater_than_equal": "数值过小",
        "less_than_equal": "数值过大",
        "greater_than": "数值过小",
        "less_than": "数值过大",
        "enum": "不是允许的取值",
        "literal_error": "不是允许的取值",
        "json_invalid": "不是合法的 JSON",
        "model_attributes_type": "格式不正确",
        "dict_type": "应为对象",
        "list_type": "应为列表",
        "string_type": "应为文本",
    }
    if kind in table:
        return table[kind]
    if kind == "value_error":  # raised by our validators: their message is already Chinese
        return str(err.get("msg", "")).removeprefix("Value error, ")
    return "格式不正确"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "请求无法处理"))
    if isinstance(exc.detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in exc.detail):
        message = exc.detail
    error = MarketError(code, message, exc.status_code)
    response = error_response(request, error)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _database_down(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OperationalError)
    if not exc.connection_invalidated and not _is_connect_error(exc):
        raise exc
    log.error("database unavailable: %s", exc)
    error = ServiceUnavailable(message="数据库暂时无法连接，请稍后再试")
    return error_response(request, error)


def _is_connect_error(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    markers = ("connection refused", "could not connect", "connection to server", "unable to open database",
               "timeout expired", "server closed the connection", "no such host", "name or service not known")
    return any(m in text for m in markers)


async def _out_of_range(request: Request, exc: Exception) -> Response:
    """A number or text the database cannot hold (an id beyond INTEGER, …) is bad input."""
    log.info("value out of the database's range: %s", exc)
    error = MarketError("out_of_range", "提交的数值或文本超出允许范围", 422)
    return error_response(request, error)


async def _stale(request: Request, exc: Exception) -> Response:
    """A write whose version another request changed first (at a flush or the final commit): 409."""
    log.info("stale write on %s %s: %s", request.method, request.url.path, exc)
    return error_response(request, Conflict(STALE, code="stale_version"))


INTERNAL_MESSAGE = "服务器内部错误，我们已记录该问题，请稍后再试"


def unexpected_response(request: Request, request_id: str) -> Response:
    """The answer to a bug (already logged by market.request_ids): the Chinese 500 page for
    pages, the JSON error for the API, each with the request id to quote."""
    error = MarketError("internal_error", f"{INTERNAL_MESSAGE}（请求编号 {request_id}）", 500)
    if wants_html(request):
        try:
            return _html(request, 500, error.code, error.message)
        except Exception:  # the page itself failed: the plain page still answers in Chinese
            log.exception("error page failed [request id %s]", request_id)
            return Response(minimal_error_page(500, "服务器出错了", error.message), 500, media_type="text/html")
    return _json(500, {**error.as_dict(), "request_id": request_id})


async def _unexpected(request: Request, exc: Exception) -> Response:
    """A bug in the middlewares outside market.request_ids (routes' bugs are answered there):
    logged, answered in Chinese; Starlette re-raises it."""
    request_id = getattr(request.state, "request_id", None) or current_request_id()
    log.error("unexpected error on %s %s [request id %s]", request.method, request.url.path, request_id,
              exc_info=exc)
    return unexpected_response(request, request_id)


def install_error_handlers(app: FastAPI) -> None:
    """Register the one JSON/HTML handler per error kind (Exception: the 500 of a bug)."""
    app.add_exception_handler(MarketError, _market_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(StaleDataError, _stale)  # the one place a stale write becomes 409
    app.add_exception_handler(Exception, _unexpected)  # middleware bugs only: ServerErrorMiddleware re-raises
