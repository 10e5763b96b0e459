#!/usr/bin/env bash
# Flood benchmark (issue 3): an attacker in bugle-pub (sipfwd-gen) floods the data plane's
# public SIP port while sipp phones register (192.0.2.11) and call (192.0.2.12) through it to the
# backend (sipfwd-resp on 198.51.100.2:5090, which counts the attacker's requests by
# User-Agent). The attack steps its rate up to as fast as the generator can send, each step from
# a fresh address (192.0.2.14, .15, ...: a new source the filter has not banned yet). The filter
# runs with its defaults (density 30 requests per 2 s per source, ban 300 s). Reports: legit
# failures (goal 0), attack packets dropped, and attack requests that reached the backend
# against what the policy lets through (density_requests - 1 per source before its ban: goal no
# more). RESULT lines and a SERIES (attack rate against where its packets went) for
# bench/run.sh. Bounded: the attack lasts 10 s (4 s with --quick), sipp has timeouts. Needs root.
#   bench/flood/run.sh [--build DIR] [--quick]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/lib/prelude.sh" flood "$@"

bin=$build/bench/sip_forward
sipp_dir=$repo/tests/e2e/sipp
for f in "$bin/sipfwd-gen" "$bin/sipfwd-resp" "$build/bugle-dataplane" "$build/buglectl"; do
  [ -x "$f" ] || { echo "flood: $f is not built" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "flood: needs root (namespaces, af_packet)" >&2; exit 1; }
command -v sipp >/dev/null || { echo "flood: sipp (sip-tester) is not installed" >&2; exit 1; }

RESP=198.51.100.2:5090
ATTACKER_FIRST=14  # 192.0.2.14 onwards, one per step
UA=sipfwd-flood
DENSITY=30
# Attack rates per step, requests/s (the last: as fast as the generator goes); each step lasts
# attack_s / steps.
if [ $quick -eq 1 ]; then
  attack_s=4; regs=8; calls=4; rates=(20000 80000 1000000)
else
  attack_s=10; regs=20; calls=10; rates=(10000 50000 200000 1000000)
fi
step_s=$(awk -v a="$attack_s" -v n="${#rates[@]}" 'BEGIN { printf "%.1f", a / n }')

T=$(mktemp -d /tmp/bugle-bench-flood.XXXXXX)
cleanup() {
  set +e
  [ -n "${sipp_pids:-}" ] && kill $sipp_pids 2>/dev/null
  daemon_stop "$T/dp.pid" bugle-dataplane 20
  daemon_stop "$T/resp.pid" sipfwd-resp 5
  testnet_restore
  rm -rf "$T"
}
trap cleanup EXIT
testnet_take

daemon_start "$T/resp.pid" "$T/resp.log" "$bin/sipfwd-resp" --listen "$RESP" --seconds 300 \
  --count-ua "$UA"
bench_dataplane_start "$T" bench-flood --set "dispatcher.nodes=$RESP" \
  --set "filter.density_requests=$DENSITY" || exit 1
sleep 2
stat() {  # stat NAME-REGEX: the sum of the data plane's counters whose name matches
  "$build/buglectl" --json --control "127.0.0.1:$ctl_port" dataplane stats |
    jq -r --arg re "$1" '[.counters[] | select(.name | test($re)) | .value] | add // 0'
}

# The phones, in the background, spread over the attack.
ip netns exec bugle-pub timeout $((attack_s + 40)) sipp -sf "$sipp_dir/phone_register.xml" \
  -i 192.0.2.11 -p 5071 192.0.2.1:5060 -m $regs -r $((regs / attack_s + 1)) -timeout 30s \
  -timeout_error -trace_stat -stf "$T/reg.csv" -fd 1 -trace_err -error_file "$T/reg.err" \
  >"$T/reg.out" 2>&1 &
reg_pid=$!
ip netns exec bugle-pub timeout $((attack_s + 40)) sipp -sf "$sipp_dir/phone_call.xml" \
  -i 192.0.2.12 -p 5072 192.0.2.1:5060 -m $calls -r $((calls / attack_s + 1)) -timeout 30s \
  -timeout_error -trace_stat -stf "$T/call.csv" -fd 1 -trace_err -error_file "$T/call.err" \
  >"$T/call.out" 2>&1 &
