#!/usr/bin/env bash
# buglectl drain of one control plane of two (cp-call "A" and cp-two "B", one data plane, shared
# PostgreSQL and RabbitMQ): A has a live sipp call, B another that lasts longer. Draining A
# refuses a new INVITE to A with 503 and Retry-After, A's live call ends normally, and drain
# reports A drained while B's call is still up: A counts only its own calls, not the channels B
# announces over the bus. The data plane's dispatcher (buglectl dispatcher set) chooses which
# control plane a new call goes to; in-dialog requests follow the dialog's route to its node.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

NODE_A=198.51.100.2:5060 NODE_B=198.51.100.2:5062
API_A="http://127.0.0.1:$CALL_API_PORT"
B_API_PORT=$(free_port)
API_B="http://127.0.0.1:$B_API_PORT"
start_controlplane cp-two "127.0.0.1:$DP_PORT" --set "api.listen=127.0.0.1:$B_API_PORT" \
  --set "sip.listen=$NODE_B"
check "node B reports postgres, rabbitmq and the data plane up" \
  wait_for 60 cp_status cp-two "dep(\"postgres\") and dep(\"rabbitmq\") and dp(\"127.0.0.1:$DP_PORT\")"
check "node A reports rabbitmq up (the channel view is shared over it)" \
  wait_for 30 cp_status cp-call 'dep("rabbitmq")'
check "A's API answers" wait_tcp 127.0.0.1 "$CALL_API_PORT" 30
check "B's API answers" wait_tcp 127.0.0.1 "$B_API_PORT" 30
. "$E2E_DIR/ops_lib.sh"
callflow cf-1003 '{"numbers": ["1003"], "flow": {"module": "device", "data": {"id": "dev-carol"}}}'
new_device "$acct" carol secret-c
new_device "$acct" dave secret-d
check "carol registers through the data plane" reg carol secret-c 192.0.2.13 5073
check "dave registers through the data plane" reg dave secret-d 192.0.2.14 5074

bctl() { "$BUILD/buglectl" --control "127.0.0.1:$DP_PORT" --api-key "$KEY" "$@"; }
# on NODE-API CALL-ID JQ: the channel as that node's API shows it satisfies JQ.
on() { bctl --api "$1" --json calls show "$2" 2>/dev/null | jq -e "$3" > /dev/null; }
# dispatch_to NODE: new calls from the data plane's edge go to that control plane only.
dispatch_to() { bctl --json dispatcher set "$1" > /dev/null; }
# status_of API JQ: GET /v2/system/status of a node satisfies JQ.
status_of() { curl -fsS --max-time 5 "$1/v2/system/status" | jq -e ".data | $2" > /dev/null; }

# --- A's call: alice -> bob, 15 s
check "the dispatcher sends new calls to A" dispatch_to "$NODE_A"
bob_answers on-a callee
alice_calls_bg on-a "$OPS_SCN/caller_holds.xml" 1002 -d 15000
check "A's call is up, on A" wait_for 20 on "$API_A" on-a-1 '.answered == true and .node == "cp-call"'

# --- B's call: dave -> carol, 40 s (far longer than A's)
check "the dispatcher sends new calls to B" dispatch_to "$NODE_B"
in_pub env -C "$T_DIR" timeout 90 sipp -sf "$CALL_SCN/callee.xml" -s carol -i 192.0.2.13 -p 5073 \
  -m 1 -mp 42100 -timeout 80s -timeout_error -trace_err -error_file "$T_DIR/on-b-carol.err" \
  -nostdin > "$T_DIR/on-b-carol.out" 2>&1 &
carol=$!
cleanup_push "kill $carol 2>/dev/null || true"
sleep 0.5
in_pub env -C "$T_DIR" timeout 90 sipp 192.0.2.1:5060 -sf "$OPS_SCN/caller_holds.xml" -s dave \
  -au dave -ap secret-d -key dom "$realm" -key to 1003 -cid_str 'on-b-%u' -i 192.0.2.14 \
  -p 5074 -mp 41100 -m 1 -d 40000 -timeout 80s -timeout_error -trace_err \
  -error_file "$T_DIR/on-b-caller.err" -nostdin > "$T_DIR/on-b-caller.out" 2>&1 &
dave=$!
cleanup_push "kill $dave 2>/dev/null || true"
check "B's call is up, on B" wait_for 20 on "$API_B" on-b-1 '.answered == true and .node == "cp-two"'
check "A knows B's call too (the shared channel view)" wait_for 10 on "$API_A" on-b-1 '.node == "cp-two"'
check "A's status: its own calls and more channels known" \
  wait_for 10 status_of "$API_A" '.local_channels > 0 and .channels > .local_channels'

# --- drain A
check "the dispatcher sends new calls to A again" dispatch_to "$NODE_A"
check "drain A --no-wait: exit 0" saved_to "$T_DIR/drain.json" bctl --json drain "$API_A" --no-wait
check "drain A --no-wait: draining, not drained, A's own calls live, B's known but not counted" \
  jq -e '.draining == true and .drained == false and .live > 0 and .channels_known > .live' \
  "$T_DIR/drain.json"
new_call_refused "drain A"
check "drain A: waits for A's live call only (exit 0)" \
  saved_to "$T_DIR/drained.txt" bctl drain "$API_A" --timeout 30
check "drain A: then says drained" test "$(tail -n 1 "$T_DIR/drained.txt")" = drained
check "drain A: B's call is still up on B" on "$API_B" on-b-1 '.answered == true'
bctl --json drain "$API_A" --no-wait > "$T_DIR/drained.json" || true
check "drain A status (JSON): drained, nothing live on A, B's channels still known" \
  jq -e '.draining == true and .drained == true and .live == 0 and .channels_known > 0' \
  "$T_DIR/drained.json"
check "A's live call ended normally (alice's BYE answered 200)" wait "$ALICE"
check "bob's side of A's call passed" wait "$BOB"
rc=0; bctl --json --api "$API_A" --api "$API_B" status --db "$(pg_conninfo)" --amqp "$(amqp_url)" \
  > "$T_DIR/status.json" || rc=$?
check "status: exit 0 with A draining" test "$rc" = 0
check "status: A draining, B up" \
  jq -e '[.nodes[] | select(.kind == "controlplane") | .state] == ["draining", "up"]' "$T_DIR/status.json"

# --- B's call ends normally; A takes calls again
check "B's call ended normally (dave's BYE answered 200)" wait "$dave"
check "carol's side of B's call passed" wait "$carol"
check "undrain A: exit 0" saved_to /dev/null bctl undrain "$API_A"
bob_answers after callee
check "undrain A: a new call on A passes" alice_calls after "$CALL_SCN/caller.xml" 1002
check "undrain A: bob's side of the new call passed" wait "$BOB"
check "node B stops cleanly" stop_clean cp-two
finish
