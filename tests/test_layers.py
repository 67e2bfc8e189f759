"""Imports flow one way (docs/architecture.md): `market` may import everything; `matching` and
`search_index` import `catalog` only; `catalog` imports none of them; the demo data (`seed`)
imports anything but `market`. Read from the source,
imports inside functions included. And no module of ours imports itself back through others:
an import circle is a failure, whether it closes at import time or only inside a function
(only `if TYPE_CHECKING:` blocks are left out, since they never run)."""

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
    "seed": {"catalog", "matching", "search_index", "seed"},
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


def _modules() -> dict[str, Path]:
    """Every module of our packages by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" not in parts:
                found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _edges(path: Path, modules: dict[str, Path]) -> dict[str, int]:
    """The modules of ours that `path` imports (at any depth, not under TYPE_CHECKING), with the
    line of the first such import. `from a.b import c` names the module a.b.c when c is one."""
    edges: dict[str, int] = {}

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit_one(other)
            else:
                visit_one(child)

    def visit_one(node: ast.AST) -> None:
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                       for a in node.names]
        else:
            visit(node)
        for target in targets:
            if target in modules:
                edges.setdefault(target, node.lineno)

    visit(ast.parse(path.read_text("utf-8")))
    return edges


def _circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def test_no_import_circle() -> None:
    modules = _modules()
    graph = {name: {t: line for t, line in _edges(path, modules).items() if t != name}
             for name, path in modules.items()}
    found = [" ; ".join(f"{a}:{graph[a][b]} → {b}" for a in circle for b in sorted(graph[a]) if b in circle)
             for circle in _circles(graph)]
    assert found == []


def test_the_circle_check_sees_a_circle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert _circles(graph) == [["a", "b", "c"]]


def test_the_schema_module_imports_every_table() -> None:
    """market/schema.py (Alembic, the tests, `create_all`) names every module that defines tables."""
    listed = set(_edges(ROOT / "market" / "schema.py", _modules()))
    defining = {name for name, path in _modules().items() if "table=True" in path.read_text("utf-8")}
    assert defining - listed == set()


def test_the_architecture_doc_names_every_package() -> None:
    """docs/architecture.md's package map names every package of catalog/, matching/ and market/."""
    doc = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    packages = {path.parent.relative_to(ROOT) for top in ("catalog", "matching", "market")
                for path in (ROOT / top).glob("*/__init__.py")}
    unnamed = sorted(str(p) for p in packages if f"{p.name}/" not in doc)
    assert unnamed == []
