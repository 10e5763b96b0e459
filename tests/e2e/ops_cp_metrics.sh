#!/usr/bin/env bash
# /metrics of a running control plane on its API port: the exposition validated strictly
# (ops_expo_check.py), every source there (API, latency histogram, create batcher, PostgreSQL,
# RabbitMQ, calls, CDRs and webhooks, SIP and registrar), and the counters moving with API
# requests (2xx and 4xx), a document create (batcher, bus) and a real sipp registration.
. "$(dirname "$0")/api_lib.sh"
. "$E2E_DIR/registrar_lib.sh"

api_port=$(free_port)
SIP_ADDR="127.0.0.1:$(free_port)"
start_controlplane cp-metrics "127.0.0.1:1" --set "api.listen=127.0.0.1:$api_port" \
  --set "sip.listen=$SIP_ADDR"
wait_tcp 127.0.0.1 "$api_port" 60 || { echo "the control plane did not open its API"; exit 1; }
A="http://127.0.0.1:$api_port/v2"
M="http://127.0.0.1:$api_port/metrics"
check_expo() { python3 "$E2E_DIR/ops_expo_check.py" "$@"; }
scrape() { curl -sS -o "$T_DIR/$1.txt" "$M"; }
value() {  # value FILE NAME [LABEL=VALUE...]
  local f=$1; shift
  check_expo --get "$@" <"$T_DIR/$f.txt"
}
metric_is() {  # metric_is NAME VALUE: a fresh scrape shows that value
  scrape now && [ "$(value now "$1")" = "$2" ]
}
check "the control plane reports postgres and rabbitmq up" \
  wait_for 60 cp_status cp-metrics 'dep("postgres") and dep("rabbitmq")'
check "the SIP node listens" wait_for 30 grep -q "sip: listening on $SIP_ADDR" "$T_DIR/cp-metrics.log"

curl -sS -D "$T_DIR/head.txt" -o "$T_DIR/before.txt" "$M"
check "the scrape is HTTP 200 with the 0.0.4 text content type, no token needed" \
  bash -c "grep -q '^HTTP/1.1 200 OK' '$T_DIR/head.txt' && \
    grep -qi '^Content-Type: text/plain; version=0.0.4' '$T_DIR/head.txt'"
check "the exposition passes the strict format check" check_expo "$T_DIR/before.txt"
P=bugle_controlplane_
for fam in api_requests_total api_request_duration_seconds api_refusals_total \
           api_create_statements_total api_create_rows_total api_cache_hits_total \
           postgres_up postgres_connections postgres_connections_busy postgres_errors_total \
           rabbitmq_up rabbitmq_published_total rabbitmq_received_total \
           calls_live calls_total calls_per_second cdrs_total webhooks_total channels \
           sip_rx_datagrams_total registrar_registers_total registrar_successes_total \
           uptime_seconds; do
  check "family $P$fam has HELP and TYPE" \
    bash -c "grep -q '^# HELP $P$fam ' '$T_DIR/before.txt' && grep -q '^# TYPE $P$fam ' '$T_DIR/before.txt'"
done
check "the latency histogram has a +Inf bucket" \
  grep -q "^${P}api_request_duration_seconds_bucket{le=\"+Inf\"} " "$T_DIR/before.txt"
check "postgres_up is 1" wait_for 30 metric_is "${P}postgres_up" 1
check "rabbitmq_up is 1" wait_for 30 metric_is "${P}rabbitmq_up" 1
check "the pool has connections open" test "$(value now "${P}postgres_connections")" -ge 1
scrape before

# API traffic: 2xx (auth, reads, a create) and 4xx (no token, unknown path).
sfx=$RANDOM$RANDOM
bootstrap "metrics$sfx" "metrics$sfx.example.net" admin secretpw
r=$(req PUT "$A/api_auth" "{\"data\":{\"api_key\":\"$ROOT_API_KEY\"}}")
check "api_auth gives a token" [ "$(status_of "$r")" = 201 ]
TOKEN=$(jqb "$r" .auth_token)
for _ in 1 2 3; do
  r=$(req GET "$A/accounts/$ROOT_ID")
  [ "$(status_of "$r")" = 200 ] || fail "GET account: $r"
done
r=$(req PUT "$A/accounts/$ROOT_ID/devices" '{"data":{"name":"m1","sip":{"username":"m1","password":"pw123456"}}}')
check "a device is created" [ "$(status_of "$r")" = 201 ]
r=$(TOKEN= req GET "$A/accounts/$ROOT_ID")
check "no token is 401" [ "$(status_of "$r")" = 401 ]
r=$(req GET "$A/nowhere")
check "an unknown path is 404" [ "$(status_of "$r")" = 404 ]

# A registration against the same node: challenge, then 200.
realm="metrics-$sfx.e2e.bugle.test"
acct=$(new_account "$realm")
new_device "$acct" alice secret-a
check "alice registers (401 then 200)" sipp_reg reg_ok alice secret-a "$realm" 300

curl -sS -o "$T_DIR/after.txt" "$M"
check "the second scrape passes the format check too" check_expo "$T_DIR/after.txt"
moved() {  # moved NAME MIN-INCREASE [LABEL=VALUE...]
  local name=$1 by=$2 b a; shift 2
  b=$(value before "$name" "$@") && a=$(value after "$name" "$@") || return 1
  echo "$name $*: $b -> $a"
  [ "$a" -ge $((b + by)) ]
}
check "2xx answers moved by at least 5" moved "${P}api_requests_total" 5 status=2xx
check "4xx answers moved by at least 2" moved "${P}api_requests_total" 2 status=4xx
check "the 401 is counted as unauthorized" moved "${P}api_refusals_total" 1 reason=unauthorized
check "the latency histogram counted the requests" moved "${P}api_request_duration_seconds_count" 7
check "the +Inf bucket equals the count" \
  [ "$(value after "${P}api_request_duration_seconds_bucket" le=+Inf)" = \
    "$(value after "${P}api_request_duration_seconds_count")" ]
check "the create went through the batcher" moved "${P}api_create_rows_total" 1
check "PostgreSQL queries moved" moved "${P}postgres_queries_total" 3
check "the change was published on RabbitMQ" moved "${P}rabbitmq_published_total" 1
check "REGISTERs handled moved by 2 (challenge and answer)" moved "${P}registrar_registers_total" 2
check "one REGISTER succeeded" moved "${P}registrar_successes_total" 1
check "one challenge was sent" moved "${P}registrar_challenges_total" 1
check "SIP datagrams moved" moved "${P}sip_rx_datagrams_total" 2
check "no call is live" [ "$(value after "${P}calls_live")" = 0 ]

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "POST /metrics is 405" test "$(status -X POST "$M")" = 405
check "the control plane is still running" daemon_alive "$T_DIR/cp-metrics.pid" bugle-controlplane
check "and stops cleanly" stop_clean cp-metrics
finish
