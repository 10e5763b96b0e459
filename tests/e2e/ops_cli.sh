#!/usr/bin/env bash
# buglectl against the whole stack (data plane, control plane, PostgreSQL, RabbitMQ): status in
# both formats and its exit codes, registrations of the sipp devices, calls list/show/kill of a
# live sipp call (both devices get the BYE), drain of the control plane with a live call that
# ends normally while a new INVITE gets 503, undrain, and --help on every command.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

OPS_SCN="$E2E_DIR/sipp-ops"
# The control plane's API address: the last api.listen on its command line wins.
API="http://$(tr '\0' '\n' < "/proc/$(cat "$T_DIR/cp-call.pid")/cmdline" | sed -n 's/^api\.listen=//p' | tail -n 1)"
check "the control plane's API answers" wait_tcp 127.0.0.1 "${API##*:}" 30
KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
psql_q "UPDATE accounts SET api_key = '$KEY' WHERE id = '$acct'"
callflow cf-1002 '{"numbers": ["1002"], "flow": {"module": "device", "data": {"id": "dev-bob"}}}'

bctl() { "$BUILD/buglectl" --control "127.0.0.1:$DP_PORT" --api "$API" --api-key "$KEY" "$@"; }
# rc_of CMD...: the exit code of a command, its output dropped.
rc_of() { local rc=0; "$@" > /dev/null 2>&1 || rc=$?; echo "$rc"; }
# has_lines FILE REGEX...: every extended regex matches a line of FILE.
has_lines() { local f=$1 re; shift; for re in "$@"; do grep -Eq -- "$re" "$f" || { echo "no line /$re/ in $f"; return 1; }; done; }

# --- status: every node, table and JSON, exit codes
rc=0; bctl status > "$T_DIR/status.txt" || rc=$?
check "status: exit 0 with every node up" test "$rc" = 0
check "status table: the data plane, the control plane, PostgreSQL and RabbitMQ are up" \
  has_lines "$T_DIR/status.txt" "^ +dataplane +dp-call +127\.0\.0\.1:$DP_PORT +up " \
    "^ +controlplane +cp-call +${API//./\\.} +up " "^ +postgres .* up " "^ +rabbitmq .* up "
bctl --json status > "$T_DIR/status.json" || true
check "status JSON: four nodes up, versions and uptimes of the daemons" \
  jq -e '.state == "up" and (.nodes | length) == 4 and ([.nodes[] | select(.state == "up")] | length) == 4
         and ([.nodes[] | select(.kind == "dataplane" or .kind == "controlplane")
               | select((.version | length) > 0 and .uptime_s >= 0)] | length) == 2' "$T_DIR/status.json"
check "status: a node that does not answer gives exit 3" \
  test "$(rc_of bctl --control 127.0.0.1:1 --control "127.0.0.1:$DP_PORT" status)" = 3
bctl --json --control 127.0.0.1:1 status > "$T_DIR/status-down.json" || true
check "status JSON: the unreachable node is named" \
  jq -e '.state == "unreachable" and
         ([.nodes[] | select(.address == "127.0.0.1:1" and .state == "unreachable")] | length == 1)' \
    "$T_DIR/status-down.json"

# --- registrations of the devices call_lib.sh registered
bctl --json registrations list > "$T_DIR/regs.json" || true
check "registrations list JSON: alice and bob from bugle-pub" \
  jq -e '[.registrations[] | select(.username == "alice" or .username == "bob")] | length == 2' "$T_DIR/regs.json"
bctl registrations list --account "$acct" > "$T_DIR/regs.txt" || true
check "registrations list table: a row per device" \
  has_lines "$T_DIR/regs.txt" "^ +alice +$realm " "^ +bob +$realm "
check "registrations list: a wrong API key is refused (exit 1)" \
  test "$(rc_of "$BUILD/buglectl" --api "$API" --api-key "0$KEY" registrations list)" = 1
check "calls list: no API key is a usage error (exit 2)" \
  test "$(BUGLE_API_KEY='' rc_of "$BUILD/buglectl" --api "$API" calls list)" = 2
check "calls list: an API that does not answer gives exit 3" \
  test "$(rc_of "$BUILD/buglectl" --api http://127.0.0.1:1 --api-key "$KEY" calls list)" = 3

# --- calls list / show / kill of a live call: both devices get a BYE
bob_answers killed callee
alice_calls killed "$CALL_SCN/caller_hung_up.xml" 1002 &
alice=$!
cleanup_push "kill $alice 2>/dev/null || true"
answered() { bctl --json calls show killed-1 2>/dev/null | jq -e '.answered == true' > /dev/null; }
check "calls show: the live call is answered" wait_for 20 answered
bctl --json calls list > "$T_DIR/calls.json"
check "calls list JSON: the call's channel with its account" \
  jq -e --arg a "$acct" '[.channels[] | select(.uuid == "killed-1" and .account_id == $a)] | length == 1' "$T_DIR/calls.json"
bctl calls list > "$T_DIR/calls.txt" || true
check "calls list table: the call's row" has_lines "$T_DIR/calls.txt" "^ +killed-1 +$acct +"
bctl calls show killed-1 > "$T_DIR/call.txt" || true
check "calls show table: the call's fields" has_lines "$T_DIR/call.txt" "^uuid +killed-1\$" "^answered +true\$"
check "calls kill: exit 0" test "$(rc_of bctl calls kill killed-1)" = 0
rc=0; wait "$alice" || rc=$?
check "calls kill: alice got the BYE and answered it" test "$rc" = 0
rc=0; wait "$BOB" || rc=$?
check "calls kill: bob got the BYE and answered it" test "$rc" = 0
check "calls show: the killed call is gone (exit 1)" test "$(rc_of bctl calls show killed-1)" = 1
check "calls kill: an unknown call gives exit 1" test "$(rc_of bctl calls kill no-such-call)" = 1
check "calls kill: CALL-ID and --all together are a usage error" \
  test "$(rc_of bctl calls kill killed-1 --all)" = 2

