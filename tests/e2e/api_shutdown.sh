#!/usr/bin/env bash
# Stopping a control plane while a request waits for PostgreSQL: the request is answered 503,
# and the daemon still goes through its orderly stop (libmicrohttpd aborts the process if it is
# stopped with suspended connections).
. "$(dirname "$0")/api_lib.sh"

api_start cp-stop
A=$API_cp_stop
sfx=$RANDOM$RANDOM
bootstrap "stop$sfx" "stop$sfx.example.net" admin stoppw1
TOKEN=$(TOKEN= req PUT "$A/api_auth" "{\"data\":{\"api_key\":\"$ROOT_API_KEY\"}}" | { read -r _ b; echo "$b" | jq -r .auth_token; })
check "the account is readable (and its session cached)" [ "$(status_of "$(req GET "$A/accounts/$ROOT_ID")")" = 200 ]

# Hold the documents table so the next listing waits inside PostgreSQL.
psql "$(pg_conninfo)" -qc "BEGIN; LOCK TABLE documents IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8); COMMIT;" >/dev/null 2>&1 &
locker=$!
cleanup_push "kill $locker"
sleep 0.5
req GET "$A/accounts/$ROOT_ID/devices" >"$T_DIR/held.out" &
held=$!
sleep 1
pid=$(cat "$T_DIR/cp-stop.pid")
kill -TERM "$pid"
wait "$held" || true
check "the waiting request is answered 503" [ "$(cut -d' ' -f1 "$T_DIR/held.out")" = 503 ]
check "the daemon exits within 10 s" wait_for 10 bash -c "! kill -0 $pid 2>/dev/null"
check "and says it stopped" grep -q "stopped" "$T_DIR/cp-stop.log"
finish
