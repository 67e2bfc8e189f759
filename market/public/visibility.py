"""What the public pages list: the public's view of providers and solutions.

The rules themselves live in catalog/providers/permissions.py and
catalog/solutions/permissions.py; this module only asks them for the anonymous visitor's view, so the browse pages show the same
listings to everyone, logged in or not.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from catalog.providers import permissions as provider_rules
from catalog.providers.models import Provider
from catalog.solutions import permissions as solution_rules
from catalog.solutions.models import Solution


def public_solutions(statement: Any = None) -> Any:
    """`statement` (default: every solution) narrowed to what the public may see."""
    return solution_rules.visible_solutions(None, select(Solution) if statement is None else statement)


def public_providers(statement: Any = None) -> Any:
    """`statement` (default: every provider) narrowed to what the public may see."""
    return provider_rules.visible_providers(None, select(Provider) if statement is None else statement)
