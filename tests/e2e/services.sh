#!/usr/bin/env bash
# ctest fixture: one PostgreSQL and one RabbitMQ for all end-to-end tests of a run.
#   services.sh start|stop   (directory: $BUGLE_E2E_SERVICES or $BUGLE_BUILD_DIR/e2e-services)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${BUGLE_E2E_SERVICES:-${BUGLE_BUILD_DIR:?}/e2e-services}
case "${1:-}" in
start)
  # Left over from an interrupted run: stop it and start afresh.
  [ -d "$dir" ] && "$0" stop
  mkdir -p "$dir"; chmod 755 "$dir"
  # Free ports chosen now, away from the stack's defaults, so neither a running quickstart nor
  # another instance collides (RabbitMQ also needs PORT+10000 for its distribution port).
  ports=$(python3 - <<'PY'
import socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
import random
picked = []
while len(picked) < 2:
    p = random.randint(20000, 29999)
    if free(p) and free(p + 10000) and p not in picked:
        picked.append(p)
print(*picked)
PY
)
  read -r pg_port amqp_port <<<"$ports"
  "$repo/deploy/lib/postgres.sh" start "$dir/postgres" "${BUGLE_E2E_PG_PORT:-$pg_port}"
  "$repo/deploy/lib/rabbitmq.sh" start "$dir/rabbitmq" "${BUGLE_E2E_AMQP_PORT:-$amqp_port}"
  ;;
stop)
  "$repo/deploy/lib/rabbitmq.sh" stop "$dir/rabbitmq" || true
  "$repo/deploy/lib/postgres.sh" stop "$dir/postgres" || true
  rm -rf "$dir"
  ;;
*) echo "usage: services.sh start|stop" >&2; exit 2 ;;
esac
