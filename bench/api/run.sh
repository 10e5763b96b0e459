#!/usr/bin/env bash
# REST API load with wrk against a running control plane (not a test): GET one device, list 50
# devices, PUT a device, with 100 accounts x 100 devices loaded first through the API.
#   bench/api/run.sh http://127.0.0.1:8000/v2 TOKEN ROOT_ACCOUNT_ID [seconds]
# Prints requests/s and p99 for each, and one RESULT line per figure.
set -euo pipefail
base=$1 token=$2 root=$3 secs=${4:-10}
[ "$secs" -le 60 ] || { echo "at most 60 s per run" >&2; exit 2; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
api() { curl -sf -X "$1" -H "X-Auth-Token: $token" -H 'Content-Type: application/json' ${3:+--data-binary "$3"} "$base$2"; }

accounts=()
for a in $(seq 1 100); do
  accounts+=("$(api PUT "/accounts/$root" "{\"data\":{\"name\":\"bench-$RANDOM-$a\"}}" | jq -r .data.id)")
done
acct=${accounts[0]}
for a in "${accounts[@]}"; do
  for d in $(seq 1 100); do echo "{\"data\":{\"name\":\"dev$d\",\"sip\":{\"username\":\"u$d\",\"password\":\"p$d\"}}}"; done |
    xargs -P 8 -I{} curl -sf -o /dev/null -X PUT -H "X-Auth-Token: $token" -H 'Content-Type: application/json' --data-binary {} "$base/accounts/$a/devices"
done
dev=$(api GET "/accounts/$acct/devices?page_size=1" | jq -r '.data[0].id')

cat >"$dir/put.lua" <<LUA
wrk.method = "PUT"
wrk.body = '{"data":{"name":"bench"}}'
wrk.headers["Content-Type"] = "application/json"
LUA
run() {  # run NAME URL [SCRIPT]
  local out; out=$(wrk -t2 -c32 -d"${secs}s" --latency -H "X-Auth-Token: $token" ${3:+-s "$3"} "$2")
  local rps p99; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}'); p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  echo "$1: $rps requests/s, p99 $p99"
  echo "RESULT {\"name\":\"api_$1\",\"metric\":\"requests_per_s\",\"unit\":\"req/s\",\"bugle\":$rps,\"peer_name\":\"none\",\"peer\":null,\"ratio\":null,\"goal\":\"$4\",\"p99\":\"$p99\"}"
}
run get_device "$base/accounts/$acct/devices/$dev" "" ">=10000"
run list_50 "$base/accounts/$acct/devices?page_size=50" "" "n/a"
run put_device "$base/accounts/$acct/devices" "$dir/put.lua" ">=2000"
