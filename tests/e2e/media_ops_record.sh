#!/usr/bin/env bash
# Recording over the real control channel (buglectl session record / record-stop): what an
# endpoint sends is written to a WAV in media.directory and matches it (correlation and SNR
# against the WAV the endpoint sent); both legs record to two channels, one leg each; the
# data plane reports EVENT_RECORD_FINISHED on the stop and when the call ends; bad file names
# are refused.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media="$T_DIR/media"
mkdir -p "$media"
python3 "$E2E_DIR/media_ops_prompt.py" make "$T_DIR/speech.wav" 2
python3 "$E2E_DIR/media_ops_prompt.py" make "$T_DIR/other.wav" 3
media_dataplane dp-mediarec 31300 --set "media.directory=$media"
media_watch_events 40

ctl session offer call-rec a 192.0.2.10:$a_port PCMU/8000/0,telephone-event/8000/101 > "$T_DIR/offer.json"
ctl session answer call-rec b 192.0.2.11:$b_port PCMU/8000/0,telephone-event/8000/101 > "$T_DIR/answer.json"
to_b=$(jq -r .local_port "$T_DIR/offer.json")     # where B sends
to_a=$(jq -r .local_port "$T_DIR/answer.json")    # where A sends

# 1. Leg a alone: A sends 2 s of the WAV; the recording is that WAV.
check "record of a bad file name is refused" \
  bash -c "! '$BUILD/buglectl' --control 127.0.0.1:$port session record call-rec a ../a.wav 2>/dev/null"
ctl session record call-rec a a.wav --op-id 51 > /dev/null || fail "session record was refused"
peer --local 192.0.2.10:$a_port --remote "192.0.2.1:$to_a" --wav "$T_DIR/speech.wav" --count 100 \
  --wait-ms 300 --json "$T_DIR/a_tx.json" || fail "rtp-peer A exited with an error"
ctl session record-stop call-rec a > /dev/null || fail "session record-stop was refused"
check "record finished is reported for op 51 with its 2 s" wait_for 5 \
  bash -c "jq -se 'map(select(.kind == 4 and .op_id == 51 and .leg_tag == \"a\" and .duration_ms == 2000)) | length == 1' '$T_DIR/events.jsonl' >/dev/null"
python3 "$E2E_DIR/media_ops_prompt.py" compare-wav "$T_DIR/speech.wav" "$media/a.wav" 0 > "$T_DIR/cmp_a.json"
check "the recording of leg a is what A sent (mono 8 kHz, correlation > 0.99, SNR > 30 dB)" \
  jq -e '.channels == 1 and .rate == 8000 and .samples == 16000 and .offset == 0 and .corr > 0.99 and .snr_db > 30' \
  "$T_DIR/cmp_a.json"

# 2. Both legs ("*"): A and B talk at once; each channel holds one side; the call ends.
ctl session record call-rec '*' both.wav --op-id 52 > /dev/null || fail "session record * was refused"
peer --local 192.0.2.11:$b_port --remote "192.0.2.1:$to_b" --wav "$T_DIR/other.wav" --count 100 \
  --wait-ms 300 --json "$T_DIR/b_tx.json" &
b_pid=$!
peer --local 192.0.2.10:$a_port --remote "192.0.2.1:$to_a" --wav "$T_DIR/speech.wav" --count 100 \
  --wait-ms 300 --json "$T_DIR/a_tx2.json" || fail "rtp-peer A exited with an error"
wait "$b_pid" || fail "rtp-peer B exited with an error"
ctl session delete call-rec > /dev/null
check "record finished is reported for op 52 when the call ends" wait_for 5 \
  bash -c "jq -se 'map(select(.kind == 4 and .op_id == 52 and .leg_tag == \"*\")) | length == 1' '$T_DIR/events.jsonl' >/dev/null"
python3 "$E2E_DIR/media_ops_prompt.py" compare-wav "$T_DIR/speech.wav" "$media/both.wav" 0 > "$T_DIR/cmp_l.json"
python3 "$E2E_DIR/media_ops_prompt.py" compare-wav "$T_DIR/other.wav" "$media/both.wav" 1 > "$T_DIR/cmp_r.json"
check "channel 1 of the two-leg recording is leg a" \
  jq -e '.channels == 2 and .corr > 0.95 and .snr_db > 20' "$T_DIR/cmp_l.json"
check "channel 2 of the two-leg recording is leg b" \
  jq -e '.channels == 2 and .corr > 0.95 and .snr_db > 20' "$T_DIR/cmp_r.json"
ctl dataplane stats > "$T_DIR/stats.json"
check "no recorded audio was lost" \
  jq -e '[.counters[] | select(.name == "relay_drop_record_ring_full") | .value] | add == 0' "$T_DIR/stats.json"
check "the data plane is still running" daemon_alive "$T_DIR/dp-mediarec.pid" bugle-dataplane
finish
