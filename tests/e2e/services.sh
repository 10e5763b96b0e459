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
  # Free ports chosen by the instance scripts, away from the stack's defaults.
  "$repo/deploy/lib/postgres.sh" start "$dir/postgres" ${BUGLE_E2E_PG_PORT:-}
  "$repo/deploy/lib/rabbitmq.sh" start "$dir/rabbitmq" ${BUGLE_E2E_AMQP_PORT:-}
  ;;
stop)
  "$repo/deploy/lib/rabbitmq.sh" stop "$dir/rabbitmq" || true
  "$repo/deploy/lib/postgres.sh" stop "$dir/postgres" || true
  rm -rf "$dir"
  ;;
*) echo "usage: services.sh start|stop" >&2; exit 2 ;;
esac
