#!/usr/bin/env bash
# Outbound through carrier resources, through the whole stack: alice dials a NANP number that
# a pattern callflow sends to the `resources` module; carrier-1 (weight 10, 192.0.2.13) answers
# 503 and the call fails over to carrier-2 (weight 20, 192.0.2.14), whose gateway wants digest
# (401) and gets the resource's credentials, takes the number with its prefix and answers. RTP
# flows through the data plane between alice and carrier-2; both legs have CDRs.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"
. "$E2E_DIR/call_trunks_lib.sh"

callflow cf-offnet '{"patterns": ["^\\+?1\\d{10}$"], "flow": {"module": "resources", "data": {}}}'
resource res-carrier-1 '{"name": "carrier one", "weight_cost": 10, "rules": ["^\\+?1\\d{10}$"],
  "gateways": [{"server": "192.0.2.13", "port": 5080}]}'
resource res-carrier-2 '{"name": "carrier two", "weight_cost": 20, "rules": ["^\\+?1\\d{10}$"],
  "gateways": [{"server": "192.0.2.14", "port": 5080, "prefix": "9", "realm": "carrier.e2e.test",
                "username": "trunk-user", "password": "trunk-pass"}]}'
# A resource whose rules do not match is never tried: nobody listens at .15.
resource res-carrier-0 '{"name": "intl only", "weight_cost": 1, "rules": ["^011\\d+$"],
  "gateways": [{"server": "192.0.2.15", "port": 5080}]}'

carrier c1 "$CALL_SCN/carrier_refuses.xml" 192.0.2.13 5080 45000
c1=$CARRIER
carrier c2 "$CALL_SCN/carrier_answers_auth.xml" 192.0.2.14 5080 46000 \
  -key user trunk-user -key pass trunk-pass
c2=$CARRIER
alice_calls_bg out "$CALL_SCN/caller.xml" 15551234567

check "RTP flows between alice and carrier-2 through the data plane" wait_for 15 flowing out-1
check "alice's outbound call is answered (after carrier-1's 503)" wait "$ALICE"
check "carrier-1 got the INVITE first, with the data plane's SDP, and answered 503" wait "$c1"
check "carrier-2 challenged, got valid credentials, answered and took the BYE" wait "$c2"
check "carrier-1 was sent the number as dialed" \
  grep -q '^INVITE sip:15551234567@192\.0\.2\.13:5080 SIP/2\.0' "$T_DIR/c1.msg"
check "carrier-2 was sent the number with its prefix, twice (401, then credentials)" \
  test "$(grep -c '^INVITE sip:915551234567@192\.0\.2\.14:5080 SIP/2\.0' "$T_DIR/c2.msg")" = 2
check "carrier-2's second INVITE carried the resource's user name" \
  grep -q '^Authorization: Digest username="trunk-user"' "$T_DIR/c2.msg"
check "nothing the carriers received names an internal address" \
  no_internal_address "$T_DIR/c1.msg" "$T_DIR/c2.msg"
check "the media session is deleted after the BYE" wait_for 10 no_session out-1
check "alice's CDR: normal clearing" wait_for 15 cdr out-1 '.hangup_cause == "NORMAL_CLEARING"'
c1_leg=$(leg_call_id "$T_DIR/c1.msg")
c2_leg=$(leg_call_id "$T_DIR/c2.msg")
check "carrier-1's leg has a CDR: refused 503" wait_for 15 cdr "$c1_leg" \
  '.hangup_cause == "NORMAL_TEMPORARY_FAILURE"'
check "carrier-2's leg has a CDR: normal clearing" wait_for 15 cdr "$c2_leg" \
  '.hangup_cause == "NORMAL_CLEARING"'

# Every carrier refuses: the caller gets the last carrier's answer.
carrier c1b "$CALL_SCN/carrier_refuses.xml" 192.0.2.13 5080 45000
c1=$CARRIER
carrier c2b "$CALL_SCN/carrier_refuses.xml" 192.0.2.14 5080 46000
c2=$CARRIER
check "every carrier refuses: alice gets 503" alice_calls none "$(refused 503)" 15551234567
check "every carrier refuses: carrier-1 was tried" wait "$c1"
check "every carrier refuses: carrier-2 was tried after it" wait "$c2"

finish
