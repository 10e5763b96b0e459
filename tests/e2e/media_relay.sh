#!/usr/bin/env bash
# Two RTP endpoints in bugle-pub exchange audio through the data plane's relay, set up over the
# real control channel with buglectl: every packet arrives with its payload intact and its
# sequence continuous; A sends from another port than its SDP says and still gets B's media
# (latching); a re-INVITE moves A to a new port and SSRC while B keeps seeing one continuous
# stream; garbage RTP is a counted drop; a silent leg times out and the event is published.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_dataplane dp-media 31000 --set media.timeout_s=2
# A's SDP port, the port it sends from behind a NAT, its port after the re-INVITE; B's port.
a_sdp=$a_port; a_nat=$((a_sdp + 100)); a_new=$((a_sdp + 200))
b_port=$((a_sdp + 300))

python3 "$E2E_DIR/media_events.py" "127.0.0.1:$port" 40 > "$T_DIR/events.jsonl" 2>&1 &
events_pid=$!
cleanup_push "kill $events_pid"

# offer for A (SDP says 192.0.2.10:$a_sdp), answer for B (192.0.2.11:$b_port)
ctl session offer call-1 a 192.0.2.10:$a_sdp PCMU/8000/0,telephone-event/8000/101 > "$T_DIR/offer.json"
ctl session answer call-1 b 192.0.2.11:$b_port PCMU/8000/0,telephone-event/8000/101 > "$T_DIR/answer.json"
to_b=$(jq -r .local_port "$T_DIR/offer.json")     # where B sends
to_a=$(jq -r .local_port "$T_DIR/answer.json")    # where A sends
check "offer and answer allocate two even ports ($to_a, $to_b)" \
  bash -c "[ $to_a != $to_b ] && [ \$(( $to_a % 2 )) = 0 ] && [ \$(( $to_b % 2 )) = 0 ]"

# Phase 1: A talks from port $a_nat (NAT: not the $a_sdp of its SDP). B listens first and starts
# talking when A's first packet reaches it, i.e. once the relay has latched to A; B's packets
# must then reach A at $a_nat. B keeps listening through phase 2.
peer --local 192.0.2.11:$b_port --remote "192.0.2.1:$to_b" --count 100 --ssrc 0xBBBB0001 --after-rx \
  --expect 200 --wait-ms 8000 --record "$T_DIR/b_rx.raw" --sent "$T_DIR/b_tx.raw" \
  --json "$T_DIR/b.json" &
b_pid=$!
sleep 0.2
peer --local 192.0.2.10:$a_nat --remote "192.0.2.1:$to_a" --count 100 --ssrc 0xAAAA0001 \
  --seq 1000 --expect 100 --wait-ms 5000 --sent "$T_DIR/a1_tx.raw" --record "$T_DIR/a_rx.raw" \
  --json "$T_DIR/a1.json" || fail "rtp-peer A (phase 1) exited with an error"
ctl dataplane stats > "$T_DIR/stats_phase1.json"   # kept with the logs when a check fails
check "A received all 100 of B's packets at its real port $a_nat (latching)" \
  jq -e '.received == 100 and .lost == 0 and .seq_gaps == 0 and .ssrcs == [3149594625]' "$T_DIR/a1.json"
ctl session query call-1 > "$T_DIR/q1.json"
check "query shows leg a latched to 192.0.2.10:$a_nat with 100 packets" \
  jq -e '.legs[0].latched and .legs[0].remote_port == '"$a_nat"' and .legs[0].rx_packets == 100' "$T_DIR/q1.json"

# Phase 2: re-INVITE: A moves to port $a_new with a new SSRC and sequence base.
ctl session update call-1 a 192.0.2.10:$a_new PCMU/8000/0,telephone-event/8000/101 > "$T_DIR/update.json"
peer --local 192.0.2.10:$a_new --remote "192.0.2.1:$to_a" --count 100 --ssrc 0xCCCC0001 \
  --seq 50000 --ts 9999 --wait-ms 500 --sent "$T_DIR/a2_tx.raw" --json "$T_DIR/a2.json" \
  || fail "rtp-peer A (phase 2) exited with an error"
wait "$b_pid" || true
check "B received all 200 of A's packets" jq -e '.received == 200 and .lost == 0' "$T_DIR/b.json"
check "B saw A's first SSRC only and continuous sequence numbers across the re-INVITE" \
  jq -e --slurpfile a "$T_DIR/a1.json" \
  '.ssrcs == [$a[0].ssrc_sent] and .seq_gaps == 0 and .seq_backwards == 0 and .payload_types == [0]' \
  "$T_DIR/b.json"
check "B's audio reached A byte for byte" cmp -s "$T_DIR/b_tx.raw" "$T_DIR/a_rx.raw"
cat "$T_DIR/a1_tx.raw" "$T_DIR/a2_tx.raw" > "$T_DIR/a_tx.raw"
check "A's audio reached B byte for byte" cmp -s "$T_DIR/a_tx.raw" "$T_DIR/b_rx.raw"

# Garbage to a relay port: short, wrong version, and to a port of no session.
in_pub python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.0.2.10", int(sys.argv[2])))
p = int(sys.argv[1])
s.sendto(b"\x80\x00\x01", ("192.0.2.1", p))
s.sendto(b"\x40" + bytes(171), ("192.0.2.1", p))
s.sendto(b"\x80" + bytes(171), ("192.0.2.1", 31098))
' "$to_a" "$a_new"
sleep 0.5
ctl dataplane stats > "$T_DIR/stats.json"
counter() { jq -e "[.counters[] | select(.name == \"$1\") | .value] | add $2" "$T_DIR/stats.json" >/dev/null; }
check "short RTP is counted" counter relay_drop_short ">= 1"
check "RTP version 1 is counted" counter relay_drop_version ">= 1"
check "RTP to a port of no session is counted" counter relay_drop_unknown_port ">= 1"
check "the data plane is still running" daemon_alive "$T_DIR/dp-media.pid" bugle-dataplane

# Silence: nobody sends now; with media.timeout_s=2 both legs time out and are reported.
check "leg a is reported timed out" wait_for 15 bash -c \
  "'$BUILD/buglectl' --json --control 127.0.0.1:$port session query call-1 | jq -e '.legs[0].timed_out and .legs[1].timed_out' >/dev/null"
check "a media-timeout event named call-1 leg a was published" wait_for 10 bash -c \
  "jq -se 'map(select(.kind == 2 and .call_id == \"call-1\" and .leg_tag == \"a\")) | length >= 1' '$T_DIR/events.jsonl' >/dev/null"
ctl dataplane stats > "$T_DIR/stats.json"
check "media timeouts are counted" counter relay_media_timeouts ">= 2"

ctl session delete call-1 > "$T_DIR/delete.json"
check "delete returns the final counters" jq -e '.legs[1].rx_packets == 100' "$T_DIR/delete.json"
check "the session is gone after delete" bash -c "! '$BUILD/buglectl' --control 127.0.0.1:$port session query call-1 2>/dev/null"
finish
