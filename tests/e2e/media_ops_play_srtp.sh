#!/usr/bin/env bash
# A prompt played to an SRTP leg, over the real control channel: leg A speaks SRTP (SDES), B
# plain RTP. A receives the prompt encrypted with the relay's key for A; rtp-peer decrypts it with
# libsrtp2 (every packet authenticates) and the audio is the prompt. Before and after it, B's
# relayed audio reaches A on the same SRTP stream, so the handover to the prompt and back keeps
# the SRTP context in step (libsrtp2 would refuse a replayed or rolled-back index). Run for
# AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_prompt_dataplane dp-playsrtp 31700
media_watch_events 60

op=50
for suite in AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM; do
  call="call-$suite"
  key_len=30; [ "$suite" = AEAD_AES_128_GCM ] && key_len=28
  key_a=$(head -c $key_len /dev/urandom | base64)
  a_port=$((20000 + RANDOM % 10000 * 4)); b_port=$((a_port + 2))
  ctl session offer "$call" a 192.0.2.10:$a_port PCMU/8000/0 --srtp-in "$suite:$key_a" > "$T_DIR/offer.json"
  ctl session answer "$call" b 192.0.2.11:$b_port PCMU/8000/0 > "$T_DIR/answer.json"
  to_b=$(jq -r .local_port "$T_DIR/offer.json")
  relay_key=$(jq -r .srtp "$T_DIR/answer.json")
  check "$suite: the answer toward A carries the relay's key" bash -c "[[ '$relay_key' == $suite:* ]]"

  # B's audio, then the prompt (2 s = 100 packets), then B's audio again, all to A.
  peer --local 192.0.2.10:$a_port --count 0 --expect 140 --wait-ms 8000 --srtp-rx "$relay_key" \
    --json "$T_DIR/a_before.json" --record "$T_DIR/a_all.raw" &
  a_pid=$!
  sleep 0.3
  peer --local 192.0.2.11:$b_port --remote "192.0.2.1:$to_b" --count 20 --wait-ms 100 \
    --json "$T_DIR/b1.json" || fail "$suite: rtp-peer B (before) exited with an error"
  op=$((op + 1))
  ctl session play "$call" a prompt.wav --op-id $op > /dev/null || fail "$suite: play was refused"
  check "$suite: playback finished is reported for op $op" wait_for 6 \
    bash -c "jq -se 'map(select(.kind == 3 and .op_id == $op and (.interrupted | not))) | length == 1' '$T_DIR/events.jsonl' >/dev/null"
  peer --local 192.0.2.11:$b_port --remote "192.0.2.1:$to_b" --count 20 --seq 3000 --ts 900000 \
    --wait-ms 100 --json "$T_DIR/b2.json" || fail "$suite: rtp-peer B (after) exited with an error"
  wait "$a_pid" || fail "$suite: rtp-peer A exited with an error"
  check "$suite: A authenticated all 140 packets with libsrtp2 (20 relayed, 100 prompt, 20 relayed)" \
    jq -e '.received == 140 and .srtp_fail == 0 and .seq_gaps == 0 and (.ssrcs | length) == 1' \
    "$T_DIR/a_before.json"
  # The prompt is the 100 packets after B's first 20 (160 bytes each). head reads the file and
  # tail reads to the end, so neither is cut off by SIGPIPE (fatal under pipefail).
  head -c $((120 * 160)) "$T_DIR/a_all.raw" | tail -c $((100 * 160)) > "$T_DIR/a_prompt.raw"
  python3 "$E2E_DIR/media_ops_prompt.py" compare "$media/prompt.wav" "$T_DIR/a_prompt.raw" \
    > "$T_DIR/compare-$suite.json"
  check "$suite: the decrypted audio is the prompt ($(cat "$T_DIR/compare-$suite.json"))" \
    jq -e '.samples == 16000 and .offset == 0 and .corr > 0.99 and .snr_db > 30' \
    "$T_DIR/compare-$suite.json"
  ctl session delete "$call" > /dev/null
done

ctl dataplane stats > "$T_DIR/stats.json"
check "the prompts' packets were protected, none refused" jq -e \
  '([.counters[] | select(.name == "relay_drop_srtp_protect") | .value] | add) == 0 and
   ([.counters[] | select(.name == "relay_srtp_protected") | .value] | add) >= 280' "$T_DIR/stats.json"
check "the data plane is still running" daemon_alive "$T_DIR/dp-playsrtp.pid" bugle-dataplane
finish
