#!/usr/bin/env bash
# Device to device through the whole stack: two sipp devices in bugle-pub register through the
# data plane; alice dials 1002, is challenged (407) and authenticated, the callflow bridges to
# bob's registered contact through the edge; both see the data plane's public address in the
# SDP, RTP flows both ways through the relay while the call is up, alice hangs up and the media
# session is gone afterwards; then bob hangs up a second call and alice gets the BYE.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

check "bob's binding keeps his address and the edge's Path" \
  test "$(psql_q "SELECT count(*) FROM registrations_live WHERE account_id = '$acct'
                 AND device_id = 'dev-bob' AND source = '192.0.2.11:5071' AND path <> ''")" = 1
bob_callflow 1002

bob_answers answered callee
alice_calls_bg answered "$CALL_SCN/caller.xml" 1002

check "while the call is up, RTP flows both ways through the data plane" \
  wait_for 15 two_legs_flowing answered-1

check "alice's call passed (407, 200 with the data plane's SDP, ACK, RTP, BYE)" wait "$ALICE"
check "bob's call passed (INVITE with the data plane's SDP, 180, 200, ACK, RTP, BYE)" wait "$BOB"
check "nothing the devices received names an internal address" \
  no_internal_address "$T_DIR/answered-caller.msg" "$T_DIR/answered-bob.msg"
check "the media session is deleted after the BYE" wait_for 10 no_session answered-1

# A caller slow to ACK gets the 200 again until it does.
# oks_to_invite FILE: the 200s to the authenticated INVITE in a sipp -trace_msg file.
oks_to_invite() { grep -A8 '^SIP/2.0 200 OK' "$1" | grep -c '^CSeq: 2 INVITE'; }
bob_answers lateack callee
check "late ACK: the call still passes" alice_calls lateack "$CALL_SCN/caller_late_ack.xml" 1002
check "late ACK: bob's side passed" wait "$BOB"
check "late ACK: alice received the 200 to her INVITE more than once" \
  test "$(oks_to_invite "$T_DIR/lateack-caller.msg")" -ge 2

# The callee hangs up this time: its BYE ends the caller's leg with ours.
bob_answers hangup callee_hangs_up
check "bob hangs up: alice gets the BYE and answers it" \
  alice_calls hangup "$CALL_SCN/caller_hung_up.xml" 1002
check "bob hangs up: his BYE is answered 200" wait "$BOB"
check "bob hangs up: the media session is deleted" wait_for 10 no_session hangup-1

finish