# --- drain the control plane: the live call goes on and ends normally, a new one gets 503
bob_answers held callee
alice_calls held "$OPS_SCN/caller_holds.xml" 1002 -d 8000 &
alice=$!
cleanup_push "kill $alice 2>/dev/null || true"
held_up() { bctl --json calls show held-1 2>/dev/null | jq -e '.answered == true' > /dev/null; }
check "drain: the call to keep is up" wait_for 20 held_up
rc=0; bctl --json drain "$API" --no-wait > "$T_DIR/drain.json" || rc=$?
check "drain --no-wait: exit 0" test "$rc" = 0
check "drain --no-wait: draining, not drained, a live call" \
  jq -e '.draining == true and .drained == false and .live > 0' "$T_DIR/drain.json"
bctl --json status > "$T_DIR/status-draining.json" || true
check "drain: status shows the control plane draining, still up" \
  jq -e '.state == "up" and ([.nodes[] | select(.kind == "controlplane" and .state == "draining")] | length == 1)' \
    "$T_DIR/status-draining.json"
refused_503() {
  in_pub env -C "$T_DIR" timeout 30 sipp 192.0.2.1:5060 -sf "$OPS_SCN/caller_503.xml" -s alice \
    -key dom "$realm" -key to 1002 -cid_str 'refused-%u' -i 192.0.2.12 -p 5072 -m 1 \
    -timeout 20s -timeout_error -trace_err -trace_msg -message_file "$T_DIR/refused.msg" \
    -error_file "$T_DIR/refused.err" -nostdin > "$T_DIR/refused.out" 2>&1
}
check "drain: a new INVITE is refused 503" refused_503
check "drain: the 503 says when to retry" grep -q '^Retry-After: [0-9]' "$T_DIR/refused.msg"
rc=0; bctl drain "$API" --timeout 60 > "$T_DIR/drained.txt" || rc=$?
check "drain: waits for the live call to end (exit 0)" test "$rc" = 0
check "drain: then says drained" test "$(tail -n 1 "$T_DIR/drained.txt")" = drained
rc=0; wait "$alice" || rc=$?
check "drain: the live call ended normally (alice's BYE answered 200)" test "$rc" = 0
rc=0; wait "$BOB" || rc=$?
check "drain: bob's side of the live call passed" test "$rc" = 0
check "undrain: exit 0" test "$(rc_of bctl undrain "$API")" = 0
bctl --json status > "$T_DIR/status2.json"
check "undrain: status shows every node up again, none draining" \
  jq -e '.state == "up" and ([.nodes[] | select(.state == "up")] | length) == 4' "$T_DIR/status2.json"
bob_answers after callee
check "undrain: a new call passes" alice_calls after "$CALL_SCN/caller.xml" 1002
rc=0; wait "$BOB" || rc=$?
check "undrain: bob's side of the new call passed" test "$rc" = 0
rc=0; bctl drain "127.0.0.1:$DP_PORT" --timeout 30 > "$T_DIR/dp-drained.txt" || rc=$?
check "drain of a data plane by control address: exit 0" test "$rc" = 0
check "drain of a data plane: no sessions left, drained" test "$(tail -n 1 "$T_DIR/dp-drained.txt")" = drained
check "undrain of the data plane: exit 0" test "$(rc_of bctl undrain "127.0.0.1:$DP_PORT")" = 0
check "drain: without NODE is a usage error" test "$(rc_of bctl drain)" = 2

# --- both daemons take --log-format json (and refuse a format they do not know)
check "bugle-controlplane --log-format json is a valid configuration" \
  "$BUILD/bugle-controlplane" -c "$REPO/deploy/config/controlplane.ini" --log-format json --check-config
check "bugle-controlplane --log-format xml is refused (exit 2)" \
  test "$(rc_of "$BUILD/bugle-controlplane" -c "$REPO/deploy/config/controlplane.ini" --log-format xml --check-config)" = 2
check "bugle-dataplane --log-format xml is refused before it starts (exit 2)" \
  test "$(rc_of timeout 20 "$BUILD/bugle-dataplane" -c "$REPO/deploy/config/dataplane.ini" --log-format xml)" = 2

# --- --help on every group and every command answers with its usage, exit 0
help_ok=1
for g in $("$BUILD/buglectl" --help | sed -n 's/^  \([a-z]\+\) .*/\1/p' | sort -u); do
  out=$("$BUILD/buglectl" "$g" --help 2>&1) || { echo "$g --help: not exit 0"; help_ok=0; }
  [[ $out == "usage: buglectl"* ]] || { echo "$g --help: no usage"; help_ok=0; }
  [[ $out == *"$g COMMAND"* ]] || continue   # a command by itself (status, drain, undrain)
  for name in $(echo "$out" | sed -n "s/^  $g \([a-z-]\+\).*/\1/p"); do
    out=$("$BUILD/buglectl" "$g" "$name" --help 2>&1) || { echo "$g $name --help: not exit 0"; help_ok=0; }
    [[ $out == "usage: buglectl [OPTIONS] $g $name"* ]] || { echo "$g $name --help: no usage"; help_ok=0; }
  done
done
check "--help: every group and command prints its usage" test "$help_ok" = 1

finish
