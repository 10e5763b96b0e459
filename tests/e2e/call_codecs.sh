#!/usr/bin/env bash
# A PCMU-only phone calls a G.722-only device through the whole stack: bob's device document
# lists media.audio.codecs ["G722"], so his INVITE offers G.722 alone (pointed at the data
# plane); he answers G.722, alice's 200 answers in PCMU (her only codec), and the data plane
# transcodes: RTP flows both ways on both legs while the call is up.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

device_merge dev-bob '{"media": {"audio": {"codecs": ["G722"]}}}'
bob_callflow 1002

bob_answers g722 callee_g722
alice_calls_bg g722 "$CALL_SCN/caller.xml" 1002

check "while the call is up, RTP flows both ways through the transcoder" \
  wait_for 15 two_legs_flowing g722-1

check "alice's call passed" wait "$ALICE"
check "bob's call passed (his INVITE offered G.722 only)" wait "$BOB"
# body_after FILE START: the SDP of the first message in a sipp -trace_msg file whose first
# line starts with START.
body_after() { awk -v s="$2" 'index($0, s) == 1 {on = 1} on && /^m=audio/ {print; exit}' "$1"; }
check "alice was answered in PCMU (payload type 0 only)" \
  bash -c "$(declare -f body_after); body_after '$T_DIR/g722-caller.msg' 'SIP/2.0 200' |
           grep -Eq '^m=audio [0-9]+ RTP/AVP 0\\s*\$'"
check "the data plane counted transcoded packets" \
  bash -c "'$BUILD/buglectl' --json --control 127.0.0.1:$DP_PORT dataplane stats |
           jq -e '[.counters[] | select(.name == \"relay_xcode_out\") | .value] | add > 0' > /dev/null"
check "the media session is deleted after the BYE" wait_for 10 no_session g722-1

finish
