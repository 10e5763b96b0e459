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
. "$E2E_DIR/call_forward_lib.sh"

callflow cf-2002 '{"numbers": ["2002"], "flow": {"module": "ring_group", "data": {
  "ignore_forward": false, "endpoints": [{"id": "dev-bob", "endpoint_type": "device"}]}}}'
resource res-fwd '{"name": "forward carrier", "rules": ["^\\+?1\\d{10}$"],
  "gateways": [{"server": "192.0.2.13", "port": 5080}]}'
psql_q "UPDATE documents SET data = data || '{\"caller_id\": {\"external\": {\"name\": \"Bob Out\",
          \"number\": \"+15550001002\"}}}' WHERE account_id = '$acct' AND id = 'dev-bob'"

# other_leg CALL_ID OTHER: the CDR of CALL_ID names OTHER as its other leg.
other_leg() {
  [ "$(psql_q "SELECT data->>'other_leg_call_id' FROM cdrs WHERE account_id = '$acct'
                 AND call_id = '$1'")" = "$2" ]
}

# --- to a local extension
forward '{"enabled": true, "number": "1003", "require_keypress": false}'
charlie_answers local callee
calls_bob local
answered_by local local charlie "$CHARLIE"
check "local: the INVITE went to charlie's registered contact" at_charlies_contact local
call_over local local NORMAL_CLEARING alice charlie
check "local: charlie's leg is the other leg of alice's call" \
  other_leg "$(leg_call_id "$T_DIR/local-charlie.msg")" local-1

# --- to an outside number, through the carrier, with bob's external caller id
forward '{"enabled": true, "number": "+1 555 765 4321", "keep_caller_id": false,
          "require_keypress": false}'
carrier out "$CALL_SCN/callee.xml" 192.0.2.13 5080 45000
calls_bob out
answered_by outside out "the carrier" "$CARRIER"
check "outside: the carrier was sent the forward number" \
  sent_forward_number 192.0.2.13 "$T_DIR/out.msg"
check "outside: the carrier sees bob's external caller id, not alice's" \
  grep -q '^From: "Bob Out" <sip:+15550001002@' "$T_DIR/out.msg"
out_leg=$(leg_call_id "$T_DIR/out.msg")
check "outside: the carrier leg has a CDR" wait_for 15 cdr "$out_leg" \
  '.hangup_cause == "NORMAL_CLEARING"'

# --- substitute false: both ring, the first to answer wins
forward '{"enabled": true, "number": "1003", "substitute": false, "require_keypress": false}'
bob_answers both callee_ringing
charlie_answers both callee
calls_bob both
answered_by "substitute false" both charlie "$CHARLIE"
check "substitute false: bob rang too and was CANCELled" wait "$BOB"

# --- direct_calls_only: a group call rings bob, a direct call goes to charlie
forward '{"enabled": true, "number": "1003", "direct_calls_only": true,
          "require_keypress": false}'
bob_answers group callee
alice_calls_bg group "$CALL_SCN/caller.xml" 2002
check "direct_calls_only: the group's call is answered" wait "$ALICE"
check "direct_calls_only: bob himself got the group's call" wait "$BOB"
charlie_answers direct callee
check "direct_calls_only: a direct call to bob is answered" \
  alice_calls direct "$CALL_SCN/caller.xml" 1002
check "direct_calls_only: charlie got the direct call" wait "$CHARLIE"

finish
