#!/usr/bin/env bash
# DTMF translation over the real control channel, with real packets on the veths: leg A
# negotiated telephone-event, leg B did not (PCMU on both). Digits A sends as RFC 4733 arrive at
# B as in-band tones of the same length (B receives no telephone-event packets); digits B sends
# in-band arrive at A as RFC 4733 events on A's payload type. Both are reported as DTMF events
# of the leg that sent them, and counted as translated.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_dataplane dp-dtmftr 31600
media_watch_events 60

ctl session offer call-tr a 192.0.2.10:$a_port PCMU/8000/0,telephone-event/8000/101 > "$T_DIR/offer.json"
ctl session answer call-tr b 192.0.2.11:$b_port PCMU/8000/0 > "$T_DIR/answer.json"
to_b=$(jq -r .local_port "$T_DIR/offer.json")     # where B sends
to_a=$(jq -r .local_port "$T_DIR/answer.json")    # where A sends

# 1. A -> B: "5#9" as RFC 4733 (120 ms each, rtp-peer's trains) amid a 440 Hz voice.
peer --local 192.0.2.11:$b_port --count 0 --wait-ms 4000 --record "$T_DIR/b_rx.raw" \
  --json "$T_DIR/b_rx.json" &
b_pid=$!
sleep 0.3
peer --local 192.0.2.10:$a_port --remote "192.0.2.1:$to_a" --count 60 --dtmf "5#9" \
  --wait-ms 300 --json "$T_DIR/a_tx.json" || fail "rtp-peer A (RFC 4733) exited with an error"
wait "$b_pid" || fail "rtp-peer B (in-band receiver) exited with an error"
python3 "$E2E_DIR/media_dtmf.py" detect "$T_DIR/b_rx.raw" > "$T_DIR/b_digits.json"
check "B heard 5, # and 9 as in-band tones ($(cat "$T_DIR/b_digits.json"))" \
  jq -e '.digits == "5#9"' "$T_DIR/b_digits.json"
check "each tone lasts about as long as A's digit (120 ms)" \
  jq -e '.ms | all(. >= 90 and . <= 150)' "$T_DIR/b_digits.json"
check "B received only its own codec: no telephone-event reached it" \
  jq -e '.payload_types == [0] and .dtmf_received == ""' "$T_DIR/b_rx.json"
check "A's digits are reported for leg a" wait_for 5 \
  bash -c "jq -se '[.[] | select(.kind == 1 and .leg_tag == \"a\") | .digit] == [\"5\", \"#\", \"9\"]' '$T_DIR/events.jsonl' >/dev/null"

# 2. B -> A: "58" in-band (100 ms tone, 100 ms pause) becomes RFC 4733 events on PT 101.
python3 "$E2E_DIR/media_dtmf.py" make "$T_DIR/b_digits.wav" 58 100 100
peer --local 192.0.2.10:$a_port --count 0 --wait-ms 3000 --dtmf-pt 101 --json "$T_DIR/a_rx.json" &
a_pid=$!
sleep 0.3
peer --local 192.0.2.11:$b_port --remote "192.0.2.1:$to_b" --count 40 --wav "$T_DIR/b_digits.wav" \
  --wait-ms 300 --json "$T_DIR/b_tx.json" || fail "rtp-peer B (in-band) exited with an error"
wait "$a_pid" || fail "rtp-peer A (RFC 4733 receiver) exited with an error"
check "A received the digits 58 as telephone-events" \
  jq -e '.dtmf_received == "58" and (.payload_types | index(101)) != null' "$T_DIR/a_rx.json"
check "A's stream stayed one stream (one SSRC, no sequence gaps)" \
  jq -e '(.ssrcs | length) == 1 and .seq_gaps == 0' "$T_DIR/a_rx.json"
check "B's in-band digits are reported for leg b" wait_for 5 \
  bash -c "jq -se '[.[] | select(.kind == 1 and .leg_tag == \"b\") | .digit] == [\"5\", \"8\"]' '$T_DIR/events.jsonl' >/dev/null"

ctl dataplane stats > "$T_DIR/stats.json"
check "five digits were translated, none dropped" jq -e \
  '([.counters[] | select(.name == "relay_dtmf_translated") | .value] | add) == 5 and
   ([.counters[] | select(.name == "relay_drop_dtmf_translate") | .value] | add) == 0' "$T_DIR/stats.json"
check "the data plane is still running" daemon_alive "$T_DIR/dp-dtmftr.pid" bugle-dataplane
ctl session delete call-tr > /dev/null
finish
