#!/usr/bin/env bash
# In-dialog call features through the whole stack. Early media: bob answers 183 with SDP and
# plays audio before his 200; alice gets the 183 with the data plane's address and bob's audio
# reaches her through the relay before the answer. Re-INVITEs: alice puts bob on hold and back
# (a=sendonly / a=sendrecv), bob moves his media and goes inactive; each is relayed to the other
# side pointed at the data plane, answered 200 and ACKed on both sides. OPTIONS and UPDATE
# without SDP in the dialog are answered 200 by the control plane (not relayed).
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

bob_callflow 1002

# --- early media
bob_answers early callee_early
alice_calls_bg early "$CALL_SCN/caller_early.xml" 1002
# early_flowing: before any answer, bob's audio reaches the relay and goes on to alice.
early_flowing() {
  ctl session query early-1 > "$T_DIR/early.json" 2>/dev/null &&
    jq -e '([.legs[] | select(.tag == "b" and .rx_packets > 10)] | length) == 1 and
           ([.legs[] | select(.tag == "a" and .tx_packets > 10)] | length) == 1' \
      "$T_DIR/early.json" > /dev/null
}
check "early media: bob's announcement flows to alice through the data plane" \
  wait_for 10 early_flowing
check "early media: this happened before the answer (alice has sent nothing yet)" \
  jq -e '[.legs[] | select(.tag == "a" and .rx_packets == 0)] | length == 1' "$T_DIR/early.json"
check "early media: alice's call passed (183 and 200 with the data plane's SDP, BYE)" wait "$ALICE"
check "early media: bob's call passed (183 with audio, 200, ACK, BYE)" wait "$BOB"
check "early media: nothing alice received names an internal address" \
  no_internal_address "$T_DIR/early-caller.msg"
check "early media: the media session is deleted after the BYE" wait_for 10 no_session early-1

# --- re-INVITEs from both sides, OPTIONS and UPDATE in the dialog
bob_answers dialog callee_dialog
check "re-INVITEs: alice's side passed (hold, unhold, bob's re-INVITE, OPTIONS, UPDATE, BYE)" \
  alice_calls dialog "$CALL_SCN/caller_dialog.xml" 1002
check "re-INVITEs: bob's side passed (hold and unhold relayed, his own re-INVITE answered)" \
  wait "$BOB"
# in_msgs FILE REGEX: how many messages in a sipp -trace_msg file start with REGEX.
in_msgs() { grep -c "$2" "$1"; }
check "re-INVITEs: bob received exactly alice's two re-INVITEs (OPTIONS, UPDATE not relayed)" \
  test "$(in_msgs "$T_DIR/dialog-bob.msg" '^INVITE sip:bob@')" = 3
check "re-INVITEs: bob's re-INVITE reached alice" \
  test "$(in_msgs "$T_DIR/dialog-caller.msg" '^INVITE sip:alice@')" = 1
check "re-INVITEs: nothing the devices received names an internal address" \
  no_internal_address "$T_DIR/dialog-caller.msg" "$T_DIR/dialog-bob.msg"
check "re-INVITEs: the media session is deleted after the BYE" wait_for 10 no_session dialog-1

finish
