"""The app's route table: every route is reachable, none hidden by one matched before it
(routers are ordered by traffic, see market.app.BUSIEST, so order must not matter)."""

from __future__ import annotations

import re

from starlette.routing import compile_path

from market.app import BUSIEST, create_app, discover_routers, route_table
from market.settings import Settings

_PARAM = re.compile(r"{([^}:]+)(?::([^}]+))?}")
_SAMPLES = {"int": "7", "float": "7.5", "path": "a/b", "uuid": "0b7c1a2e-5f1d-4c8e-9a3b-1d2e3f4a5b6c"}


def _sample(template: str) -> str:
    """A concrete path the template matches: parameters filled with plain values."""
    return _PARAM.sub(lambda m: _SAMPLES.get(m.group(2) or "", "sample"), template)


def test_no_route_is_hidden_by_an_earlier_one(tmp_path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/m.db", meili_url="", secret_key="k" * 40),
                     migrate_db=False)
    table = [(m, t, compile_path(t)[0]) for m, t, _ in route_table(app)]
    assert len(table) > 100
    hidden = []
    for method, template, _ in table:
        path = _sample(template)
        first = next(t for m, t, regex in table if m == method and regex.match(path))
        if first != template:
            hidden.append(f"{method} {template} ← {first}")
    assert hidden == []


def test_busiest_routers_come_first() -> None:
    routers = discover_routers()
    import importlib

    for position, name in enumerate(BUSIEST):
        assert routers[position] is importlib.import_module(name).router
