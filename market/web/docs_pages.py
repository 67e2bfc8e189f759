"""/api/docs: the API reference as a plain page drawn from the OpenAPI description, and that
description, /api/openapi.json.

Served by us (no CDN, no script), so it works offline and under the CSP; like every route,
both declare who may read them (everyone).
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from market.permissions.declared import PUBLIC, requires

router = APIRouter(tags=["文档"])
METHODS = ("get", "post", "put", "patch", "delete")


def _params(operation: dict[str, Any]) -> str:
    items = [
        f"<li><code>{escape(p['name'])}</code>（{escape(p.get('in', ''))}{'，必填' if p.get('required') else ''}）"
        f"{escape(p.get('description', '') or '')}</li>"
        for p in operation.get("parameters", [])
    ]
    body = operation.get("requestBody", {}).get("content", {})
    for media, spec in body.items():
        ref = spec.get("schema", {}).get("$ref", "")
        items.append(f"<li>请求体 <code>{escape(media)}</code> {escape(ref.rsplit('/', 1)[-1])}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    codes = "、".join(f"{escape(code)} {escape(r.get('description', ''))}" for code, r in op.get("responses", {}).items())
    return (
        f"<section class=\"api-op\"><h3><code>{method.upper()} {escape(path)}</code> {escape(op.get('summary', ''))}</h3>"
        f"{_params(op)}<p>响应：{codes}</p></section>"
    )


def render_reference(spec: dict[str, Any]) -> str:
    """The whole reference page for an OpenAPI document."""
    parts = []
    for path, item in spec.get("paths", {}).items():
        parts += [_operation(path, m, item[m]) for m in METHODS if m in item]
    return (
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(spec['info']['title'])} 文档</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>"
        f"<body><main class=\"container\"><h1>{escape(spec['info']['title'])}</h1>"
        f"<p>{escape(spec['info'].get('description', ''))}</p>"
        "<p>机器可读的描述：<a href=\"/api/openapi.json\">/api/openapi.json</a>。"
        "调用需登录的接口时，先 POST /api/auth/token 换取令牌，再在请求头携带 "
        "<code>Authorization: Bearer 令牌</code>。</p>"
        f"{''.join(parts)}</main></body></html>"
    )


@router.get("/api/docs", response_class=HTMLResponse, include_in_schema=False, openapi_extra=requires(PUBLIC))
def api_docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render_reference(request.app.openapi()))


@router.get("/api/openapi.json", include_in_schema=False, openapi_extra=requires(PUBLIC))
def openapi_description(request: Request) -> JSONResponse:
    """The OpenAPI description (the app is made with `openapi_url=None`, so this is the one)."""
    return JSONResponse(request.app.openapi())
