#!/usr/bin/env bash
# SRTP device to RTP device with real softphones: carol's device has media.encryption.methods
# ["srtp"] and her baresip insists on SRTP (mediaenc=srtp-mand, SDES keys in RTP/SAVP); she
# calls dave, a plain RTP baresip, through the data plane. The call is answered, each phone's
# recording holds the other's tone (carol plays 440 Hz, dave 1000 Hz), so the data plane
# decrypted carol's audio and encrypted dave's with the keys the two sides agreed; dave's INVITE
# was plain RTP/AVP without keys; the SRTP counters grew without authentication failures; the
# API's CDRs show both legs of the call.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/baresip_lib.sh"
. "$E2E_DIR/baresip_api.sh"

baresip_devices
device_merge dev-carol '{"media": {"encryption": {"methods": ["srtp"]}}}'
dp_counters_mark relay_srtp_protected relay_srtp_unprotected relay_drop_srtp_auth
baresip_pair ";mediaenc=srtp-mand" ""

baresip_call carol dave 2002 8000 8000

carol_srtp_both_ways() {
  baresip_sdp carol 'INVITE sip:2002@' | grep -q ' RTP/SAVP ' &&
    baresip_sdp carol 'SIP/2.0 200' | grep -q ' RTP/SAVP '
}
carol_got_a_key() { baresip_message carol 'SIP/2.0 200' | grep -q '^a=crypto:[0-9]* AES_'; }
dave_plain() {
  baresip_sdp dave 'INVITE sip:' | grep -q ' RTP/AVP ' &&
    ! baresip_message dave 'INVITE sip:' | grep -q '^a=crypto'
}
check "carol offered SRTP (RTP/SAVP) and was answered RTP/SAVP" carol_srtp_both_ways
check "carol's answer carried the data plane's a=crypto key" carol_got_a_key
check "dave's INVITE was plain RTP/AVP with no keys" dave_plain
check "carol heard dave's 1000 Hz tone (decrypted by her, encrypted by the data plane)" \
  baresip_heard carol 1000
check "dave heard carol's 440 Hz tone (decrypted by the data plane)" baresip_heard dave 440
check "the data plane encrypted toward carol (relay_srtp_protected grew)" \
  dp_counter_grew relay_srtp_protected 100
check "the data plane decrypted carol's SRTP (relay_srtp_unprotected grew)" \
  dp_counter_grew relay_srtp_unprotected 100
check "no SRTP packet failed authentication" dp_counter_unchanged relay_drop_srtp_auth

# Both legs of the call in the CDRs: carol's inbound leg and dave's outbound one, linked.
cdrs_written() {
  api_get "/accounts/$acct/cdrs" > "$T_DIR/cdrs.json" && jq -e '(.data | length) >= 2' "$T_DIR/cdrs.json" > /dev/null
}
check "the API lists the call's CDRs" wait_for 15 cdrs_written
check "two CDRs: carol's leg inbound and dave's outbound, answered, cleared normally, linked" \
  jq -e '.data as $d | ($d | length) == 2 and
         ([$d[] | .direction + " " + .data.authorizing_id] | sort) == ["inbound dev-carol", "outbound dev-dave"] and
         ([$d[] | select(.hangup_cause == "NORMAL_CLEARING" and .billing_seconds >= 3)] | length) == 2 and
         ($d[0].data.other_leg_call_id == $d[1].call_id) and ($d[1].data.other_leg_call_id == $d[0].call_id)' \
    "$T_DIR/cdrs.json"

finish
