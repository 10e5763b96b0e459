#!/usr/bin/env bash
# SRTP per device through the whole stack, with SDES keys (RFC 4568) in the SDP; sipp sends
# and checks the SDP but cannot do SRTP itself, so the data plane's side is checked instead.
# An SRTP phone calls a plain RTP device: the caller's 200 is RTP/SAVP with the data plane's
# a=crypto (the very key the data plane's session sends to it with), the callee's INVITE is
# plain RTP/AVP, and the data plane encrypts the callee's audio toward the caller. Then a plain
# phone calls a device whose media.encryption.methods is ["srtp"]: its INVITE is RTP/SAVP with
# our a=crypto, its answer's key goes to the data plane, the caller's 200 stays RTP/AVP and the
# caller's audio is encrypted toward the callee.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

bob_callflow 1002
protected() { dp_counter relay_srtp_protected; }

# --- an SRTP caller to an RTP callee
device_merge dev-alice '{"media": {"encryption": {"methods": ["srtp"]}}}'
before=$(protected)
bob_answers srtp1 callee_rtp
alice_calls_bg srtp1 "$CALL_SCN/caller_srtp.xml" 1002
session_srtp() {
  ctl session query srtp1-1 > "$T_DIR/srtp1.json" 2>/dev/null &&
    jq -e '(.srtp // "") | startswith("AES_CM_128_HMAC_SHA1_80:")' "$T_DIR/srtp1.json" > /dev/null
}
check "SRTP caller: the data plane's session has an SRTP key toward the caller" \
  wait_for 15 session_srtp
encrypting() { [ "$(protected)" -gt $((before + 20)) ]; }
check "SRTP caller: the data plane encrypts the callee's audio toward the caller" \
  wait_for 15 encrypting
check "SRTP caller: alice's call passed (200 RTP/SAVP with an a=crypto of the data plane)" \
  wait "$ALICE"
check "SRTP caller: bob's call passed (a plain RTP/AVP INVITE)" wait "$BOB"
key=$(sed -n 's/^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\([A-Za-z0-9+/]*\).*/\1/p' \
  "$T_DIR/srtp1-caller.msg" | grep -v '^WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz$' | head -1)
check "SRTP caller: the key alice was given is the one the data plane sends with" \
  jq -e --arg k "AES_CM_128_HMAC_SHA1_80:$key" '.srtp == $k' "$T_DIR/srtp1.json"
check "SRTP caller: bob's INVITE carried no keys" \
  bash -c "! grep -q '^a=crypto' '$T_DIR/srtp1-bob.msg'"
check "SRTP caller: the media session is deleted after the BYE" wait_for 10 no_session srtp1-1

# --- an RTP caller to an SRTP device
device_merge dev-bob '{"media": {"encryption": {"methods": ["srtp"]}}}'
before=$(protected)
bob_answers srtp2 callee_srtp
alice_calls_bg srtp2 "$CALL_SCN/caller.xml" 1002
check "SRTP callee: the data plane encrypts the caller's audio toward the callee" \
  wait_for 15 encrypting
check "SRTP callee: alice's call passed (plain RTP)" wait "$ALICE"
check "SRTP callee: bob's call passed (INVITE RTP/SAVP with the data plane's a=crypto)" \
  wait "$BOB"
check "SRTP callee: alice's answer carried no keys and stayed RTP/AVP" \
  bash -c "! grep -q '^a=crypto' '$T_DIR/srtp2-caller.msg' && grep -q '^m=audio [0-9]* RTP/AVP 0' '$T_DIR/srtp2-caller.msg'"
check "SRTP callee: the media session is deleted after the BYE" wait_for 10 no_session srtp2-1

finish
