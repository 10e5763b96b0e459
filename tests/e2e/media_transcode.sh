#!/usr/bin/env bash
# Transcoding over the real control channel: A offers PCMU only, B answers PCMA only. Each side
# receives its own codec with its own payload type, every packet, continuous sequence numbers,
# and audio that decodes to what the other side sent (G.711 requantisation only).
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_dataplane dp-xcode 34000

ctl session offer call-x a 192.0.2.10:$a_port PCMU/8000/0 > "$T_DIR/offer.json"
ctl session answer call-x b 192.0.2.11:$b_port PCMA/8000/8 > "$T_DIR/answer.json"
to_b=$(jq -r .local_port "$T_DIR/offer.json")
to_a=$(jq -r .local_port "$T_DIR/answer.json")
check "the answer toward A offers A's own codec" jq -e '.codecs == ["PCMU/8000/0"]' "$T_DIR/answer.json"

peer --local 192.0.2.11:$b_port --remote "192.0.2.1:$to_b" --codec PCMA/8000/8 --tone 600 \
  --count 100 --after-rx --expect 100 --wait-ms 6000 --record "$T_DIR/b_rx.raw" \
  --sent "$T_DIR/b_tx.raw" --json "$T_DIR/b.json" &
b_pid=$!
sleep 0.2
peer --local 192.0.2.10:$a_port --remote "192.0.2.1:$to_a" --codec PCMU/8000/0 --tone 1000 \
  --count 100 --expect 100 --wait-ms 5000 --record "$T_DIR/a_rx.raw" --sent "$T_DIR/a_tx.raw" \
  --json "$T_DIR/a.json" || fail "rtp-peer A exited with an error"
wait "$b_pid" || fail "rtp-peer B exited with an error"
check "B got all 100 packets as PCMA (payload type 8), in sequence" \
  jq -e '.received == 100 and .lost == 0 and .seq_gaps == 0 and .ts_jumps == 0 and .payload_types == [8]' "$T_DIR/b.json"
check "A got all 100 packets as PCMU (payload type 0), in sequence" \
  jq -e '.received == 100 and .lost == 0 and .seq_gaps == 0 and .ts_jumps == 0 and .payload_types == [0]' "$T_DIR/a.json"

# The audio: decode what was sent and what arrived and compare sample by sample.
same_audio() {  # same_audio SENT SENT-LAW RECEIVED RECEIVED-LAW
  python3 -W ignore - "$@" <<'PY'
import audioop, sys
sent, slaw, recv, rlaw = sys.argv[1:5]
dec = {"ulaw": audioop.ulaw2lin, "alaw": audioop.alaw2lin}
a = dec[slaw](open(sent, "rb").read(), 2)
b = dec[rlaw](open(recv, "rb").read(), 2)
if len(a) != len(b) or not a:
    print("lengths differ: %d vs %d" % (len(a), len(b)))
    sys.exit(1)
err = audioop.rms(audioop.add(a, audioop.mul(b, 2, -1), 2), 2)
sig = audioop.rms(a, 2)
print("signal rms %d, error rms %d" % (sig, err))
sys.exit(0 if sig > 1000 and err * 10 < sig else 1)
PY
}
check "A's PCMU audio arrived at B as the same sound in PCMA" same_audio "$T_DIR/a_tx.raw" ulaw "$T_DIR/b_rx.raw" alaw
check "B's PCMA audio arrived at A as the same sound in PCMU" same_audio "$T_DIR/b_tx.raw" alaw "$T_DIR/a_rx.raw" ulaw
ctl dataplane stats > "$T_DIR/stats.json"
check "both directions went through the transcoders" jq -e \
  '([.counters[] | select(.name == "relay_xcode_out") | .value] | add) == 200' "$T_DIR/stats.json"
finish
