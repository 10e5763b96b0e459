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

# flowing CALL_ID: RTP goes both ways through the call's media session.
flowing() {
  ctl session query "$1" > "$T_DIR/$1.json" 2>/dev/null &&
    jq -e '([.legs[] | select(.rx_packets > 20 and .tx_packets > 20)] | length) == 2' \
      "$T_DIR/$1.json" > /dev/null
}

bob_answers user callee_ringing
answers user callee bob2 192.0.2.12 5072 43000
bob2=$ANSWERER
alice_calls user "$CALL_SCN/caller.xml" 2001 &
alice=$!
check "user: RTP flows between alice and the device that answered" wait_for 15 flowing user-1
rc=0; wait "$alice" || rc=$?
check "user: alice's call to both of bob's devices is answered" test "$rc" = 0
rc=0; wait "$bob2" || rc=$?
check "user: bob2 answered, took the ACK and the BYE" test "$rc" = 0
rc=0; wait "$BOB" || rc=$?
check "user: bob rang too and was CANCELled once bob2 answered" test "$rc" = 0
check "user: no media session left" wait_for 10 no_session user-1

bob_answers single callee_busy
answers single callee bob2 192.0.2.12 5072 43000
bob2=$ANSWERER
alice_calls single "$CALL_SCN/caller.xml" 2002 &
alice=$!
check "single: RTP flows between alice and the second member" wait_for 20 flowing single-1
rc=0; wait "$alice" || rc=$?
check "single: alice's call is answered by the second member" test "$rc" = 0
rc=0; wait "$BOB" || rc=$?
check "single: the first member was rung first and was busy" test "$rc" = 0
rc=0; wait "$bob2" || rc=$?
check "single: the second member answered after that" test "$rc" = 0
# first_rx FILE: the time of the first message in a sipp -trace_msg file (HH:MM:SS.us).
first_rx() { head -1 "$1" | awk '{print $3}'; }
check "single: bob's INVITE came before bob2's" \
  bash -c "[[ '$(first_rx "$T_DIR/single-bob.msg")' < '$(first_rx "$T_DIR/single-bob2.msg")' ]]"

finish
