#!/usr/bin/env bash
# Runs the whole suite: against SQLite always, and PostgreSQL too (started here
# from Debian's packages unless MARKET_TEST_POSTGRES_URL points at one).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MARKET_TEST_POSTGRES_URL:-}" ]; then
  MARKET_TEST_POSTGRES_URL="$(bash scripts/start_postgres.sh)"
  export MARKET_TEST_POSTGRES_URL
fi
.venv/bin/ruff check .
.venv/bin/mypy
# Two workers (the machine has two cores); a file's tests stay on one worker.
exec .venv/bin/pytest -q -n 2 --dist loadfile "$@"