call_pid=$!
sipp_pids="$reg_pid $call_pid"
dropped_by_filter() { stat '^flt_(banned|density|scanner_ua|method_rate|account_cps)'; }
attack_sent=0
: > "$T/steps"
for i in "${!rates[@]}"; do
  src=192.0.2.$((ATTACKER_FIRST + i))
  d0=$(dropped_by_filter)
  ip netns exec bugle-pub "$bin/sipfwd-gen" --src "$src" --dst 192.0.2.1:5060 \
    --rate "${rates[$i]}" --seconds "$step_s" --ua "$UA" > "$T/attack.log"
  d1=$(dropped_by_filter)
  n=$(sed -n 's/^GEN .*"sent": \([0-9]*\).*/\1/p' "$T/attack.log")
  attack_sent=$((attack_sent + n))
  # sent/s, % dropped by the filter, % lost before it (what was neither dropped nor let through;
  # at most density - 1 requests of a step reach the backend, left out here).
  awk -v n="$n" -v s="$step_s" -v d=$((d1 - d0)) -v src="$src" 'BEGIN {
    lost = n - d < 0 ? 0 : n - d
    printf "%.0f %.2f %.2f\n", n / s, n ? 100 * d / n : 0, n ? 100 * lost / n : 0
    printf "  attack from %s: %d requests in %s s, %d dropped by the filter\n", src, n, s, d > "/dev/stderr" }' >> "$T/steps"
done
wait $reg_pid || true
wait $call_pid || true
sipp_pids=

counts() {  # counts CSV: "successful failed" from sipp's last statistics line
  [ -s "$1" ] || { echo "0 -1"; return; }
  awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "SuccessfulCall(C)") s = i; if ($i == "FailedCall(C)") f = i } }
             END { print $s + 0, $f + 0 }' "$1"
}
read -r reg_ok reg_fail < <(counts "$T/reg.csv")
read -r call_ok call_fail < <(counts "$T/call.csv")
legit_fail=$(( (regs - reg_ok) + (calls - call_ok) ))
attack_rate=$(awk -v n="$attack_sent" -v s="$attack_s" 'BEGIN { printf "%.0f", n / s }')
dropped=$(dropped_by_filter)
awk '{ print $1, $2 }' "$T/steps" | bench_series flood "dropped by the filter" "attack requests/s sent" "% of the attack"
awk '{ print $1, $3 }' "$T/steps" | bench_series flood "lost before the filter (receive ring)" "attack requests/s sent" "% of the attack"
daemon_stop "$T/resp.pid" sipfwd-resp 5
reached=$(sed -n 's/.*ua_matches \([0-9]*\).*/\1/p' "$T/resp.log")
reached=${reached:-0}
allowed=$(((DENSITY - 1) * ${#rates[@]}))

echo "attacker: $attack_sent requests in ${attack_s}s ($attack_rate/s) from ${#rates[@]} addresses"
echo "legit: REGISTER $reg_ok/$regs ok, calls $call_ok/$calls ok -> $legit_fail failures (goal 0)"
if [ "$legit_fail" -ne 0 ]; then  # what sipp saw go wrong, for whoever reads the log
  for f in "$T/reg.err" "$T/call.err"; do [ -s "$f" ] && { echo "--- $(basename "$f")"; head -n 20 "$f"; }; done
  tail -n 3 "$T/reg.out" "$T/call.out"
fi
echo "filter drops (all reasons): $dropped"
# What the data plane never saw: the veth/af_packet receive ring overflowed before the filter.
echo "attack packets lost before the filter (receive ring): $((attack_sent - dropped - reached))"
echo "attack requests that reached the backend: $reached (policy lets $((DENSITY - 1)) per source through before the ban: $allowed)"
printf 'RESULT {"name":"flood_legit_failures","metric":"legit REGISTERs and calls failed under flood","unit":"count","bugle":%s,"peer_name":"none","peer":null,"peer_note":"absolute goal (issue 3)","ratio":null,"goal":"0"}\n' "$legit_fail"
printf 'RESULT {"name":"flood_attack_dropped","metric":"attack packets dropped by the filter (of %s sent at %s/s)","unit":"packets","bugle":%s,"peer_name":"none","peer":null,"peer_note":"absolute goal (issue 3)","ratio":null,"goal":"all but the policy allowance"}\n' \
  "$attack_sent" "$attack_rate" "$dropped"
printf 'RESULT {"name":"flood_reached_backend","metric":"attack requests that reached the backend","unit":"requests","bugle":%s,"peer_name":"policy allowance (density %s per 2 s per source, %s sources, then banned)","peer":%s,"ratio":null,"goal":"<= allowance"}\n' \
  "$reached" "$DENSITY" "${#rates[@]}" "$allowed"
