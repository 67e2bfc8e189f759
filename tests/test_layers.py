"""Imports flow one way (DESIGN.md): `market` may import everything; `matching` and
`search_index` import `catalog` only; `catalog` imports none of them. Read from the source,
imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("catalog", "matching", "search_index", "market", "seed")
ALLOWED = {
    "catalog": {"catalog"},
    "matching": {"catalog", "matching"},
    "search_index": {"catalog", "search_index"},
}


def _imported(path: Path) -> set[tuple[int, str]]:
    """(line, top-level package) of every project import in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
        found |= {(node.lineno, n.split(".")[0]) for n in names if n.split(".")[0] in PACKAGES}
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_lies_below_it(package: str) -> None:
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {target}"
             for path in sorted((ROOT / package).rglob("*.py"))
             for line, target in sorted(_imported(path)) if target not in ALLOWED[package]]
    assert wrong == []
