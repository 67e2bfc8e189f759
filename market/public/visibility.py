"""What the public pages list: the public's view of providers and solutions.

The rule itself lives in market/permissions.py (the one module deciding access); this
module only asks it for the anonymous visitor's view, so the browse pages show the same
listings to everyone, logged in or not.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from catalog.providers.models import Provider
from catalog.solutions.models import Solution
from market import permissions


def public_solutions(statement: Any = None) -> Any:
    """`statement` (default: every solution) narrowed to what the public may see."""
    return permissions.visible_solutions(None, select(Solution) if statement is None else statement)


def public_providers(statement: Any = None) -> Any:
    """`statement` (default: every provider) narrowed to what the public may see."""
    return permissions.visible_providers(None, select(Provider) if statement is None else statement)
