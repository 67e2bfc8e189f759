#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the test suite on a free loopback port
# (under var/pgtest) and prints the URL to use as MARKET_TEST_POSTGRES_URL.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/var/pgtest"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
port=${PGTEST_PORT:-55432}
run_as=()
if [ "$(id -u)" = 0 ]; then run_as=(runuser -u postgres --); fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U szt --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
fi
echo "postgresql+psycopg://szt@127.0.0.1:$port/postgres"
