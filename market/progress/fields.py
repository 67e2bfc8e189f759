"""Reading numbers typed into the progress forms (full-width digits and commas tolerated)."""

from __future__ import annotations

import unicodedata


def to_float(value: str | None) -> float | None:
    """A number from a form field, or None when empty or not a number."""
    text = unicodedata.normalize("NFKC", value or "").replace(",", "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def to_int(value: str | None) -> int | None:
    """A whole number from a form field, or None."""
    number = to_float(value)
    return int(number) if number is not None and number == int(number) else None
