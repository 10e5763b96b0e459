#!/usr/bin/env bash
# Media operations over the real control channel (buglectl session play|tone|stop|dtmf):
# a prompt played to a leg arrives intact at the endpoint (decoded audio compared with the WAV)
# and is reported finished; bad file names are refused; RFC 4733 digits sent by an endpoint are
# reported once each as DTMF events, and one of the stop digits interrupts a prompt; DTMF_SEND
# arrives at the other endpoint as RFC 4733; a tone with a duration ends on its own.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_prompt_dataplane dp-mediaops 31200
media_watch_events 60
events() { jq -se "$1" "$T_DIR/events.jsonl" >/dev/null; }

ctl session offer call-op a 192.0.2.10:$a_port PCMU/8000/0,telephone-event/8000/101 > "$T_DIR/offer.json"
ctl session answer call-op b 192.0.2.11:$b_port PCMU/8000/0,telephone-event/8000/101 > "$T_DIR/answer.json"
to_a=$(jq -r .local_port "$T_DIR/answer.json")    # where A sends

# 1. A prompt to leg a: 2 s = 100 packets of 20 ms, compared with the WAV.
peer --local 192.0.2.10:$a_port --count 0 --expect 100 --wait-ms 5000 \
  --record "$T_DIR/a_rx.raw" --json "$T_DIR/a_play.json" &
a_pid=$!
sleep 0.3
ctl session play call-op a prompt.wav --op-id 42 > "$T_DIR/play.json"
check "play replies with its op_id" jq -e '.op_id == 42' "$T_DIR/play.json"
wait "$a_pid" || fail "rtp-peer A (prompt) exited with an error"
check "A received the whole prompt as one continuous PCMU stream" \
  jq -e '.received == 100 and .seq_gaps == 0 and .ts_jumps == 0 and (.ssrcs | length) == 1 and .payload_types == [0]' \
  "$T_DIR/a_play.json"
python3 "$E2E_DIR/media_ops_prompt.py" compare "$media/prompt.wav" "$T_DIR/a_rx.raw" > "$T_DIR/compare.json"
check "the received audio is the prompt (correlation > 0.99, SNR > 30 dB, no offset)" \
  jq -e '.samples == 16000 and .offset == 0 and .corr > 0.99 and .snr_db > 30' "$T_DIR/compare.json"
check "playback finished is reported for op 42, not interrupted" wait_for 5 \
  bash -c "jq -se 'map(select(.kind == 3 and .op_id == 42 and .leg_tag == \"a\" and (.interrupted | not))) | length == 1' '$T_DIR/events.jsonl' >/dev/null"

# 2. Bad requests are refused with a reason.
for bad in ../prompt.wav "x/prompt.wav" ..; do
  check "play '$bad' is refused" bash -c "! '$BUILD/buglectl' --control 127.0.0.1:$port session play call-op a '$bad' 2>'$T_DIR/bad.err' && grep -q 'file name' '$T_DIR/bad.err'"
done
check "play of a missing file is refused" bash -c "! '$BUILD/buglectl' --control 127.0.0.1:$port session play call-op a nothing.wav 2>/dev/null"
check "play to an unknown leg is refused" bash -c "! '$BUILD/buglectl' --control 127.0.0.1:$port session play call-op zz prompt.wav 2>/dev/null"

# 3. DTMF from A as RFC 4733 (each end packet sent three times): reported once per digit.
peer --local 192.0.2.10:$a_port --remote "192.0.2.1:$to_a" --count 30 --dtmf "5#9" \
  --wait-ms 300 --json "$T_DIR/a_dtmf.json" || fail "rtp-peer A (dtmf) exited with an error"
check "digits 5, # and 9 are each reported once for leg a" wait_for 5 \
  bash -c "jq -se '[.[] | select(.kind == 1 and .leg_tag == \"a\") | .digit] == [\"5\", \"#\", \"9\"]' '$T_DIR/events.jsonl' >/dev/null"
check "the DTMF events carry the digit duration" \
  events '[.[] | select(.kind == 1)] | all(.duration_ms == 120)'

# 4. A stop digit interrupts a prompt.
ctl session play call-op a prompt.wav --digits '#*' --op-id 43 > /dev/null
sleep 0.4
peer --local 192.0.2.10:$a_port --remote "192.0.2.1:$to_a" --count 8 --dtmf "#" \
  --wait-ms 300 --json "$T_DIR/a_stop.json" || fail "rtp-peer A (stop digit) exited with an error"
check "the prompt is reported interrupted by the stop digit" wait_for 5 \
  bash -c "jq -se 'map(select(.kind == 3 and .op_id == 43 and .interrupted)) | length == 1' '$T_DIR/events.jsonl' >/dev/null"

# 5. DTMF_SEND toward B arrives as RFC 4733.
peer --local 192.0.2.11:$b_port --count 0 --wait-ms 2500 --dtmf-pt 101 --json "$T_DIR/b_dtmf.json" &
b_pid=$!
sleep 0.3
ctl session dtmf call-op b 1#7 > /dev/null || fail "session dtmf was refused"
wait "$b_pid" || fail "rtp-peer B (dtmf) exited with an error"
check "B received the digits 1#7 as telephone-events" jq -e '.dtmf_received == "1#7" and .payload_types == [101]' "$T_DIR/b_dtmf.json"

# 6. A tone with a duration: 300 ms of ringback = 15 packets, then it ends by itself.
peer --local 192.0.2.11:$b_port --count 0 --wait-ms 1500 --json "$T_DIR/b_tone.json" &
b_pid=$!
sleep 0.3
ctl session tone call-op b ringback --duration 300 --op-id 44 > /dev/null || fail "session tone was refused"
wait "$b_pid" || fail "rtp-peer B (tone) exited with an error"
check "B received 300 ms of tone" jq -e '.received == 15 and .seq_gaps == 0' "$T_DIR/b_tone.json"
check "the tone is reported finished" wait_for 5 \
  bash -c "jq -se 'map(select(.kind == 3 and .op_id == 44 and (.interrupted | not))) | length == 1' '$T_DIR/events.jsonl' >/dev/null"

ctl dataplane stats > "$T_DIR/stats.json"
check "generated packets are counted" \
  jq -e '[.counters[] | select(.name == "relay_media_packets") | .value] | add >= 130' "$T_DIR/stats.json"
check "the data plane is still running" daemon_alive "$T_DIR/dp-mediaops.pid" bugle-dataplane
ctl session delete call-op > /dev/null
finish
