#!/usr/bin/env bash
# REST API load with wrk (issue 5; a benchmark, not a test): GET one device, list 50 devices,
# PUT (create) a device, with 100 accounts x 100 devices loaded first through the API.
# Prints requests/s and p99 for each and one RESULT line per figure for bench/run.sh. There is
# no Crossbar to run beside it here, so peer is null.
#   bench/api/run.sh [--build DIR] [--quick] [--pool N]
# Starts its own PostgreSQL, RabbitMQ and control plane in a temporary directory and removes
# them afterwards. Bounded: loading is capped at 300 s, each wrk run lasts 10 s (3 s --quick).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$repo/build
quick=0
pool=8
while [ $# -gt 0 ]; do
  case "$1" in
  --build) build=$2; shift ;;
  --quick) quick=1 ;;
  --pool) pool=$2; shift ;;
  *) echo "api/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
. "$repo/deploy/lib/daemon.sh"
for f in "$build/bugle-controlplane" "$build/buglectl"; do
  [ -x "$f" ] || { echo "api bench: $f is not built" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "api bench: wrk is not installed" >&2; exit 1; }
if [ $quick -eq 1 ]; then secs=3; n_acc=10; else secs=10; n_acc=100; fi
n_dev=100

dir=$(mktemp -d /tmp/bugle-bench-api.XXXXXX); chmod 755 "$dir"
cleanup() {
  daemon_stop "$dir/cp.pid" bugle-controlplane 20 >/dev/null 2>&1 || true
  "$repo/deploy/lib/rabbitmq.sh" stop "$dir/rabbitmq" >/dev/null 2>&1 || true
  "$repo/deploy/lib/postgres.sh" stop "$dir/postgres" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pg=$("$repo/deploy/lib/postgres.sh" start "$dir/postgres" | tail -n1)
amqp=$("$repo/deploy/lib/rabbitmq.sh" start "$dir/rabbitmq" | tail -n1)
port=$(free_port)
daemon_start "$dir/cp.pid" "$dir/cp.log" "$build/bugle-controlplane" \
  -c "$repo/deploy/config/controlplane.ini" --set node.name=bench-api --set "postgres.conninfo=$pg" \
  --set "rabbitmq.url=$amqp" --set "postgres.migrations_dir=$repo/schemas/sql" \
  --set dataplane.control=127.0.0.1:1 --set "sip.listen=127.0.0.1:$(free_port)" \
  --set "api.listen=127.0.0.1:$port" --set "postgres.pool_size=$pool" --set log.level=warning
wait_tcp 127.0.0.1 "$port" 60 || { echo "api bench: the control plane did not start" >&2; tail "$dir/cp.log" >&2; exit 1; }
base=http://127.0.0.1:$port/v2

boot=$(BUGLE_DB=$pg "$build/buglectl" --json account create --name bench --realm bench.example.net \
  --user admin --password benchpw)
root=$(echo "$boot" | jq -r .account_id)
token=$(curl -sf -X PUT --data-binary "{\"data\":{\"api_key\":\"$(echo "$boot" | jq -r .api_key)\"}}" \
  "$base/api_auth" | jq -r .auth_token)

load() {
  local a acct d
  for a in $(seq 1 "$n_acc"); do
    acct=$(curl -sf -X PUT -H "X-Auth-Token: $token" --data-binary "{\"data\":{\"name\":\"bench-$a\"}}" \
      "$base/accounts/$root" | jq -r .data.id)
    echo "$acct" >>"$dir/accounts"
    for d in $(seq 1 "$n_dev"); do
      echo "{\"data\":{\"name\":\"dev$d\",\"sip\":{\"username\":\"u$d\",\"password\":\"pass$d$d\"}}}"
    done | xargs -d '\n' -P 8 -I{} curl -sf -o /dev/null -X PUT -H "X-Auth-Token: $token" \
      --data-binary {} "$base/accounts/$acct/devices"
  done
}
export -f load; export n_acc n_dev token base root dir
timeout 300 bash -c load || { echo "api bench: loading failed or took over 300 s" >&2; exit 1; }
acct=$(head -n1 "$dir/accounts")
dev=$(curl -sf -H "X-Auth-Token: $token" "$base/accounts/$acct/devices?page_size=1" | jq -r '.data[0].id')
loaded=$(psql "$pg" -Atc "select count(*) from documents where type = 'device'")
echo "loaded: $n_acc accounts, $loaded devices"

cat >"$dir/put.lua" <<'LUA'
wrk.method = "PUT"
wrk.body = '{"data":{"name":"bench"}}'
wrk.headers["Content-Type"] = "application/json"
LUA
# CPU seconds (user+system) of the control plane and of every PostgreSQL process, so each
# figure comes with where the time went.
cpu_ticks() {  # cpu_ticks PID...
  local p t=0
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
cp_pid=$(cat "$dir/cp.pid")
pg_pids() { local pm; pm=$(head -n1 "$dir/postgres/data/postmaster.pid" 2>/dev/null) || return 0; echo "$pm $(ps -o pid= --ppid "$pm")"; }
hz=$(getconf CLK_TCK)
run() {  # run NAME GOAL URL [SCRIPT]
  local name=$1 goal=$2 url=$3 script=${4:-} out rps p99 bad n c0 c1 p0 p1 cp_ms pg_ms pids
  pids=$(pg_pids)
  c0=$(cpu_ticks "$cp_pid"); p0=$(cpu_ticks $pids)
  out=$(wrk -t2 -c32 -d"${secs}s" --latency -H "X-Auth-Token: $token" ${script:+-s "$script"} "$url")
  c1=$(cpu_ticks "$cp_pid"); p1=$(cpu_ticks $pids)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  cp_ms=$(awk -v d=$((c1 - c0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.3f", n ? d * 1000 / hz / n : 0}')
  pg_ms=$(awk -v d=$((p1 - p0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.3f", n ? d * 1000 / hz / n : 0}')
  echo "$name: $rps requests/s, p99 $p99, non-2xx ${bad:-0}, CPU per request: control plane ${cp_ms} ms, postgres ${pg_ms} ms (postgres pool $pool)"
  printf 'RESULT {"name":"api_%s","metric":"requests_per_s","unit":"req/s","bugle":%s,"peer_name":"none","peer":null,"ratio":null,"goal":"%s","p99":"%s","non_2xx":%s,"cp_cpu_ms_per_req":%s,"pg_cpu_ms_per_req":%s}\n' \
    "$name" "$rps" "$goal" "$p99" "${bad:-0}" "$cp_ms" "$pg_ms"
}
run get_device ">=10000" "$base/accounts/$acct/devices/$dev"
run list_50 "none set" "$base/accounts/$acct/devices?page_size=50"
run put_device ">=2000" "$base/accounts/$acct/devices" "$dir/put.lua"
