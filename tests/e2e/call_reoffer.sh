#!/usr/bin/env bash
# Offers in a confirmed dialog that do not come in an INVITE's body, through the whole stack:
# - a re-INVITE without SDP (delayed offer): it goes on to the other side without SDP, whose
#   200 offers; our 200 carries that offer pointed at the data plane, and is resent while the
#   caller holds its ACK back; the ACK's answer goes on in our ACK to the other side, pointed at
#   the data plane;
# - an UPDATE with SDP (hold): relayed to the other side as a re-INVITE, answered 200 with the
#   answer pointed at the data plane;
# - one offer at a time: while alice's re-INVITE is pending at bob, bob's own re-INVITE gets 491
#   (glare) and alice's second one 500 with Retry-After; the first one then completes;
# - a re-INVITE whose 200 the sender never ACKs: after 64*T1 both sides get a BYE.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

bob_callflow 1002
# oks_to MSG_FILE CSEQ: the 200s with that CSeq in a sipp -trace_msg file.
oks_to() { grep -A8 '^SIP/2.0 200 OK' "$1" | grep -c "^CSeq: $2"; }
# --- a re-INVITE without SDP, then an UPDATE with SDP
bob_answers reoffer callee_reoffer
check "delayed offer: alice's side passed (200 with the offer, ACK with her answer; UPDATE 200)" \
  alice_calls reoffer "$CALL_SCN/caller_reoffer.xml" 1002
check "delayed offer: bob's side passed (INVITE without SDP, his offer answered in the ACK)" \
  wait "$BOB"
check "delayed offer: our 200 came again while alice held her ACK back" \
  test "$(oks_to "$T_DIR/reoffer-caller.msg" '3 INVITE')" -ge 2
check "delayed offer: counted" test "$(cp_counter reinvite_late)" -ge 1
check "UPDATE with SDP: counted as relayed" test "$(cp_counter update_offers)" -ge 1
check "nothing the devices received names an internal address" \
  no_internal_address "$T_DIR/reoffer-caller.msg" "$T_DIR/reoffer-bob.msg"
check "the media session is deleted after the BYE" wait_for 10 no_session reoffer-1

# --- glare
bob_answers glare callee_glare
check "glare: alice's second re-INVITE got 500 with Retry-After, her first one went through" \
  alice_calls glare "$CALL_SCN/caller_glare.xml" 1002
check "glare: bob's re-INVITE crossing alice's got 491, alice's was answered and ACKed" \
  wait "$BOB"
check "glare: counted" test "$(cp_counter reinvite_glare)" -ge 2
check "glare: the media session is deleted after the BYE" wait_for 10 no_session glare-1

# --- no ACK for our 200 to a re-INVITE: BYEs after 64*T1
bob_answers noack callee_reinvite_no_ack
check "no ACK: alice gets our 200 again and again, then a BYE" \
  alice_calls noack "$CALL_SCN/caller_reinvite_no_ack.xml" 1002
check "no ACK: bob gets his ACK and a BYE" wait "$BOB"
check "no ACK: the 200 was resent (T1 doubling to T2)" \
  test "$(oks_to "$T_DIR/noack-caller.msg" '3 INVITE')" -ge 6
check "no ACK: counted" test "$(cp_counter reinvite_unacked)" -ge 1
check "no ACK: the media session is deleted" wait_for 10 no_session noack-1

finish
