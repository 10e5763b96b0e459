# Shared by the end-to-end tests: real daemons, a real PostgreSQL and RabbitMQ (started once
# per ctest run by the e2e_services fixture), the test network of deploy/netns.sh.
# Every wait is bounded; every test cleans up what it started through its EXIT trap.
set -euo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
BUILD=${BUGLE_BUILD_DIR:?BUGLE_BUILD_DIR must point at the build tree}
SERVICES=${BUGLE_E2E_SERVICES:-$BUILD/e2e-services}
# shellcheck source=../../deploy/lib/daemon.sh
. "$REPO/deploy/lib/daemon.sh"

T_NAME=$(basename "$0" .sh)
T_DIR=$(mktemp -d "/tmp/bugle-$T_NAME.XXXXXX")
chmod 755 "$T_DIR"
T_CLEANUP=()
T_FAILED=0

on_exit() {
  local rc=$?
  local i
  for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do eval "${T_CLEANUP[$i]}" >/dev/null 2>&1 || true; done
  # The daemons are stopped by now: whatever a sanitizer found, including leaks at exit, is in
  # their logs and fails the test.
  if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' \
       "$T_DIR"/*.log >/dev/null 2>&1; then
    echo "FAIL - a sanitizer reported errors in a daemon log"
    T_FAILED=1
  fi
  if [ $rc -ne 0 ] || [ $T_FAILED -ne 0 ]; then
    echo "--- $T_NAME failed; daemon logs from $T_DIR:"
    for f in "$T_DIR"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }; done
    [ $rc -ne 0 ] || rc=1
  else
    rm -rf "$T_DIR"
  fi
  exit $rc
}
trap on_exit EXIT

cleanup_push() { T_CLEANUP+=("$1"); }

ok() { echo "ok - $*"; }
fail() { echo "FAIL - $*"; T_FAILED=1; }
check() {  # check "description" command...
  local what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
finish() { [ $T_FAILED -eq 0 ] || exit 1; }

pg_conninfo() { "$REPO/deploy/lib/postgres.sh" conninfo "$SERVICES/postgres"; }
amqp_url() { "$REPO/deploy/lib/rabbitmq.sh" url "$SERVICES/rabbitmq"; }

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# start_dataplane NAME CONTROL_PORT [--set k=v ...]: on the test network's veths.
start_dataplane() {
  local name=$1 port=$2; shift 2
  daemon_start "$T_DIR/$name.pid" "$T_DIR/$name.log" "$BUILD/bugle-dataplane" \
    -c "$REPO/deploy/config/dataplane.ini" --set "dataplane.node=$name" \
    --set "control.listen=127.0.0.1:$port" --set "metrics.listen=127.0.0.1:$(free_port)" "$@"
  cleanup_push "daemon_stop '$T_DIR/$name.pid' bugle-dataplane 20"
  wait_tcp 127.0.0.1 "$port" 90 || { echo "data plane $name did not open 127.0.0.1:$port"; return 1; }
}

# start_controlplane NAME CONTROL_ADDRS [--set k=v ...]
start_controlplane() {
  local name=$1 ctl=$2; shift 2
  daemon_start "$T_DIR/$name.pid" "$T_DIR/$name.log" "$BUILD/bugle-controlplane" \
    -c "$REPO/deploy/config/controlplane.ini" --set "node.name=$name" \
    --set "postgres.conninfo=$(pg_conninfo)" --set "rabbitmq.url=$(amqp_url)" \
    --set "postgres.migrations_dir=$REPO/schemas/sql" \
    --set "dataplane.control=$ctl" --set "node.status_file=$T_DIR/$name.status.json" \
    --set "api.listen=127.0.0.1:$(free_port)" "$@"
  cleanup_push "daemon_stop '$T_DIR/$name.pid' bugle-controlplane 20"
}

# cp_status NAME JQ-FILTER: true when the control plane's status file satisfies the filter.
# The file: {"node","pid","state":"up|degraded","dependencies":{"postgres":{"state":"up",...},
# "rabbitmq":{...},"dataplane 127.0.0.1:7010":{...}}}. Filters may use the functions below.
CP_JQ_DEFS='def dep($n): .dependencies[$n].state == "up";
def dp($a): .dependencies["dataplane " + $a].state == "up";
def dps: [.dependencies | to_entries[] | select(.key | startswith("dataplane ")) | .value.state == "up"];'
cp_status() { jq -e "$CP_JQ_DEFS $2" "$T_DIR/$1.status.json" >/dev/null 2>&1; }

netns_up() {
  "$REPO/deploy/netns.sh" up
  cleanup_push "'$REPO/deploy/netns.sh' down"
}

in_pub() { ip netns exec bugle-pub "$@"; }

# stop_clean NAME: SIGTERM a daemon this test started and require a clean exit (status 0
# within 20 s). Its cleanup entry then finds nothing left to stop.
stop_clean() {
  local name=$1 pid rc=0 i
  pid=$(cat "$T_DIR/$name.pid")
  kill -TERM "$pid"
  for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
    echo "$name did not exit within 20 s of SIGTERM"; return 1
  fi
  wait "$pid" || rc=$?
  rm -f "$T_DIR/$name.pid"
  [ $rc -eq 0 ] || { echo "$name exited with status $rc after SIGTERM"; return 1; }
}
