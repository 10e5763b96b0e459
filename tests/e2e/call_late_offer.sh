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

# --- device to device
# late_call NAME SCENARIO LABEL: alice calls bob (1002) without SDP with SCENARIO, bob answers:
# RTP flows both ways through the data plane and both calls pass (the checks start with LABEL).
late_call() {
  bob_answers "$1" callee
  alice_calls_bg "$1" "$2" 1002
  check "$3: RTP flows both ways through the data plane" wait_for 15 two_legs_flowing "$1-1"
  check "$3: alice's call passed (200 with our offer at the data plane, ACK answer, BYE)" \
    wait "$ALICE"
  check "$3: bob's call passed (INVITE with the data plane's SDP, 200, ACK, BYE)" wait "$BOB"
}

# acked_without_answer NAME SCENARIO LABEL: alice's ACK to our offer (SCENARIO) carries no
# answer we can relay: alice gets a BYE with cause 488, bob his ACK and a BYE.
acked_without_answer() {
  bob_answers "$1" callee
  check "$3: alice gets a BYE with cause 488" alice_calls "$1" "$2" 1002
  check "$3: bob gets his ACK and a BYE" wait "$BOB"
}

late_call late "$CALL_SCN/caller_late_offer.xml" "delayed offer"
check "delayed offer: bob was offered alice's device codecs and telephone-event" \
  grep -Eq '^m=audio [0-9]+ RTP/AVP 8 0 101' "$T_DIR/late-bob.msg"
check "delayed offer: bob was not asked for 100rel" \
  bash -c "! grep -qi '^Require:.*100rel' '$T_DIR/late-bob.msg'"
check "nothing the devices received names an internal address" \
  no_internal_address "$T_DIR/late-caller.msg" "$T_DIR/late-bob.msg"
check "delayed offer: counted" test "$(cp_counter late_offers)" -ge 1
call_over "delayed offer" late NORMAL_CLEARING alice bob

# --- alice answers PCMA to our offer while bob talks PCMU: the data plane transcodes
before=$(dp_counter relay_xcode_out)
sed -e 's|^\( *m=audio \[rtpstream_audio_port\] RTP/AVP\) 0$|\1 8|' \
    -e 's|a=rtpmap:0 PCMU/8000|a=rtpmap:8 PCMA/8000|' \
    -e 's|silence.ulaw,-1,0|silence.ulaw,-1,8|' \
  "$CALL_SCN/caller_late_offer.xml" > "$T_DIR/caller_late_offer_pcma.xml"
check "the PCMA variant of the caller answers PCMA" \
  grep -q 'RTP/AVP 8$' "$T_DIR/caller_late_offer_pcma.xml"
late_call pcma "$T_DIR/caller_late_offer_pcma.xml" "PCMA answer"
check "PCMA answer: the data plane transcoded between alice's PCMA and bob's PCMU" \
  test "$(dp_counter relay_xcode_out)" -gt "$before"

# --- the ACK carries no answer
acked_without_answer noans "$CALL_SCN/caller_late_no_answer.xml" "no answer in the ACK"
check "no answer in the ACK: counted" test "$(cp_counter late_unanswered)" -ge 1
call_over "no answer in the ACK" noans INCOMPATIBLE_DESTINATION alice bob

# --- the ACK answers in a codec we do not relay (GSM)
acked_without_answer gsm "$CALL_SCN/caller_late_bad_answer.xml" "GSM answer in the ACK"
check "GSM answer in the ACK: counted with the first" test "$(cp_counter late_unanswered)" -ge 2
check "GSM answer in the ACK: alice's CDR says INCOMPATIBLE_DESTINATION" wait_for 15 cdr gsm-1 \
  '.hangup_cause == "INCOMPATIBLE_DESTINATION"'

# --- inbound from a carrier to a DID
# (rules that match no number: the outbound calls below never try it)
resource res-inbound '{"name": "inbound carrier", "rules": ["^inbound only$"],
  "gateways": [{"server": "192.0.2.15", "port": 5090, "codecs": ["PCMU"]}]}'
callflow cf-did '{"numbers": ["'"$DID"'"], "flow": {"module": "device", "data": {"id": "dev-bob"}}}'
bob_answers did callee
carrier_calls_bg did "$CALL_SCN/carrier_calls_late.xml" 192.0.2.15 "$DID"
check "carrier without SDP: RTP flows both ways through the data plane" \
  wait_for 15 two_legs_flowing did-1
check "carrier without SDP: its call passed (200 with our offer, ACK answer, BYE)" \
  wait "$CARRIER_CALL"
check "carrier without SDP: bob answered it" wait "$BOB"
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
check "ring group: bob was offered alice's codecs at the data plane and answered" wait "$BOB"
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
check "Require: 100rel: counted" test "$(cp_counter bad_extension)" -ge 1

finish
