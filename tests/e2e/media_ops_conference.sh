#!/usr/bin/env bash
# A 3-party conference over the real control channel (buglectl session conference|leave):
# three endpoints, each on its own session and sending its own tone, join one conference; each
# hears the two others and not itself (tone powers of what it received); one leaves and hears
# nothing more of the conference.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/media_lib.sh"

media_dataplane dp-mediaconf 31400
base=$a_port
hz=(500 1200 2000)
to=()
for k in 0 1 2; do
  ctl session offer conf-$k a 192.0.2.10:$((base + 2 * k)) PCMU/8000/0 > "$T_DIR/offer$k.json"
  ctl session answer conf-$k b 192.0.2.11:$((base + 100 + 2 * k)) PCMU/8000/0 > "$T_DIR/answer$k.json"
  to[$k]=$(jq -r .local_port "$T_DIR/answer$k.json")
  ctl session conference conf-$k a room-1 > /dev/null || fail "join of conf-$k was refused"
done
pids=()
for k in 0 1 2; do
  peer --local 192.0.2.10:$((base + 2 * k)) --remote "192.0.2.1:${to[$k]}" --tone "${hz[$k]}" \
    --count 150 --wait-ms 400 --record "$T_DIR/rx$k.raw" --json "$T_DIR/p$k.json" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "an rtp-peer exited with an error"; done
for k in 0 1 2; do
  python3 "$E2E_DIR/media_ops_prompt.py" tones "$T_DIR/rx$k.raw" 500 "${hz[@]}" > "$T_DIR/tones$k.json"
  own=${hz[$k]}; o1=${hz[$(((k + 1) % 3))]}; o2=${hz[$(((k + 2) % 3))]}
  check "member $k received the conference mix (2 s or more)" \
    jq -e '.samples >= 12000' "$T_DIR/tones$k.json"
  check "member $k hears the two others ($o1, $o2 Hz) at least 30 dB above itself ($own Hz)" \
    jq -e ".\"$o1\" > .\"$own\" + 30 and .\"$o2\" > .\"$own\" + 30" "$T_DIR/tones$k.json"
done

# Member 2 leaves; the two others keep talking; member 2 receives nothing more.
ctl session leave conf-2 a > /dev/null || fail "leave was refused"
pids=()
for k in 0 1; do
  peer --local 192.0.2.10:$((base + 2 * k)) --remote "192.0.2.1:${to[$k]}" --tone "${hz[$k]}" \
    --count 50 --wait-ms 300 --json "$T_DIR/q$k.json" &
  pids+=($!)
done
peer --local 192.0.2.10:$((base + 4)) --count 0 --wait-ms 1200 --json "$T_DIR/left.json"
for p in "${pids[@]}"; do wait "$p" || fail "an rtp-peer exited with an error"; done
check "the member that left receives nothing of the conference" jq -e '.received == 0' "$T_DIR/left.json"
ctl dataplane stats > "$T_DIR/stats.json"
check "member packets were mixed and none was lost on the way" \
  jq -e '([.counters[] | select(.name == "relay_conf_packets") | .value] | add >= 400) and
         ([.counters[] | select(.name == "relay_drop_conf_ring_full") | .value] | add == 0)' "$T_DIR/stats.json"
check "the data plane is still running" daemon_alive "$T_DIR/dp-mediaconf.pid" bugle-dataplane
finish
