#!/usr/bin/env bash
# Call forward rings, through the whole stack, as KAZOO's loopback does: the forward number is
# dialed as if the account dialed it. bob's device forwards; alice calls bob (1002):
# - to 1003, a callflow ringing charlie's device: charlie gets the INVITE and answers, RTP flows
#   through the data plane, and the legs have CDRs;
# - to an outside number no callflow has: it goes out through the account's carrier resource,
#   with bob's external caller id (keep_caller_id false);
# - with substitute false: bob and charlie ring together, charlie answers and bob is CANCELled;
# - with direct_calls_only: a ring group honouring forwards rings bob himself, a direct call
#   goes to charlie.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"
. "$E2E_DIR/call_trunks_lib.sh"

new_device "$acct" charlie secret-c
check "charlie registers through the data plane" reg charlie secret-c 192.0.2.12 5072
callflow cf-1002 '{"numbers": ["1002"], "flow": {"module": "device", "data": {"id": "dev-bob"}}}'
callflow cf-1003 '{"numbers": ["1003"], "flow": {"module": "device", "data": {"id": "dev-charlie"}}}'
callflow cf-2002 '{"numbers": ["2002"], "flow": {"module": "ring_group", "data": {
  "ignore_forward": false, "endpoints": [{"id": "dev-bob", "endpoint_type": "device"}]}}}'
resource res-fwd '{"name": "forward carrier", "rules": ["^\\+?1\\d{10}$"],
  "gateways": [{"server": "192.0.2.13", "port": 5080}]}'
psql_q "UPDATE documents SET data = data || '{\"caller_id\": {\"external\": {\"name\": \"Bob Out\",
          \"number\": \"+15550001002\"}}}' WHERE account_id = '$acct' AND id = 'dev-bob'"

# forward JSON: bob's device call_forward object.
forward() {
  psql_q "UPDATE documents SET data = data || jsonb_build_object('call_forward', '$1'::jsonb)
           WHERE account_id = '$acct' AND id = 'dev-bob'"
}
# charlie_answers NAME SCENARIO: charlie (192.0.2.12:5072) answers; $CHARLIE is its pid.
charlie_answers() {
  answers "$1" "$2" charlie 192.0.2.12 5072 43000
  CHARLIE=$ANSWERER
}
# other_leg CALL_ID OTHER: the CDR of CALL_ID names OTHER as its other leg.
other_leg() {
  [ "$(psql_q "SELECT data->>'other_leg_call_id' FROM cdrs WHERE account_id = '$acct'
                 AND call_id = '$1'")" = "$2" ]
}
# passed PID: the background sipp exited 0.
passed() { local rc=0; wait "$1" || rc=$?; [ "$rc" = 0 ]; }

# --- to a local extension
forward '{"enabled": true, "number": "1003", "require_keypress": false}'
charlie_answers local callee
alice_calls local "$CALL_SCN/caller.xml" 1002 &
alice=$!
cleanup_push "kill $alice 2>/dev/null || true"
check "local: RTP flows between alice and charlie through the data plane" wait_for 15 flowing local-1
check "local: alice's call to bob is answered (by charlie)" passed "$alice"
check "local: charlie got the INVITE, answered and took the BYE" passed "$CHARLIE"
check "local: the INVITE went to charlie's registered contact" \
  grep -q "^INVITE sip:[^ ]*192\\.0\\.2\\.12:5072" "$T_DIR/local-charlie.msg"
check "local: the media session is deleted after the BYE" wait_for 10 no_session local-1
charlie_leg=$(leg_call_id "$T_DIR/local-charlie.msg")
check "local: alice's CDR: normal clearing" wait_for 15 cdr local-1 '.hangup_cause == "NORMAL_CLEARING"'
check "local: charlie's leg has a CDR: normal clearing" wait_for 15 cdr "$charlie_leg" \
  '.hangup_cause == "NORMAL_CLEARING"'
check "local: charlie's leg is the other leg of alice's call" other_leg "$charlie_leg" local-1

# --- to an outside number, through the carrier, with bob's external caller id
forward '{"enabled": true, "number": "+1 555 765 4321", "keep_caller_id": false,
          "require_keypress": false}'
carrier out "$CALL_SCN/callee.xml" 192.0.2.13 5080 45000
c=$CARRIER
alice_calls out "$CALL_SCN/caller.xml" 1002 &
alice=$!
cleanup_push "kill $alice 2>/dev/null || true"
check "outside: RTP flows between alice and the carrier" wait_for 15 flowing out-1
check "outside: alice's call to bob is answered (by the carrier)" passed "$alice"
check "outside: the carrier answered and took the BYE" passed "$c"
check "outside: the carrier was sent the forward number" \
  grep -q '^INVITE sip:15557654321@192\.0\.2\.13:5080 SIP/2\.0' "$T_DIR/out.msg"
check "outside: the carrier sees bob's external caller id, not alice's" \
  grep -q '^From: "Bob Out" <sip:+15550001002@' "$T_DIR/out.msg"
out_leg=$(leg_call_id "$T_DIR/out.msg")
check "outside: the carrier leg has a CDR" wait_for 15 cdr "$out_leg" \
  '.hangup_cause == "NORMAL_CLEARING"'

# --- substitute false: both ring, the first to answer wins
forward '{"enabled": true, "number": "1003", "substitute": false, "require_keypress": false}'
bob_answers both callee_ringing
charlie_answers both callee
alice_calls both "$CALL_SCN/caller.xml" 1002 &
alice=$!
cleanup_push "kill $alice 2>/dev/null || true"
check "substitute false: RTP flows between alice and charlie" wait_for 15 flowing both-1
check "substitute false: alice's call is answered" passed "$alice"
check "substitute false: charlie answered and took the BYE" passed "$CHARLIE"
check "substitute false: bob rang too and was CANCELled" passed "$BOB"

# --- direct_calls_only: a group call rings bob, a direct call goes to charlie
forward '{"enabled": true, "number": "1003", "direct_calls_only": true,
          "require_keypress": false}'
bob_answers group callee
alice_calls group "$CALL_SCN/caller.xml" 2002 &
alice=$!
cleanup_push "kill $alice 2>/dev/null || true"
check "direct_calls_only: the group's call is answered" passed "$alice"
check "direct_calls_only: bob himself got the group's call" passed "$BOB"
charlie_answers direct callee
check "direct_calls_only: a direct call to bob is answered" \
  alice_calls direct "$CALL_SCN/caller.xml" 1002
check "direct_calls_only: charlie got the direct call" passed "$CHARLIE"

finish
