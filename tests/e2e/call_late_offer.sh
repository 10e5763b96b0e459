#!/usr/bin/env bash
# INVITEs without SDP (delayed offer, RFC 3261 §13.2.1) through the whole stack, the B2BUA way:
# - alice (device codecs PCMA, PCMU; Supported: 100rel) calls bob without SDP: bob is offered
#   her codecs at the data plane's address (and no Require: 100rel), answers PCMU; alice's 200
#   offers PCMU (bob's pick), PCMA and telephone-event at the data plane's address; her ACK
#   answers PCMU; RTP flows both ways through the data plane; BYE; CDRs of both legs;
# - alice answers PCMA to our offer (bob talks PCMU): the data plane transcodes;
# - alice ACKs our offer without an answer, or answers GSM (not relayed): both get a BYE
#   (Reason cause=488), the CDRs say INCOMPATIBLE_DESTINATION;
# - a carrier (gateway codecs PCMU) delivers a DID without SDP: bob is offered PCMU, the carrier's
#   ACK answers, RTP flows, CDR;
# - the same call to a ring group, and out through a carrier (offered alice's codecs);
# - an INVITE with Require: 100rel gets 420 Bad Extension with Unsupported: 100rel.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"
. "$E2E_DIR/call_trunks_lib.sh"

bob_callflow 1002
device_merge dev-alice '{"media": {"audio": {"codecs": ["PCMA", "PCMU"]}}}'
# call_metric NAME: the control plane's call counter NAME from its /metrics.
call_metric() {
  curl -s "http://127.0.0.1:$CALL_API_PORT/metrics" |
    awk -v n="$1" '$0 !~ /^#/ && index($0, n) { v = $NF } END { print v + 0 }'
}

# --- device to device
bob_answers late callee
alice_calls late "$CALL_SCN/caller_late_offer.xml" 1002 &
alice=$!
cleanup_push "kill $alice 2>/dev/null || true"
check "delayed offer: RTP flows both ways through the data plane" \
  wait_for 15 two_legs_flowing late-1
rc=0; wait "$alice" || rc=$?
check "delayed offer: alice's call passed (200 with our offer at the data plane, ACK answer, BYE)" \
  test "$rc" = 0
rc=0; wait "$BOB" || rc=$?
check "delayed offer: bob's call passed (INVITE with the data plane's SDP, 200, ACK, BYE)" \
  test "$rc" = 0
check "delayed offer: bob was offered alice's device codecs and telephone-event" \
  grep -Eq '^m=audio [0-9]+ RTP/AVP 8 0 101' "$T_DIR/late-bob.msg"
check "delayed offer: bob was not asked for 100rel" \
  bash -c "! grep -qi '^Require:.*100rel' '$T_DIR/late-bob.msg'"
check "nothing the devices received names an internal address" \
  no_internal_address "$T_DIR/late-caller.msg" "$T_DIR/late-bob.msg"
check "delayed offer: counted" test "$(call_metric late_offers)" -ge 1
check "delayed offer: the media session is deleted after the BYE" wait_for 10 no_session late-1
check "delayed offer: alice's leg has a CDR: normal clearing" wait_for 15 cdr late-1 \
  '.hangup_cause == "NORMAL_CLEARING"'
check "delayed offer: bob's leg has a CDR: normal clearing" wait_for 15 cdr \
  "$(leg_call_id "$T_DIR/late-bob.msg")" '.hangup_cause == "NORMAL_CLEARING"'

# --- alice answers PCMA to our offer while bob talks PCMU: the data plane transcodes
before=$(dp_counter relay_xcode_out)
sed -e 's|^\( *m=audio \[rtpstream_audio_port\] RTP/AVP\) 0$|\1 8|' \
    -e 's|a=rtpmap:0 PCMU/8000|a=rtpmap:8 PCMA/8000|' \
    -e 's|silence.ulaw,-1,0|silence.ulaw,-1,8|' \
  "$CALL_SCN/caller_late_offer.xml" > "$T_DIR/caller_late_offer_pcma.xml"
check "the PCMA variant of the caller answers PCMA" \
  grep -q 'RTP/AVP 8$' "$T_DIR/caller_late_offer_pcma.xml"
bob_answers pcma callee
alice_calls pcma "$T_DIR/caller_late_offer_pcma.xml" 1002 &
alice=$!
cleanup_push "kill $alice 2>/dev/null || true"
check "PCMA answer: RTP flows both ways through the data plane" wait_for 15 two_legs_flowing pcma-1
rc=0; wait "$alice" || rc=$?
check "PCMA answer: alice's call passed" test "$rc" = 0
rc=0; wait "$BOB" || rc=$?
check "PCMA answer: bob's call passed" test "$rc" = 0
check "PCMA answer: the data plane transcoded between alice's PCMA and bob's PCMU" \
  test "$(dp_counter relay_xcode_out)" -gt "$before"

# --- the ACK carries no answer
bob_answers noans callee
check "no answer in the ACK: alice gets a BYE with cause 488" \
  alice_calls noans "$CALL_SCN/caller_late_no_answer.xml" 1002
