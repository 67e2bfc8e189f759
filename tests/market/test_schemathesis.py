"""Schemathesis against /api/openapi.json, anonymous and as each role (bureau, provider,
enterprise, chain leader): no 5xx, no response outside the documented statuses, schemas and
content types. Bounded examples per operation.

The property is the same on both databases; only the SQL underneath differs. So the full
number of examples runs on PostgreSQL (the production database; SQLite when no PostgreSQL is
configured), and a smoke number on the other, enough to send every operation's requests
through its SQL there too."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from database_copies import POSTGRES_URL
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 5
# Each call verifies an argon2 hash (slow by design): a few examples suffice.
FEW = {"POST /api/auth/token": 3, "POST /api/auth/password": 3}
FULL_BACKEND = "postgresql" if POSTGRES_URL else "sqlite"
SMOKE_EXAMPLES = 2  # per operation, on the other database
# Would end the user's own session mid-run.
SKIP_SIGNED_IN = {"DELETE /api/auth/token"}


def _run(app: Any, headers: dict[str, str], skip: set[str], database_url: str) -> list[str]:
    full = database_url.startswith(FULL_BACKEND)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if label in skip or (operation.path.startswith("/api/search") and app.state.search is None):
            continue  # search answers 503 without Meilisearch; tests/search_index runs it for real

        examples = FEW.get(label, MAX_EXAMPLES) if full else min(SMOKE_EXAMPLES, FEW.get(label, MAX_EXAMPLES))

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # collect every operation's failure, then report them all
            failures.append(f"{label}: {str(exc)[:600]}")
    return failures


def test_schemathesis_anonymous(client, world, database_url) -> None:
    failures = _run(client.app, {}, set(), database_url)
    assert failures == [], "\n\n".join(failures)


@pytest.mark.parametrize("username", ["jj_bureau", "provider_a", "ent_sharing", "chain_leader"])
def test_schemathesis_as_each_role(client, world, as_user, database_url, username: str) -> None:
    failures = _run(client.app, as_user(username), SKIP_SIGNED_IN, database_url)
    assert failures == [], "\n\n".join(failures)
