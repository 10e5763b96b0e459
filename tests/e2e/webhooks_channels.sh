#!/usr/bin/env bash
# Live channels shared between nodes through the bus, hang-up across nodes, and CDR paging,
# against the real PostgreSQL and RabbitMQ. Two calls services (calls-drive, the module with
# the real pool and bus; real SIP calls come with the call controller) stand for two control
# planes: B starts after A's call is up, so it learns of it from A's announcements only.
. "$(dirname "$0")/api_lib.sh"

DRIVE=$BUILD/calls-drive
[ -x "$DRIVE" ] || { echo "FAIL - $DRIVE is not built"; exit 1; }

# The control plane runs the migrations and gives us an account to put calls in.
api_start cp-ch
sfx=$RANDOM$RANDOM
bootstrap "ch$sfx" "ch$sfx.example.net" admin secretpw

drive() {  # drive OUT CALL_ID EVENTS [args...]
  local out=$1 call=$2 events=$3; shift 3
  "$DRIVE" --pg "$(pg_conninfo)" --amqp "$(amqp_url)" --account "$ROOT_ID" --call-id "$call" \
    --events "$events" --timeout 60 --set calls.channel_announce_s=1 \
    --set calls.channel_remote_ttl_s=3 "$@" >"$out" 2>"$out.log"
}

CALL_A="a-$sfx.1@host"
CALL_B="b-$sfx.1@host"
drive "$T_DIR/a.out" "$CALL_A" create,answer --hold-ms 12000 --peek-ms 4000 &
APID=$!
cleanup_push "kill $APID"
sleep 2
check "node B settles" drive "$T_DIR/b.out" "$CALL_B" create --hold-ms 3000 --hangup "$CALL_A"
arc=0; wait $APID || arc=$?
check "node A settles" [ $arc = 0 ]

chan_b=$(sed -n 's/^CHANNELS //p' "$T_DIR/b.out")
check "B lists its own call" \
  [ "$(echo "$chan_b" | jq -r --arg c "$CALL_B" '.[] | select(.uuid == $c) | .destination')" = 1002@e2e.example.net ]
check "B lists A's call, answered, on A's node" \
  [ "$(echo "$chan_b" | jq -r --arg c "$CALL_A" '.[] | select(.uuid == $c) | "\(.answered) \(.node | startswith("calls-drive-"))"')" = "true true" ]
check "B's hang-up of A's call was sent" grep -q '^HANGUP 0$' "$T_DIR/b.out"
check "A's call controller hook got the hang-up" grep -q "^HANGUP-HOOK $ROOT_ID $CALL_A\$" "$T_DIR/a.out"
peek_a=$(sed -n 's/^CHANNELS-PEEK //p' "$T_DIR/a.out")
check "A saw B's call while B was up" \
  [ "$(echo "$peek_a" | jq --arg c "$CALL_B" '[.[] | select(.uuid == $c)] | length')" = 1 ]
chan_a=$(sed -n 's/^CHANNELS //p' "$T_DIR/a.out")
check "B's call, never announced again after B left, expired from A's view" \
  [ "$(echo "$chan_a" | jq --arg c "$CALL_B" '[.[] | select(.uuid == $c)] | length')" = 0 ]

# --- CDR paging: three finished calls, pages of two, newest first, no repeats
for i in 1 2 3; do
  check "call $i ends with a CDR" drive "$T_DIR/c$i.out" "c-$sfx.$i@host" create,destroy
  sleep 1.1   # distinct created seconds keep the expected order unambiguous
done
check "paging settles" drive "$T_DIR/list.out" "c-$sfx.list@host" create --list-cdrs 2
ids=$(sed -n 's/^CDR //p' "$T_DIR/list.out" | paste -sd,)
m=$(date -u +%Y%m)
check "three CDRs over two pages, newest first" \
  [ "$ids" = "$m-c-$sfx.3@host,$m-c-$sfx.2@host,$m-c-$sfx.1@host" ]
check "one page break" [ "$(grep -c '^PAGE$' "$T_DIR/list.out")" = 1 ]

stop_clean cp-ch || fail "control plane clean exit"
finish
