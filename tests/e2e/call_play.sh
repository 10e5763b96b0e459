#!/usr/bin/env bash
# The callflow `play` module through the whole stack: the flow answers alice's call itself (200
# with the data plane's address, from a session holding only her leg) and the data plane plays
# a prompt to her; then
# - [play -> device bob]: only once the prompt has played does bob's phone ring; he answers,
#   alice gets no second 200, RTP flows alice <-> bob through the same session; two CDRs;
# - [play] alone: after the prompt we end the call with a BYE;
# - [play] of a missing file: answered, no prompt, the call ends with our BYE and the failure
#   is counted.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T_DIR/media"
python3 "$E2E_DIR/media_ops_prompt.py" make "$T_DIR/media/welcome.wav" 2   # 100 packets of 20 ms
CALL_DP_SETTINGS=(--set "media.directory=$T_DIR/media")
. "$E2E_DIR/call_lib.sh"

# capture NAME: records UDP to and from alice and bob in bugle-pub into NAME.pcap until
# capture_stop.
capture() {
  # not through in_pub: $! must be tcpdump's own pid (ip netns exec execs it)
  ip netns exec bugle-pub timeout 120 tcpdump -i any --immediate-mode -U -n -w "$T_DIR/$1.pcap" \
    'udp and (host 192.0.2.10 or host 192.0.2.11)' 2> "$T_DIR/$1.tcpdump" &
  CAPTURE=$!
  cleanup_push "kill $CAPTURE 2>/dev/null || true"
  wait_for 10 grep -q 'listening on' "$T_DIR/$1.tcpdump" || fail "tcpdump did not start"
}
capture_stop() {
  sleep 1 # what tcpdump has received but not written yet is lost when it is stopped
  kill "$CAPTURE" 2>/dev/null || true
  wait "$CAPTURE" 2>/dev/null || true
}
# prompt_packets NAME: the 20 ms PCMU packets (172-byte RTP) the data plane sent alice before
# the first large datagram to bob's SIP port (his INVITE), in NAME.pcap.
prompt_packets() {
  { tshark -r "$T_DIR/$1.pcap" -T fields -e ip.src -e ip.dst -e udp.dstport -e udp.length \
      2>/dev/null || true; } |
    awk '$2 == "192.0.2.11" && $3 == 5071 && $4 > 300 { bob = 1 }
         !bob && $1 == "192.0.2.1" && $2 == "192.0.2.10" && $3 != 5070 && $4 == 180 { n++ }
         END { print n + 0 }'
}
# oks_to_invite NAME: the 200s to the authenticated INVITE alice received.
oks_to_invite() { grep -A8 '^SIP/2.0 200 OK' "$T_DIR/$1-caller.msg" | grep -c '^CSeq: 2 INVITE'; }
passed() { local rc=0; wait "$1" || rc=$?; [ "$rc" = 0 ]; }
cdr_of() {
  psql_q "SELECT direction, hangup_cause, data->>'hangup_code', (billing_seconds >= $2)::text
          FROM cdrs WHERE account_id = '$acct' AND direction = '$3'
           AND (call_id = '$1' OR data->>'other_leg_call_id' = '$1')"
}
cdrs_in() { [ "$(psql_q "SELECT count(*) FROM cdrs WHERE account_id = '$acct' AND
                        (call_id = '$1' OR data->>'other_leg_call_id' = '$1')")" = "$2" ]; }

# --- [play -> device bob]
callflow cf-1500 '{"numbers": ["1500"], "flow": {"module": "play", "data": {"id": "welcome"},
  "children": {"_": {"module": "device", "data": {"id": "dev-bob"}}}}}'
capture bridge
bob_answers bridge callee
alice_calls_bg bridge "$CALL_SCN/caller_play.xml" 1500
check "play then bob: RTP flows both ways between alice and bob through the data plane" \
  wait_for 20 two_legs_flowing bridge-1
check "play then bob: alice's call passed (407, 200 with the data plane's SDP, ACK, BYE)" \
  passed "$ALICE"
check "play then bob: bob's call passed (INVITE, 180, 200, ACK, BYE)" passed "$BOB"
capture_stop
n=$(prompt_packets bridge)
check "play then bob: alice heard the whole prompt (>= 95 of 100 packets) before bob rang ($n)" \
  test "$n" -ge 95
check "play then bob: alice got one 200 only (bob's answer sent her none)" \
  test "$(oks_to_invite bridge)" = 1
check "play then bob: nothing the devices received names an internal address" \
  no_internal_address "$T_DIR/bridge-caller.msg" "$T_DIR/bridge-bob.msg"
check "play then bob: the media session is deleted after the BYE" wait_for 10 no_session bridge-1
check "play then bob: two CDRs" wait_for 15 cdrs_in bridge-1 2
check "play then bob: alice's leg NORMAL_CLEARING, billed from our answer (prompt included)" \
  test "$(cdr_of bridge-1 4 inbound)" = "inbound|NORMAL_CLEARING|sip:200|true"
check "play then bob: bob's leg NORMAL_CLEARING, billed" \
  test "$(cdr_of bridge-1 1 outbound)" = "outbound|NORMAL_CLEARING|sip:200|true"

# --- [play] alone: the flow ends, we hang up
callflow cf-1501 '{"numbers": ["1501"], "flow": {"module": "play", "data": {"id": "welcome"}}}'
capture alone
check "play alone: alice is answered, then gets our BYE after the prompt" \
  alice_calls alone "$CALL_SCN/caller_play_bye.xml" 1501
capture_stop
n=$(prompt_packets alone)
check "play alone: alice heard the whole prompt (>= 95 of 100 packets, $n)" test "$n" -ge 95
check "play alone: the media session is deleted" wait_for 10 no_session alone-1
check "play alone: one CDR, billed" wait_for 15 cdrs_in alone-1 1
check "play alone: alice's leg NORMAL_CLEARING, billed for the prompt" \
  test "$(cdr_of alone-1 1 inbound)" = "inbound|NORMAL_CLEARING|sip:200|true"
check "two prompts reported finished, two calls answered by the flow" \
  test "$(cp_counter prompts_played) $(cp_counter flow_answered)" = "2 2"

# --- [play] of a file the data plane does not have
callflow cf-1502 '{"numbers": ["1502"], "flow": {"module": "play", "data": {"id": "nothing"}}}'
capture missing
check "missing prompt: alice is answered, then gets our BYE" \
  alice_calls missing "$CALL_SCN/caller_play_bye.xml" 1502
capture_stop
check "missing prompt: no RTP reached alice" test "$(prompt_packets missing)" = 0
check "missing prompt: counted as a failed prompt" test "$(cp_counter prompts_failed)" = 1
check "missing prompt: the media session is deleted" wait_for 10 no_session missing-1

finish
