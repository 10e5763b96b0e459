#!/usr/bin/env bash
# Runs the whole of Bugle on one machine: hugepages when possible, the test network, PostgreSQL
# and RabbitMQ on loopback, one data plane and one control plane.
#   stack.sh up | down | status | restart
# Idempotent: "up" twice, or after a crash, starts only what is not running.
# Environment: BUGLE_BUILD_DIR (default build/), BUGLE_STATE_DIR (default /var/lib/bugle),
#              BUGLE_PG_PORT (5432), BUGLE_AMQP_PORT (5672), BUGLE_CONTROL_PORT (7010),
#              BUGLE_API_PORT (8000), BUGLE_HUGEPAGES (2 MiB pages, 512).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib/daemon.sh
. "$here/lib/daemon.sh"

BUILD=${BUGLE_BUILD_DIR:-$repo/build}
STATE=${BUGLE_STATE_DIR:-/var/lib/bugle}
PG_PORT=${BUGLE_PG_PORT:-5432}
AMQP_PORT=${BUGLE_AMQP_PORT:-5672}
CONTROL=127.0.0.1:${BUGLE_CONTROL_PORT:-7010}
API=127.0.0.1:${BUGLE_API_PORT:-8000}
DP_CONF=${BUGLE_DP_CONFIG:-$here/config/dataplane.ini}
CP_CONF=${BUGLE_CP_CONFIG:-$here/config/controlplane.ini}
# Where the edge sends SIP: the control plane's sip.listen on the internal side.
SIP_NODE=198.51.100.2:5060

log() { printf 'stack: %s\n' "$*" >&2; }

hugepages_up() {
  local want=${BUGLE_HUGEPAGES:-512} have
  have=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null || echo 0)
  if [ "$have" -lt "$want" ]; then
    echo "$want" > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null || true
  fi
  mountpoint -q /dev/hugepages 2>/dev/null || { mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null; } || true
  have=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
  if [ "${have:-0}" -gt 0 ]; then log "hugepages: $have free"; else log "hugepages: none, the data plane runs with --no-huge"; fi
}

dp_up() {
  if daemon_alive "$STATE/run/dataplane.pid" bugle-dataplane; then return 0; fi
  [ -x "$BUILD/bugle-dataplane" ] || { log "no $BUILD/bugle-dataplane: build first"; exit 1; }
  daemon_start "$STATE/run/dataplane.pid" "$STATE/log/dataplane.log" \
    "$BUILD/bugle-dataplane" -c "$DP_CONF" --set "control.listen=$CONTROL" \
    --set "dispatcher.nodes=$SIP_NODE"
  if ! wait_tcp 127.0.0.1 "${CONTROL##*:}" 60; then
    log "data plane did not open its control channel; last log lines:"; tail -n 20 "$STATE/log/dataplane.log" >&2; exit 1
  fi
  log "data plane up (pid $(cat "$STATE/run/dataplane.pid"))"
}

cp_up() {
  if daemon_alive "$STATE/run/controlplane.pid" bugle-controlplane; then return 0; fi
  [ -x "$BUILD/bugle-controlplane" ] || { log "no $BUILD/bugle-controlplane: build first"; exit 1; }
  daemon_start "$STATE/run/controlplane.pid" "$STATE/log/controlplane.log" \
    "$BUILD/bugle-controlplane" -c "$CP_CONF" \
    --set "postgres.conninfo=$("$here/lib/postgres.sh" conninfo "$STATE/postgres")" \
    --set "rabbitmq.url=$("$here/lib/rabbitmq.sh" url "$STATE/rabbitmq")" \
    --set "dataplane.control=$CONTROL" --set "api.listen=$API" \
    --set "node.status_file=$STATE/run/controlplane.status.json" \
    --set "postgres.migrations_dir=$repo/schemas/sql"
  if ! wait_for 60 cp_connected; then
    log "control plane did not report its dependencies up; last log lines:"; tail -n 20 "$STATE/log/controlplane.log" >&2; exit 1
  fi
  log "control plane up (pid $(cat "$STATE/run/controlplane.pid")), data plane connected"
}

# The control plane writes its view of its dependencies to a status file.
cp_connected() {
  daemon_alive "$STATE/run/controlplane.pid" bugle-controlplane &&
    jq -e '.state == "up" and ([.dependencies | to_entries[] | select(.key | startswith("dataplane ")) | .value.state == "up"] | length > 0 and all)' \
      "$STATE/run/controlplane.status.json" >/dev/null 2>&1
}

up() {
  mkdir -p "$STATE/run" "$STATE/log"
  chmod 755 "$STATE"
  hugepages_up
  "$here/netns.sh" up
  "$here/lib/postgres.sh" start "$STATE/postgres" "$PG_PORT" >/dev/null
  log "postgres up on 127.0.0.1:$PG_PORT"
  "$here/lib/rabbitmq.sh" start "$STATE/rabbitmq" "$AMQP_PORT" >/dev/null
  log "rabbitmq up on 127.0.0.1:$AMQP_PORT"
  dp_up
  cp_up
}

down() {
  daemon_stop "$STATE/run/controlplane.pid" bugle-controlplane
  daemon_stop "$STATE/run/dataplane.pid" bugle-dataplane
  "$here/lib/rabbitmq.sh" stop "$STATE/rabbitmq" || true
  "$here/lib/postgres.sh" stop "$STATE/postgres" || true
  "$here/netns.sh" down
  log "down"
}

json_bool() { if "$@" >/dev/null 2>&1; then echo true; else echo false; fi; }

status() {
  local pg rmq dp cp net cpst='null'
  pg=$(json_bool "$here/lib/postgres.sh" status "$STATE/postgres")
  rmq=$(json_bool "$here/lib/rabbitmq.sh" status "$STATE/rabbitmq")
  dp=$(json_bool daemon_alive "$STATE/run/dataplane.pid" bugle-dataplane)
  cp=$(json_bool daemon_alive "$STATE/run/controlplane.pid" bugle-controlplane)
  net=$(json_bool "$here/netns.sh" status)
  if [ "$cp" = true ] && [ -f "$STATE/run/controlplane.status.json" ]; then
    cpst=$(jq -c . "$STATE/run/controlplane.status.json" 2>/dev/null || echo null)
  fi
  jq -n --argjson pg "$pg" --argjson rmq "$rmq" --argjson dp "$dp" --argjson cp "$cp" \
        --argjson net "$net" --argjson cpst "$cpst" \
        --arg pgaddr "127.0.0.1:$PG_PORT" --arg amqp "127.0.0.1:$AMQP_PORT" --arg ctl "$CONTROL" '{
      network: {up: $net},
      postgres: {up: $pg, address: $pgaddr},
      rabbitmq: {up: $rmq, address: $amqp},
      dataplane: {up: $dp, control: $ctl},
      controlplane: {up: $cp, status: $cpst},
      control_channel_connected: (($cpst // {}) | [(.dependencies // {}) | to_entries[] | select(.key | startswith("dataplane ")) | .value.state == "up"] | (length > 0 and all))
    }'
  [ "$pg" = true ] && [ "$rmq" = true ] && [ "$dp" = true ] && [ "$cp" = true ]
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
restart) down; up ;;
*) echo "usage: stack.sh up|down|status|restart" >&2; exit 2 ;;
esac
