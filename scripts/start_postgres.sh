#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the test suite on a free loopback port
# (data under /tmp/szt-pgtest-*, one cluster per checkout) and prints the URL to use as
# MARKET_TEST_POSTGRES_URL.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# Outside the checkout: the postgres user must reach it whatever the clone's permissions.
dir="${PGTEST_DIR:-/tmp/szt-pgtest-$(printf %s "$root" | md5sum | cut -c1-8)}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port_in_use() {
  python3 -c 'import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$1"
}
run_as=()
if [ "$(id -u)" = 0 ]; then run_as=(runuser -u postgres --); fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U szt --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  port=$(sed -n 4p "$dir/data/postmaster.pid")
else
  port=${PGTEST_PORT:-55432}
  if port_in_use "$port"; then port=$(free_port); fi
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null
fi
echo "postgresql+psycopg://szt@127.0.0.1:$port/postgres"