rc=0; wait "$BOB" || rc=$?
check "no answer in the ACK: bob gets his ACK and a BYE" test "$rc" = 0
check "no answer in the ACK: counted" test "$(call_metric late_unanswered)" -ge 1
check "no answer in the ACK: the media session is deleted" wait_for 10 no_session noans-1
check "no answer in the ACK: alice's CDR says INCOMPATIBLE_DESTINATION" wait_for 15 cdr noans-1 \
  '.hangup_cause == "INCOMPATIBLE_DESTINATION"'
check "no answer in the ACK: bob's CDR says INCOMPATIBLE_DESTINATION" wait_for 15 cdr \
  "$(leg_call_id "$T_DIR/noans-bob.msg")" '.hangup_cause == "INCOMPATIBLE_DESTINATION"'

# --- the ACK answers in a codec we do not relay (GSM)
bob_answers gsm callee
check "GSM answer in the ACK: alice gets a BYE with cause 488" \
  alice_calls gsm "$CALL_SCN/caller_late_bad_answer.xml" 1002
rc=0; wait "$BOB" || rc=$?
check "GSM answer in the ACK: bob gets his ACK and a BYE" test "$rc" = 0
check "GSM answer in the ACK: counted with the first" test "$(call_metric late_unanswered)" -ge 2
check "GSM answer in the ACK: alice's CDR says INCOMPATIBLE_DESTINATION" wait_for 15 cdr gsm-1 \
  '.hangup_cause == "INCOMPATIBLE_DESTINATION"'

# --- inbound from a carrier to a DID
# (rules that match no number: the outbound calls below never try it)
resource res-inbound '{"name": "inbound carrier", "rules": ["^inbound only$"],
  "gateways": [{"server": "192.0.2.15", "port": 5090, "codecs": ["PCMU"]}]}'
callflow cf-did '{"numbers": ["'"$DID"'"], "flow": {"module": "device", "data": {"id": "dev-bob"}}}'
bob_answers did callee
carrier_calls did "$CALL_SCN/carrier_calls_late.xml" 192.0.2.15 "$DID" &
call=$!
cleanup_push "kill $call 2>/dev/null || true"
check "carrier without SDP: RTP flows both ways through the data plane" \
  wait_for 15 two_legs_flowing did-1
rc=0; wait "$call" || rc=$?
check "carrier without SDP: its call passed (200 with our offer, ACK answer, BYE)" test "$rc" = 0
rc=0; wait "$BOB" || rc=$?
check "carrier without SDP: bob answered it" test "$rc" = 0
check "carrier without SDP: bob was offered the gateway's codecs" \
  grep -Eq '^m=audio [0-9]+ RTP/AVP 0 101' "$T_DIR/did-bob.msg"
check "carrier without SDP: the call has a CDR: normal clearing" wait_for 15 cdr did-1 \
  '.hangup_cause == "NORMAL_CLEARING"'

# --- a ring group
callflow cf-2002 '{"numbers": ["2002"], "flow": {"module": "ring_group", "data": {
  "strategy": "simultaneous", "timeout": 20,
  "endpoints": [{"id": "dev-bob", "endpoint_type": "device", "timeout": 10}]}}}'
bob_answers group callee
check "ring group: alice's call without SDP passed (our offer in the 200, her answer in the ACK)" \
  alice_calls group "$CALL_SCN/caller_late_offer.xml" 2002
rc=0; wait "$BOB" || rc=$?
check "ring group: bob was offered alice's codecs at the data plane and answered" test "$rc" = 0
check "ring group: the media session is deleted after the BYE" wait_for 10 no_session group-1

# --- outbound through a carrier
callflow cf-offnet '{"patterns": ["^\\+?1\\d{10}$"], "flow": {"module": "resources", "data": {}}}'
resource res-out '{"name": "outbound carrier", "weight_cost": 10, "rules": ["^\\+?1\\d{10}$"],
  "gateways": [{"server": "192.0.2.13", "port": 5080, "realm": "carrier.e2e.test",
                "username": "trunk-user", "password": "trunk-pass"}]}'
carrier out "$CALL_SCN/carrier_answers_auth.xml" 192.0.2.13 5080 45000 \
  -key user trunk-user -key pass trunk-pass
c_out=$CARRIER
check "outbound: alice's call without SDP through the carrier passed" \
  alice_calls out "$CALL_SCN/caller_late_offer.xml" 15551234567
check "outbound: the carrier was offered alice's codecs at the data plane and took the BYE" \
  wait "$c_out"
check "outbound: the carrier's INVITE offered PCMA, PCMU and telephone-event" \
  grep -Eq '^m=audio [0-9]+ RTP/AVP 8 0 101' "$T_DIR/out.msg"
check "outbound: the media session is deleted after the BYE" wait_for 10 no_session out-1

# --- Require: 100rel
check "Require: 100rel gets 420 with Unsupported: 100rel" \
  alice_calls rel "$CALL_SCN/caller_require_100rel.xml" 1002
check "Require: 100rel: counted" test "$(call_metric bad_extension)" -ge 1

finish
