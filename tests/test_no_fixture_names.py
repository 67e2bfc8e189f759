"""No username of the demo data (seed/users.py) or of the tests' pilot (tests/market/web_builders.py)
appears in production code: a rule reads roles, bindings and regions, never who a fixture is."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = ("catalog", "market", "matching", "search_index")


def _fixture_usernames() -> set[str]:
    seed = (ROOT / "seed" / "users.py").read_text(encoding="utf-8")
    pilot = (ROOT / "tests" / "market" / "web_builders.py").read_text(encoding="utf-8")
    names = set(re.findall(r'DemoUser\("([a-z0-9_]+)"', seed))
    names |= set(re.findall(r'user\(session, "([a-z0-9_]+)", Role\.', pilot))
    return names - {"bureau", "provider", "enterprise", "chain_leader"}  # role names, not users


def test_the_fixture_names_are_found() -> None:
    names = _fixture_usernames()
    assert {"jiujiang_bureau", "provider_xunzhi", "enterprise_hualun", "jj_bureau", "provider_a"} <= names


def test_no_fixture_username_in_production_code() -> None:
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _fixture_usernames()))) + r")\b")
    found = []
    for package in PRODUCTION:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix not in (".py", ".html", ".js", ".json") or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if match := pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(1)}")
    assert found == [], "\n".join(found)
