"""Helpers shared by the page routers: paging, URLs, redirects, labels, form values."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse

from catalog.taxonomy import taxonomy
from market.templating import flash, templates

T = TypeVar("T")

PER_PAGE = 20



@dataclass
class Page(Generic[T]):
    """One page of a listing, with what the pager needs."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to show: first, last and a few around the current one; None = gap."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in numbers:
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect: the G of Post/Redirect/Get."""
    return RedirectResponse(url, status_code=303)


def flash_redirect(request: Request, url: str, message: str, kind: str = "success") -> RedirectResponse:
    """Redirect after a form with a message for the next page (kinds: success, info, warning, error)."""
    response = redirect(url)
    flash(request, response, message, kind)
    return response


def safe_next(url: str | None, default: str = "/") -> str:
    """A same-site path to go back to after a form, never another site."""
    if not url:
        return default
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//"):
        return default
    return url


def industry_name(code: str) -> str:
    """C26 → 化学原料和化学制品制造业; 通用 stays 通用; unknown codes as they are."""
    if code == "通用":
        return code
    return taxonomy().industries.get(code, code)


def industry_choices() -> list[tuple[str, str]]:
    """(code, label) for select boxes, groups indented under their division."""
    out = []
    for code, name in taxonomy().industries.items():
        if code == "通用":
            out.append((code, "通用（不限行业）"))
        elif len(code) > 3:
            out.append((code, f"　{name}"))
        else:
            out.append((code, name))
    return out


BEIJING = timezone(timedelta(hours=8), "北京时间")


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time as Beijing time (SQLite hands back naive UTC datetimes)."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime(fmt)


def local_day(moment: datetime | None) -> str:
    return local_time(moment, "%Y-%m-%d")


# Helpers every template (and _macros.html) may call.
templates.env.globals.update(industry_label=industry_name, when=local_time, day=local_day)


def parse_int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip()) if value not in (None, "") else default
    except ValueError:
        return default


def split_lines(value: str | None) -> list[str]:
    """A textarea or comma list → values (；;、，, and new lines separate)."""
    if not value:
        return []
    for sep in ("；", ";", "、", "，", ",", "\r", "\n"):
        value = value.replace(sep, "\n")
    return [part.strip() for part in value.split("\n") if part.strip()]


def join_values(values: Sequence[str] | None) -> str:
    return "；".join(values or [])
