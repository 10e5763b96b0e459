#!/usr/bin/env bash
# REST API load with wrk (issue 5; a benchmark, not a test): GET one device, list 50 devices,
# PUT (create) a device, with 100 accounts x 100 devices loaded first through the API.
# Prints requests/s and p99 for each and one RESULT line per figure for bench/run.sh. No
# Crossbar-compatible server is packaged to run beside it, so the peer column is a ceiling
# reference: the same wrk load against nginx serving the same bytes (bench/lib/static-http.sh).
# Also GET one device at 1, 4, 16 and 64 connections against both: a SERIES for the chart.
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
. "$repo/bench/lib/twin-netns.sh"
. "$repo/bench/lib/static-http.sh"
. "$repo/bench/lib/series.sh"
for f in "$build/bugle-controlplane" "$build/buglectl"; do
  [ -x "$f" ] || { echo "api bench: $f is not built" >&2; exit 1; }
done
for t in wrk nginx; do
  command -v "$t" >/dev/null || { echo "api bench: $t is not installed (deploy/install-deps.sh)" >&2; exit 1; }
done
if [ $quick -eq 1 ]; then secs=3; series_s=2; n_acc=10; else secs=10; series_s=5; n_acc=100; fi
n_dev=100

dir=$(mktemp -d /tmp/bugle-bench-api.XXXXXX); chmod 755 "$dir"
cleanup() {
  static_http_stop "$dir/peer"
  daemon_stop "$dir/cp.pid" bugle-controlplane 20 >/dev/null 2>&1 || true
  "$repo/deploy/lib/rabbitmq.sh" stop "$dir/rabbitmq" >/dev/null 2>&1 || true
  "$repo/deploy/lib/postgres.sh" stop "$dir/postgres" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

pg=$("$repo/deploy/lib/postgres.sh" start "$dir/postgres" | tail -n1)
amqp=$("$repo/deploy/lib/rabbitmq.sh" start "$dir/rabbitmq" | tail -n1)
port=$(bench_free_port)
daemon_start "$dir/cp.pid" "$dir/cp.log" "$build/bugle-controlplane" \
  -c "$repo/deploy/config/controlplane.ini" --set node.name=bench-api --set "postgres.conninfo=$pg" \
  --set "rabbitmq.url=$amqp" --set "postgres.migrations_dir=$repo/schemas/sql" \
  --set dataplane.control=127.0.0.1:1 --set "sip.listen=127.0.0.1:$(bench_free_port)" \
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
# wrk_load CONNECTIONS SECONDS URL [SCRIPT]: prints "requests/s p99-ms non-2xx requests".
wrk_load() {
  wrk -t"$(($1 < 2 ? $1 : 2))" -c"$1" -d"$2s" --latency -H "X-Auth-Token: $token" ${4:+-s "$4"} "$3" | awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { v = $2; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
                  p99 = u == "us" ? v / 1000 : u == "s" ? v * 1000 : u == "m" ? v * 60000 : v }
    /Non-2xx/ { bad = $NF }
    / requests in / { n = $1 }
    END { printf "%.2f %.3f %d %d\n", rps, p99, bad, n }'
}
# run NAME GOAL URL PEER-URL [SCRIPT]: Bugle, then the ceiling reference, the same load.
run() {
  local name=$1 goal=$2 url=$3 peer_url=$4 script=${5:-} rps p99 bad n c0 c1 p0 p1 cp_ms pg_ms pids
  local peer peer_p99 ratio
  pids=$(pg_pids)
  c0=$(cpu_ticks "$cp_pid"); p0=$(cpu_ticks $pids)
  read -r rps p99 bad n < <(wrk_load 32 "$secs" "$url" "$script")
  c1=$(cpu_ticks "$cp_pid"); p1=$(cpu_ticks $pids)
  cp_ms=$(awk -v d=$((c1 - c0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.3f", n ? d * 1000 / hz / n : 0}')
  pg_ms=$(awk -v d=$((p1 - p0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.3f", n ? d * 1000 / hz / n : 0}')
  read -r peer peer_p99 _ _ < <(wrk_load 32 "$secs" "$peer_url" "$script")
  ratio=$(awk -v a="$rps" -v b="$peer" 'BEGIN { if (b > 0) printf "%.4f", a / b; else printf "null" }')
  echo "$name: $rps requests/s, p99 ${p99} ms, non-2xx $bad, CPU per request: control plane ${cp_ms} ms, postgres ${pg_ms} ms (postgres pool $pool); nginx static: $peer requests/s, p99 ${peer_p99} ms"
  printf 'RESULT {"name":"api_%s","metric":"requests/s at 32 connections","unit":"req/s","bugle":%s,"peer_name":"%s","peer":%s,"ratio":%s,"goal":"%s","p99_ms":%s,"peer_p99_ms":%s,"non_2xx":%s,"cp_cpu_ms_per_req":%s,"pg_cpu_ms_per_req":%s}\n' \
    "$name" "$rps" "$PEER_NAME" "$peer" "$ratio" "$goal" "$p99" "$peer_p99" "$bad" "$cp_ms" "$pg_ms"
}

# The ceiling reference: nginx answering with the same bodies, byte for byte.
PEER_NAME="nginx $(nginx -v 2>&1 | sed 's|.*nginx/||'), same bytes from a static file, 1 worker (ceiling reference, not a peer)"
curl -sf -H "X-Auth-Token: $token" "$base/accounts/$acct/devices/$dev" > "$dir/get.json"
curl -sf -H "X-Auth-Token: $token" "$base/accounts/$acct/devices?page_size=50" > "$dir/list.json"
curl -sf -X PUT -H "X-Auth-Token: $token" --data-binary '{"data":{"name":"bench"}}' \
  "$base/accounts/$acct/devices" > "$dir/put.json"
mkdir -p "$dir/peer/www"
cp "$dir/get.json" "$dir/list.json" "$dir/peer/www/"
cp "$dir/put.json" "$dir/peer/put.json"
peer_port=$(static_http_start "$dir/peer") || { echo "api bench: nginx did not start" >&2; exit 1; }
peer_base=http://127.0.0.1:$peer_port

run get_device ">=10000" "$base/accounts/$acct/devices/$dev" "$peer_base/get.json"
run list_50 "none set" "$base/accounts/$acct/devices?page_size=50" "$peer_base/list.json"
run put_device ">=2000" "$base/accounts/$acct/devices" "$peer_base/put" "$dir/put.lua"

# GET one device at rising concurrency: requests/s against p99 latency, for the chart.
for c in 1 4 16 64; do
  wrk_load "$c" "$series_s" "$base/accounts/$acct/devices/$dev" | awk '{ print $1, $2 }' >> "$dir/series-bugle"
  wrk_load "$c" "$series_s" "$peer_base/get.json" | awk '{ print $1, $2 }' >> "$dir/series-peer"
done
bench_series api "bugle GET one device" "requests/s (1, 4, 16, 64 connections)" "p99 latency, ms" < "$dir/series-bugle"
bench_series api "nginx static file, same bytes (ceiling)" "requests/s (1, 4, 16, 64 connections)" "p99 latency, ms" < "$dir/series-peer"
