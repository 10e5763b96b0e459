#!/usr/bin/env bash
# Do not disturb and call forward through the whole stack, as the callflow modules implement
# them: bob dials the feature codes (*78/*79 do_not_disturb activate/deactivate, *72<number>/*73
# call_forward activate/deactivate, callflows matched by pattern) and his own device document
# changes; alice's calls to him are refused busy (486) while DND is on, whether set by the
# feature code or in the device document, and ring him again once it is off.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

# A feature code's flow ends in a response: 603 once the setting is saved, 404 when it failed.
done_resp='"_": {"module": "response", "data": {"code": 603, "message": "Feature Applied"}},
  "failed": {"module": "response", "data": {"code": 404, "message": "Feature Failed"}}'
# The device module reports a phone in DND as busy (486) without ringing it, and with no child
# for that the caller is answered 486. Were DND ignored, bob's phone (nobody listening while DND
# is on) would be rung and the caller would get 480 after the ring timeout.
bob_callflow 1002
callflow cf-dnd-on '{"patterns": ["^\\*78$"], "flow": {"module": "do_not_disturb",
  "data": {"action": "activate"}, "children": {'"$done_resp"'}}}'
callflow cf-dnd-off '{"patterns": ["^\\*79$"], "flow": {"module": "do_not_disturb",
  "data": {"action": "deactivate"}, "children": {'"$done_resp"'}}}'
callflow cf-cfw-on '{"patterns": ["^\\*72(\\d+)$"], "flow": {"module": "call_forward",
  "data": {"action": "activate"}, "children": {'"$done_resp"'}}}'
callflow cf-cfw-off '{"patterns": ["^\\*73$"], "flow": {"module": "call_forward",
  "data": {"action": "deactivate"}, "children": {'"$done_resp"'}}}'

# bob_dials NAME NUMBER SCENARIO: bob (192.0.2.11:5071) calls NUMBER; succeeds when sipp passed.
bob_dials() {
  in_pub env -C "$T_DIR" timeout 60 sipp 192.0.2.1:5060 -sf "$3" -s bob -au bob -ap secret-b \
    -key dom "$realm" -key to "$2" -cid_str "$1-%u" -i 192.0.2.11 -p 5071 -mp 42000 -m 1 \
    -timeout 50s -timeout_error -trace_err -trace_msg -message_file "$T_DIR/$1-bob.msg" \
    -error_file "$T_DIR/$1-bob.err" -nostdin > "$T_DIR/$1-bob.out" 2>&1
}
# setting DEVICE PATH: a value of the device document, as text ("" when absent).
setting() { psql_q "SELECT coalesce(data #>> '{$2}', '') FROM documents WHERE account_id = '$acct' AND id = '$1'"; }
applied=$(refused 603)
busy=$(refused 486)

# --- do not disturb by feature code
check "*78: bob's feature code is applied" bob_dials dnd-on '*78' "$applied"
check "*78: bob's device has do_not_disturb.enabled" test "$(setting dev-bob do_not_disturb,enabled)" = true
check "*78: alice's device is untouched" test "$(setting dev-alice do_not_disturb,enabled)" = ""
check "DND on: alice's call to bob is refused busy, bob's phone not rung" \
  alice_calls dnd1 "$busy" 1002
check "DND on: the caller's CDR says USER_BUSY" \
  wait_for 10 bash -c "[ \"\$(psql '$(pg_conninfo)' -Atc \"SELECT hangup_cause FROM cdrs WHERE account_id = '$acct' AND call_id = 'dnd1-1'\")\" = USER_BUSY ]"
check "*79: bob's feature code is applied" bob_dials dnd-off '*79' "$applied"
check "*79: do_not_disturb.enabled is false again" test "$(setting dev-bob do_not_disturb,enabled)" = false
bob_answers dnd2 callee
check "DND off: alice's call rings bob and is answered" alice_calls dnd2 "$CALL_SCN/caller.xml" 1002
check "DND off: bob's side passed" wait "$BOB"

# --- do not disturb in the device document (as the API writes it)
device_merge dev-bob '{"do_not_disturb": {"enabled": true}}'
check "DND in the device document: alice's call is refused busy" alice_calls dnd3 "$busy" 1002
device_merge dev-bob '{"do_not_disturb": {"enabled": false}}'

# --- call forward by feature code: the number comes from the pattern's capture
check "*72: bob's feature code with a number is applied" bob_dials cfw-on '*721003' "$applied"
check "*72: call_forward enabled with the dialed number" \
  test "$(setting dev-bob call_forward,enabled) $(setting dev-bob call_forward,number)" = "true 1003"
check "*73: bob's feature code is applied" bob_dials cfw-off '*73' "$applied"
check "*73: call_forward disabled, the number kept" \
  test "$(setting dev-bob call_forward,enabled) $(setting dev-bob call_forward,number)" = "false 1003"
bob_answers cfw2 callee
check "forward off: alice's call rings bob and is answered" alice_calls cfw2 "$CALL_SCN/caller.xml" 1002
check "forward off: bob's side passed" wait "$BOB"

finish
