#!/usr/bin/env bash
# SRTP on one side only, over the real control channel: A speaks SRTP (SDES AES_CM_128_HMAC_SHA1_80,
# protected and checked by libsrtp2 in rtp-peer), B plain RTP. Each side's audio reaches the
# other intact; the relay's key for A comes back in the answer; packets with a wrong key are
# counted drops, not forwarded.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_dataplane dp-srtp 33000

suite=AES_CM_128_HMAC_SHA1_80
key_a=$(head -c 30 /dev/urandom | base64)
ctl session offer call-s a 192.0.2.10:$a_port PCMU/8000/0 --srtp-in "$suite:$key_a" > "$T_DIR/offer.json"
ctl session answer call-s b 192.0.2.11:$b_port PCMU/8000/0 > "$T_DIR/answer.json"
to_b=$(jq -r .local_port "$T_DIR/offer.json")
to_a=$(jq -r .local_port "$T_DIR/answer.json")
relay_key=$(jq -r .srtp "$T_DIR/answer.json")
check "the answer toward A carries the relay's SDES key ($relay_key)" \
  bash -c "[[ '$relay_key' == $suite:* ]] && [ '$relay_key' != '$suite:$key_a' ]"

peer --local 192.0.2.11:$b_port --remote "192.0.2.1:$to_b" --count 100 --after-rx --expect 100 \
  --wait-ms 6000 --record "$T_DIR/b_rx.raw" --sent "$T_DIR/b_tx.raw" --json "$T_DIR/b.json" &
b_pid=$!
sleep 0.2
peer --local 192.0.2.10:$a_port --remote "192.0.2.1:$to_a" --count 100 --expect 100 --wait-ms 5000 \
  --srtp-tx "$suite:$key_a" --srtp-rx "$relay_key" --sent "$T_DIR/a_tx.raw" \
  --record "$T_DIR/a_rx.raw" --json "$T_DIR/a.json" || fail "rtp-peer A exited with an error"
wait "$b_pid" || fail "rtp-peer B exited with an error"
check "B got all 100 of A's packets as plain RTP" jq -e '.received == 100 and .lost == 0' "$T_DIR/b.json"
check "A's audio reached B byte for byte (decrypted)" cmp -s "$T_DIR/a_tx.raw" "$T_DIR/b_rx.raw"
check "A got all 100 of B's packets, each authenticated by libsrtp2" \
  jq -e '.received == 100 and .lost == 0 and .srtp_fail == 0' "$T_DIR/a.json"
check "B's audio reached A byte for byte (encrypted by the relay)" cmp -s "$T_DIR/b_tx.raw" "$T_DIR/a_rx.raw"

# Someone at A's address with the wrong key: dropped and counted, B hears nothing of it.
wrong=$(head -c 30 /dev/urandom | base64)
peer --local 192.0.2.10:$a_port --remote "192.0.2.1:$to_a" --count 10 --seq 2000 --wait-ms 300 \
  --srtp-tx "$suite:$wrong" --json "$T_DIR/evil.json" || true
"$BUILD/buglectl" --json --control "127.0.0.1:$port" dataplane stats > "$T_DIR/stats.json"
check "packets with a wrong key are counted SRTP authentication drops" jq -e \
  '([.counters[] | select(.name == "relay_drop_srtp_auth") | .value] | add) == 10' "$T_DIR/stats.json"
check "and none of them was forwarded" jq -e \
  '([.counters[] | select(.name == "relay_rtp_fwd") | .value] | add) == 200' "$T_DIR/stats.json"
check "the data plane is still running" daemon_alive "$T_DIR/dp-srtp.pid" bugle-dataplane
finish
