#!/usr/bin/env bash
# A PostgreSQL 15 instance of our own in DIR, listening on 127.0.0.1:PORT (and a unix socket
# in DIR), with a database and role "bugle". Used by the stack (a kept DIR) and by the tests
# (a throwaway DIR).
#   postgres.sh start DIR [PORT] -> prints the libpq conninfo on stdout
#   postgres.sh stop DIR
#   postgres.sh status DIR       -> exit 0 when accepting connections
#   postgres.sh conninfo DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/initdb" ] || { echo "postgres.sh: PostgreSQL server binaries not found (run deploy/install-deps.sh)" >&2; exit 1; }

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: postgres.sh start|stop|status|conninfo DIR [PORT]" >&2; exit 2; }
data="$dir/data"

# The server refuses to run as root; as root we run it as the postgres account.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

conninfo() {
  local port
  port=$(cat "$dir/port")
  echo "host=127.0.0.1 port=$port dbname=bugle user=bugle password=bugle connect_timeout=5"
}

running() {
  [ -f "$dir/port" ] && as_owner "$PGBIN/pg_isready" -q -h "$dir" -p "$(cat "$dir/port")" -t 2
}

case "$cmd" in
start)
  # No PORT: the one this DIR used before, else a free one.
  port=${3:-}
  if [ -z "$port" ]; then
    if [ -f "$dir/port" ]; then port=$(cat "$dir/port"); else port=$(free_port_pair); fi
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" \
      || { echo "postgres.sh: the postgres account cannot reach $dir (make its parents traversable)" >&2; exit 1; }
  fi
  if [ -f "$dir/port" ] && [ "$(cat "$dir/port")" != "$port" ]; then
    echo "postgres.sh: $dir was set up for port $(cat "$dir/port")" >&2; exit 1
  fi
  if running; then conninfo; exit 0; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner "$PGBIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Loopback only; the bugle role uses a password, the superuser only the private socket.
    cat > "$data/pg_hba.conf" <<HBA
local   all   postgres              trust
local   all   all                   scram-sha-256
host    all   all   127.0.0.1/32    scram-sha-256
HBA
  fi
  echo "$port" > "$dir/port"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/port"
  # A stale pid file after kill -9 would block the start.
  if [ -f "$data/postmaster.pid" ] && ! running; then
    pid=$(head -n 1 "$data/postmaster.pid")
    kill -0 "$pid" 2>/dev/null || rm -f "$data/postmaster.pid"
  fi
  as_owner "$PGBIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=${BUGLE_PG_FSYNC:-on} -c shared_buffers=128MB" \
    start >/dev/null || { tail -n 30 "$dir/server.log" >&2; exit 1; }
  as_owner "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bugle') THEN
    -- CREATEDB: tests give each case a database of its own.
    CREATE ROLE bugle LOGIN CREATEDB PASSWORD 'bugle';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE bugle OWNER bugle' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'bugle')\gexec
\c bugle
CREATE EXTENSION IF NOT EXISTS ltree;
SQL
  conninfo
  ;;
stop)
  if [ -f "$data/PG_VERSION" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  ;;
status)
  running
  ;;
conninfo)
  conninfo
  ;;
*)
  echo "usage: postgres.sh start|stop|status|conninfo DIR [PORT]" >&2; exit 2 ;;
esac
