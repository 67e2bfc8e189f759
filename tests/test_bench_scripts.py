"""Every benchmark under bench/ still imports: a renamed helper breaks a bench long before
anyone runs it by hand. (The benches themselves print figures and are run by hand.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_bench_script_imports(script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{script[:-3]}", BENCH / script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    if '__name__ == "__main__"' in (BENCH / script).read_text("utf-8"):  # a script, not a helper
        assert callable(getattr(module, "main", None)), f"bench/{script} has no main()"
