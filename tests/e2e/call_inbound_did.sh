#!/usr/bin/env bash
# Inbound DIDs from a carrier, through the whole stack: an INVITE without credentials from an
# address a carrier resource of the account lists (a gateway's server, or the resource's `ips`)
# is taken for that account and routed by the dialed number to its callflow, which rings bob;
# RTP flows through the data plane and the call has a CDR. The same INVITE from an address no
# resource lists (whatever its From says) gets the 407 challenge.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"
. "$E2E_DIR/call_trunks_lib.sh"

resource res-inbound '{"name": "inbound carrier", "rules": [],
  "gateways": [{"server": "192.0.2.15", "port": 5090}], "ips": ["192.0.2.16"]}'
callflow cf-did '{"numbers": ["'"$DID"'"], "flow": {"module": "device", "data": {"id": "dev-bob"}}}'

bob_answers did callee
carrier_calls_bg did "$(held 3000)" 192.0.2.15 "$DID"
check "RTP flows between the carrier and bob through the data plane" wait_for 15 flowing did-1
check "the carrier's call (gateway address) to the DID is answered without a challenge" \
  wait "$CARRIER_CALL"
check "bob was rung, answered, took the ACK and the BYE" wait "$BOB"
check "the carrier saw no 407" bash -c "! grep -q '^SIP/2.0 407' '$T_DIR/did-carrier.msg'"
check "bob saw the outside caller's number" \
  grep -q '^From: "Outside caller" <sip:+15550001111@' "$T_DIR/did-bob.msg"
call_over "" did NORMAL_CLEARING "the carrier" bob

bob_answers ips callee
check "a call from an address in the resource's ips, to the DID without +, is answered" \
  carrier_calls ips "$(held 500)" 192.0.2.16 "$DID_DIGITS"
check "bob answered the call from the ips address" wait "$BOB"

check "a call from an unlisted address gets the 407 challenge" \
  carrier_calls stranger "$CALL_SCN/carrier_challenged.xml" 192.0.2.17 "$DID"

# The number registry decides whose a DID is. A second account behind the same carrier address,
# its id sorting first, cannot claim the DID; a number this account holds only in the registry
# (its callflow matches it by pattern) reaches bob, not the second account's no_match callflow
# that the account-id order alone would pick.
other="0000$(python3 -c 'import uuid; print(uuid.uuid4().hex[4:])')"
cleanup_push "psql_q \"SELECT bugle_account_delete('$other')\" >/dev/null 2>&1 || true"
psql_q "SELECT bugle_account_create('$other', NULL, 'e2e other $realm', 'other-$realm', NULL, '{}')" >/dev/null
psql_q "INSERT INTO documents (account_id, id, type, data) VALUES ('$other', 'res-other', 'resource',
  '{\"name\": \"same carrier\", \"rules\": [], \"gateways\": [{\"server\": \"192.0.2.15\", \"port\": 5090}]}'),
  ('$other', 'cf-other', 'callflow', '{\"numbers\": [\"no_match\"], \"flow\": {\"module\": \"device\", \"data\": {\"id\": \"nobody\"}}}')"
steal=$(psql "$(pg_conninfo)" -Atqc "INSERT INTO documents (account_id, id, type, data) VALUES
  ('$other', 'cf-steal', 'callflow', '{\"numbers\": [\"$DID\"]}')" 2>&1 || true)
check "the second account's callflow claiming the DID is refused" \
  grep -q "number $DID is in use by another account" <<< "$steal"
check "the registry has the DID with this account" \
  test "$(psql_q "SELECT account_id FROM numbers WHERE number = '$DID'")" = "$acct"
DID2_DIGITS=1556${DID_DIGITS:4}
check "this account takes a second number through the API" \
  test "$(api PUT "phone_numbers/+$DID2_DIGITS" | jq -r .data.assigned_to)" = "$acct"
callflow cf-did2 '{"patterns": ["^'"$DID2_DIGITS"'$"], "flow": {"module": "device", "data": {"id": "dev-bob"}}}'
bob_answers registry callee
check "the carrier's call to that number reaches bob" \
  carrier_calls registry "$(held 500)" 192.0.2.15 "+$DID2_DIGITS"
check "bob answered it" wait "$BOB"
psql_q "SELECT bugle_account_delete('$other')" >/dev/null

finish
