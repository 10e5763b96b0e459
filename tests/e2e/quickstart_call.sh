#!/usr/bin/env bash
# The quickstart's demo against a stack of its own (deploy/stack.sh on free ports, as the stack
# test runs it): "deploy/quickstart.sh --demo" provisions the demo account, phones and callflows
# through the API, registers both phones from bugle-pub, places a call with G.711 audio both
# ways through the data plane and prints its CDRs; a second run reuses what the first made.
. "$(dirname "$0")/lib.sh"

. "$REPO/deploy/lib/free-port.sh"
export BUGLE_STATE_DIR="$T_DIR/state" BUGLE_PG_PORT=$(free_port) BUGLE_AMQP_PORT=$(free_port_pair)
export BUGLE_CONTROL_PORT=$(free_port) BUGLE_API_PORT=$(free_port) BUGLE_BUILD_DIR="$BUILD"
cleanup_push "'$REPO/deploy/stack.sh' down"
cleanup_push "cp '$T_DIR'/state/log/*.log '$T_DIR'/ 2>/dev/null"
cleanup_push "cp -r '$T_DIR'/state/quickstart '$T_DIR'/quickstart-files 2>/dev/null"

check "stack up" "$REPO/deploy/stack.sh" up
db=$("$REPO/deploy/lib/postgres.sh" conninfo "$BUGLE_STATE_DIR/postgres")
q() { psql "$db" -v ON_ERROR_STOP=1 -Atqc "$1"; }

demo() { "$REPO/deploy/quickstart.sh" --demo > "$T_DIR/demo-$1.out" 2>&1; }
check "the quickstart's demo runs to the end" demo 1
cat "$T_DIR/demo-1.out"
call1=$(sed -n 's/^call id: //p' "$T_DIR/demo-1.out")
check "it names the call it placed" test -n "$call1"
acct=$(q "SELECT id FROM accounts WHERE realm = 'demo.bugle.test'")
check "two phones and two callflows, made through the API" \
  test "$(q "SELECT count(*) FROM documents WHERE account_id = '$acct' AND type = 'device'")/$(q "SELECT count(*) FROM documents WHERE account_id = '$acct' AND type = 'callflow'")" = 2/2
check "both phones are registered from bugle-pub" \
  test "$(q "SELECT string_agg(source, ',' ORDER BY source) FROM registrations_live WHERE account_id = '$acct'")" = 192.0.2.10:5070,192.0.2.11:5071
# The media session's figures the demo printed: both legs relayed at least 50 packets each way.
check "the demo saw RTP both ways through the data plane" \
  python3 - "$T_DIR/demo-1.out" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
m = re.search(r'^\{\n  "call_id".*?^\}\n', text, re.S | re.M)
legs = json.loads(m.group(0))["legs"]
assert len(legs) == 2 and all(l["rx_packets"] >= 50 and l["tx_packets"] >= 50 for l in legs), legs
PY
cdr() { q "SELECT direction || ' ' || (data->>'hangup_cause') || ' ' || (billing_seconds >= 3)::text
           FROM cdrs WHERE account_id = '$acct' AND (call_id = '$1' OR data->>'other_leg_call_id' = '$1')
           ORDER BY direction" | paste -sd,; }
check "two CDRs for the call: the caller's leg inbound, the callee's outbound, both answered" \
  test "$(cdr "$call1")" = "inbound NORMAL_CLEARING true,outbound NORMAL_CLEARING true"
check "the demo printed both CDRs as the API returned them" \
  test "$(grep -c '"hangup_cause": "NORMAL_CLEARING"' "$T_DIR/demo-1.out")" = 2

check "the demo runs again" demo 2
call2=$(sed -n 's/^call id: //p' "$T_DIR/demo-2.out")
check "the second run placed a new call" test -n "$call2" -a "$call2" != "$call1"
check "and reused the phones and callflows it found" \
  test "$(q "SELECT count(*) FROM documents WHERE account_id = '$acct' AND type IN ('device', 'callflow')")" = 4
check "the second call has its CDRs too" \
  test "$(cdr "$call2")" = "inbound NORMAL_CLEARING true,outbound NORMAL_CLEARING true"

check "stack down" "$REPO/deploy/stack.sh" down
finish
