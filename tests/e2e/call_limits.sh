#!/usr/bin/env bash
# Per-account concurrent-call limits, through the whole stack: the account's limits document
# gives it one twoway trunk. While a carrier's call to a DID holds it, a second inbound call and
# an outbound call through the carrier are both answered 503 with
# Reason: Q.850;cause=34;text="limit exceeded"; once it is over an outbound call gets through,
# and while that one holds the trunk another inbound call is refused. Refused calls have CDRs.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"
. "$E2E_DIR/call_trunks_lib.sh"

psql_q "INSERT INTO documents (account_id, id, type, data) VALUES ('$acct', 'limits', 'limits',
        '{\"twoway_trunks\": 1, \"allow_prepay\": true}')"
resource res-trunk '{"name": "trunk", "rules": ["^\\+?1\\d{10}$"],
  "gateways": [{"server": "192.0.2.14", "port": 5080}], "ips": ["192.0.2.15", "192.0.2.16"]}'
callflow cf-did '{"numbers": ["'"$DID"'"], "flow": {"module": "device", "data": {"id": "dev-bob"}}}'
callflow cf-offnet '{"patterns": ["^\\+?1\\d{10}$"], "flow": {"module": "resources", "data": {}}}'
LIMIT_REASON='^Reason: Q\.850;cause=34;text="limit exceeded"'

# The first inbound call takes the trunk.
bob_answers first callee
carrier_calls first "$(held 10000)" 192.0.2.15 "$DID" &
first=$!
cleanup_push "kill $first 2>/dev/null || true"
check "the first inbound call is up, RTP flowing" wait_for 15 flowing first-1

check "a second inbound call is refused 503 with the limit's Reason" \
  carrier_calls second "$CALL_SCN/carrier_calls_limited.xml" 192.0.2.16 "$DID"
check "an outbound call meanwhile is refused 503 (the twoway trunk is taken)" \
  alice_calls outfull "$(refused 503)" 15551234567
check "the outbound refusal carries the limit's Reason" \
  grep -q "$LIMIT_REASON" "$T_DIR/outfull-caller.msg"

check "the first inbound call went on undisturbed" wait "$first"
check "bob answered the first call and took its BYE" wait "$BOB"
check "the first call's media session is deleted" wait_for 10 no_session first-1

# The trunk is free again: outbound gets through, and holds it.
carrier gw "$CALL_SCN/callee.xml" 192.0.2.14 5080 46000
gw=$CARRIER
# alice holds this call 8 s (caller.xml: 3 s), time for the refused call below.
sed 's/pause milliseconds="3000"/pause milliseconds="8000"/' "$CALL_SCN/caller.xml" \
  > "$T_DIR/caller_8s.xml"
alice_calls_bg out "$T_DIR/caller_8s.xml" 15551234567
check "the outbound call is up once the trunk is free, RTP flowing" wait_for 15 flowing out-1
check "an inbound call while the outbound one holds the trunk is refused 503" \
  carrier_calls third "$CALL_SCN/carrier_calls_limited.xml" 192.0.2.16 "$DID"
check "the outbound call passed" wait "$ALICE"
check "the carrier answered the outbound call and took its BYE" wait "$gw"

check "the refused inbound call has a CDR (503)" wait_for 15 cdr second-1 \
  '.hangup_cause == "NORMAL_TEMPORARY_FAILURE"'
check "the refused outbound call has a CDR (503)" wait_for 15 cdr outfull-1 \
  '.hangup_cause == "NORMAL_TEMPORARY_FAILURE"'
check "the first call's CDR: normal clearing" wait_for 15 cdr first-1 \
  '.hangup_cause == "NORMAL_CLEARING"'

finish
