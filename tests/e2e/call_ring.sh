#!/usr/bin/env bash
# Ringing more than one device, through the whole stack: a user with two devices rings both at
# once, the second answers and the first is CANCELled; a ring group with the single strategy
# rings its members in order, the first is busy and the second answers. RTP flows through the
# data plane to whichever device answered.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

new_device "$acct" bob2 secret-b2
psql_q "INSERT INTO documents (account_id, id, type, data) VALUES ('$acct', 'user-bob', 'user',
        '{\"first_name\": \"Bob\", \"last_name\": \"Builder\"}')"
psql_q "UPDATE documents SET data = data || '{\"owner_id\": \"user-bob\"}'
         WHERE account_id = '$acct' AND id IN ('dev-bob', 'dev-bob2')"
check "bob's second device registers through the data plane" reg bob2 secret-b2 192.0.2.12 5072
callflow cf-2001 '{"numbers": ["2001"], "flow": {"module": "user", "data": {"id": "user-bob"}}}'
callflow cf-2002 '{"numbers": ["2002"], "flow": {"module": "ring_group", "data": {
  "strategy": "single", "timeout": 20,
  "endpoints": [{"id": "dev-bob", "endpoint_type": "device", "timeout": 10},
                {"id": "dev-bob2", "endpoint_type": "device", "timeout": 10}]}}}'

# bob2_answers NAME SCENARIO: bob's second device (192.0.2.12:5072) answers; $BOB2 is its pid.
bob2_answers() {
  answers "$1" "$2" bob2 192.0.2.12 5072 43000
  BOB2=$ANSWERER
}

bob_answers user callee_ringing
bob2_answers user callee
alice_calls_bg user "$CALL_SCN/caller.xml" 2001
check "user: RTP flows between alice and the device that answered" wait_for 15 flowing user-1
check "user: alice's call to both of bob's devices is answered" wait "$ALICE"
check "user: bob2 answered, took the ACK and the BYE" wait "$BOB2"
check "user: bob rang too and was CANCELled once bob2 answered" wait "$BOB"
check "user: no media session left" wait_for 10 no_session user-1

bob_answers single callee_busy
bob2_answers single callee
alice_calls_bg single "$CALL_SCN/caller.xml" 2002
check "single: RTP flows between alice and the second member" wait_for 20 flowing single-1
check "single: alice's call is answered by the second member" wait "$ALICE"
check "single: the first member was rung first and was busy" wait "$BOB"
check "single: the second member answered after that" wait "$BOB2"
# first_rx FILE: the time of the first message in a sipp -trace_msg file (HH:MM:SS.us).
first_rx() { head -1 "$1" | awk '{print $3}'; }
check "single: bob's INVITE came before bob2's" \
  bash -c "[[ '$(first_rx "$T_DIR/single-bob.msg")' < '$(first_rx "$T_DIR/single-bob2.msg")' ]]"

finish
