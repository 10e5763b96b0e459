#!/usr/bin/env bash
# Flood benchmark (issue 3): one attacker in bugle-pub (sipfwd-gen from 192.0.2.14, as fast as
# it can send) floods the data plane's public SIP port while sipp phones register (192.0.2.11)
# and call (192.0.2.12) through it to the backend (sipfwd-resp on 198.51.100.2:5090, which
# counts the attacker's requests by User-Agent). The filter runs with its defaults (density
# 30 requests per 2 s per source, ban 300 s). Reports: legit failures (goal 0), attack packets
# dropped, and attack requests that reached the backend against what the policy lets through
# (density_requests - 1 before the ban: goal no more). RESULT lines for bench/run.sh.
# Bounded: the attack lasts 10 s (4 s with --quick), sipp has timeouts. Needs root.
#   bench/flood/run.sh [--build DIR] [--quick]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$repo/build
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
  --build) build=$2; shift ;;
  --quick) quick=1 ;;
  *) echo "flood/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
. "$repo/deploy/lib/daemon.sh"

bin=$build/bench/sip_forward
sipp_dir=$repo/tests/e2e/sipp
for f in "$bin/sipfwd-gen" "$bin/sipfwd-resp" "$build/bugle-dataplane" "$build/buglectl"; do
  [ -x "$f" ] || { echo "flood: $f is not built" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "flood: needs root (namespaces, af_packet)" >&2; exit 1; }
command -v sipp >/dev/null || { echo "flood: sipp (sip-tester) is not installed" >&2; exit 1; }

RESP=198.51.100.2:5090
ATTACKER=192.0.2.14
UA=sipfwd-flood
DENSITY=30
if [ $quick -eq 1 ]; then attack_s=4; regs=8; calls=4; else attack_s=10; regs=20; calls=10; fi

T=$(mktemp -d /tmp/bugle-bench-flood.XXXXXX)
net_was_up=0
"$repo/deploy/netns.sh" status >/dev/null 2>&1 && net_was_up=1
cleanup() {
  set +e
  [ -n "${sipp_pids:-}" ] && kill $sipp_pids 2>/dev/null
  daemon_stop "$T/dp.pid" bugle-dataplane 20
  daemon_stop "$T/resp.pid" sipfwd-resp 5
  if [ $net_was_up -eq 1 ]; then "$repo/deploy/netns.sh" up; else "$repo/deploy/netns.sh" down; fi
  rm -rf "$T"
}
trap cleanup EXIT
"$repo/deploy/netns.sh" up

daemon_start "$T/resp.pid" "$T/resp.log" "$bin/sipfwd-resp" --listen "$RESP" --seconds 300 \
  --count-ua "$UA"
ctl_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
daemon_start "$T/dp.pid" "$T/dp.log" "$build/bugle-dataplane" -c "$repo/deploy/config/dataplane.ini" \
  --set dataplane.node=bench-flood --set "control.listen=127.0.0.1:$ctl_port" --set metrics.listen= \
  --set "dispatcher.nodes=$RESP" --set "filter.density_requests=$DENSITY" --set log.level=warning \
  --set dataplane.hugepages=off
wait_tcp 127.0.0.1 "$ctl_port" 90 || { echo "flood: data plane did not start" >&2; tail "$T/dp.log" >&2; exit 1; }
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
ip netns exec bugle-pub "$bin/sipfwd-gen" --src "$ATTACKER" --dst 192.0.2.1:5060 \
  --rate 1000000 --seconds "$attack_s" --ua "$UA" > "$T/attack.log"
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
attack_sent=$(sed -n 's/^GEN .*"sent": \([0-9]*\).*/\1/p' "$T/attack.log")
attack_rate=$(awk -v n="$attack_sent" -v s="$attack_s" 'BEGIN { printf "%.0f", n / s }')
dropped=$(stat '^flt_(banned|density|scanner_ua|method_rate|account_cps)')
daemon_stop "$T/resp.pid" sipfwd-resp 5
reached=$(sed -n 's/.*ua_matches \([0-9]*\).*/\1/p' "$T/resp.log")
reached=${reached:-0}
allowed=$((DENSITY - 1))

echo "attacker: $attack_sent requests in ${attack_s}s ($attack_rate/s) from $ATTACKER"
echo "legit: REGISTER $reg_ok/$regs ok, calls $call_ok/$calls ok -> $legit_fail failures (goal 0)"
if [ "$legit_fail" -ne 0 ]; then  # what sipp saw go wrong, for whoever reads the log
  for f in "$T/reg.err" "$T/call.err"; do [ -s "$f" ] && { echo "--- $(basename "$f")"; head -n 20 "$f"; }; done
  tail -n 3 "$T/reg.out" "$T/call.out"
fi
echo "filter drops (all reasons): $dropped"
# What the data plane never saw: the veth/af_packet receive ring overflowed before the filter.
echo "attack packets lost before the filter (receive ring): $((attack_sent - dropped - reached))"
echo "attack requests that reached the backend: $reached (policy lets $allowed through before the ban)"
printf 'RESULT {"name":"flood_legit_failures","metric":"legit REGISTERs and calls failed under flood","unit":"count","bugle":%s,"peer_name":null,"peer":null,"ratio":null,"goal":"0"}\n' "$legit_fail"
printf 'RESULT {"name":"flood_attack_dropped","metric":"attack packets dropped by the filter (of %s sent at %s/s)","unit":"packets","bugle":%s,"peer_name":null,"peer":null,"ratio":null,"goal":"all but the policy allowance"}\n' \
  "$attack_sent" "$attack_rate" "$dropped"
printf 'RESULT {"name":"flood_reached_backend","metric":"attack requests that reached the backend","unit":"requests","bugle":%s,"peer_name":"policy allowance (density %s per 2 s, then banned)","peer":%s,"ratio":null,"goal":"<= allowance"}\n' \
  "$reached" "$DENSITY" "$allowed"
