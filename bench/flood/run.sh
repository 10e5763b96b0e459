#!/usr/bin/env bash
# Flood benchmark (issue 3): an attacker in bugle-pub (sipfwd-gen) floods a SIP proxy's public
# port (192.0.2.1:5060) while sipp phones register (192.0.2.11) and call (192.0.2.12) through it
# to the backend (sipfwd-resp on 198.51.100.2:5090, which counts the attacker's requests by
# User-Agent). The attack steps its rate up to as fast as the generator can send, each step from
# a fresh address (192.0.2.14, .15, ...: a new source not banned yet). Measured twice in one run,
# with the same traffic and the same policy (30 requests per 2 s per source, then a 300 s ban):
#   1. bugle-dataplane on the test network, its flood filter with its defaults;
#   2. Kamailio as a flood-filtering stateless proxy in front of the same backend: pike
#      (reqs_density_per_unit 30, sampling_time_unit 2) flags a source, an htable "ipban" with
#      autoexpire 300 s then drops it, on the same veths given to the kernel in a twin namespace
#      (bgl-bench-kam) as bench/sip_forward does.
# Reports for both: legit failures (goal 0) and attack requests that reached the backend (the
# policy allows density - 1 per source before the ban), Bugle's filter drops, and Kamailio's CPU
# time per datagram it took in (its per-request cost: the flood filter's peer). RESULT lines
# and a SERIES (attack rate against where Bugle's packets went) for bench/run.sh. Bounded: each
# attack lasts 10 s (4 s with --quick), sipp has timeouts. Needs root.
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
DENSITY=30         # requests per DENSITY_S seconds per source, then banned for BAN_S
DENSITY_S=2
BAN_S=300
KNS=bgl-bench-kam
# Attack rates per step, requests/s (the last: as fast as the generator goes); each step lasts
# attack_s / steps.
if [ $quick -eq 1 ]; then
  attack_s=4; regs=8; calls=4; rates=(20000 80000 1000000)
else
  attack_s=10; regs=20; calls=10; rates=(10000 50000 200000 1000000)
fi
step_s=$(awk -v a="$attack_s" -v n="${#rates[@]}" 'BEGIN { printf "%.1f", a / n }')

ns_free "$KNS" || exit 1
T=$(mktemp -d /tmp/bugle-bench-flood.XXXXXX)
cleanup() {
  set +e
  [ -n "${sipp_pids:-}" ] && kill $sipp_pids 2>/dev/null
  daemon_stop "$T/kamailio.pid" kamailio 10
  daemon_stop "$T/dp.pid" bugle-dataplane 20
  daemon_stop "$T/resp.pid" sipfwd-resp 5
  twin_leave "$KNS" bgl-pub0 bgl-int0
  testnet_restore
  rm -rf "$T"
}
trap cleanup EXIT
testnet_take

# flood_round LABEL COUNT-COMMAND WHAT: the backend, the phones in the background spread over
# the attack, and the stepped attack, all through 192.0.2.1:5060. COUNT-COMMAND prints a running
# count of the attack packets the proxy handled (Bugle: dropped by its filter; Kamailio: taken
# off its socket), WHAT names it. Sets legit_fail, attack_sent, attack_rate and reached, and
# writes "rate handled% lost%" per step to $T/steps-LABEL (lost: never handled).
flood_round() {
  local label=$1 drops=$2 what=$3 i src d0 d1 n
  daemon_start "$T/resp.pid" "$T/resp-$label.log" "$bin/sipfwd-resp" --listen "$RESP" --seconds 300 \
    --count-ua "$UA"
  sleep 2  # the proxy's first health probes reach the responder
  ip netns exec bugle-pub timeout $((attack_s + 40)) sipp -sf "$sipp_dir/phone_register.xml" \
    -i 192.0.2.11 -p 5071 192.0.2.1:5060 -m $regs -r $((regs / attack_s + 1)) -timeout 30s \
    -timeout_error -trace_stat -stf "$T/reg-$label.csv" -fd 1 -trace_err -error_file "$T/reg-$label.err" \
    >"$T/reg-$label.out" 2>&1 &
  local reg_pid=$!
  ip netns exec bugle-pub timeout $((attack_s + 40)) sipp -sf "$sipp_dir/phone_call.xml" \
    -i 192.0.2.12 -p 5072 192.0.2.1:5060 -m $calls -r $((calls / attack_s + 1)) -timeout 30s \
    -timeout_error -trace_stat -stf "$T/call-$label.csv" -fd 1 -trace_err -error_file "$T/call-$label.err" \
    >"$T/call-$label.out" 2>&1 &
  local call_pid=$!
  sipp_pids="$reg_pid $call_pid"
  attack_sent=0
  : > "$T/steps-$label"
  for i in "${!rates[@]}"; do
    src=192.0.2.$((ATTACKER_FIRST + i))
    d0=$($drops)
    ip netns exec bugle-pub "$bin/sipfwd-gen" --src "$src" --dst 192.0.2.1:5060 \
      --rate "${rates[$i]}" --seconds "$step_s" --ua "$UA" > "$T/attack.log"
    d1=$($drops)
    n=$(sed -n 's/^GEN .*"sent": \([0-9]*\).*/\1/p' "$T/attack.log")
    attack_sent=$((attack_sent + n))
    awk -v n="$n" -v s="$step_s" -v d="$d0" -v e="$d1" -v src="$src" -v l="$label" -v w="$what" 'BEGIN {
      d = e - d; lost = n - d < 0 ? 0 : n - d
      printf "%.0f %.2f %.2f\n", n / s, n ? 100 * d / n : 0, n ? 100 * lost / n : 0
      printf "  %s: attack from %s: %d requests in %s s, %d %s\n", l, src, n, s, d, w > "/dev/stderr" }' >> "$T/steps-$label"
  done
  wait $reg_pid || true
  wait $call_pid || true
  sipp_pids=
  local reg_ok reg_fail call_ok call_fail
  read -r reg_ok reg_fail < <(counts "$T/reg-$label.csv")
  read -r call_ok call_fail < <(counts "$T/call-$label.csv")
  legit_fail=$(( (regs - reg_ok) + (calls - call_ok) ))
  attack_rate=$(awk -v n="$attack_sent" -v s="$attack_s" 'BEGIN { printf "%.0f", n / s }')
  daemon_stop "$T/resp.pid" sipfwd-resp 5
  reached=$(sed -n 's/.*ua_matches \([0-9]*\).*/\1/p' "$T/resp-$label.log")
  reached=${reached:-0}
  echo "$label: attacker $attack_sent requests in ${attack_s}s ($attack_rate/s) from ${#rates[@]} addresses"
  echo "$label: legit REGISTER $reg_ok/$regs ok, calls $call_ok/$calls ok -> $legit_fail failures (goal 0)"
  if [ "$legit_fail" -ne 0 ]; then  # what sipp saw go wrong, for whoever reads the log
    for f in "$T/reg-$label.err" "$T/call-$label.err"; do [ -s "$f" ] && { echo "--- $(basename "$f")"; head -n 20 "$f"; }; done
    tail -n 3 "$T/reg-$label.out" "$T/call-$label.out"
  fi
  echo "$label: attack requests that reached the backend: $reached"
}

counts() {  # counts CSV: "successful failed" from sipp's last statistics line
  [ -s "$1" ] || { echo "0 -1"; return; }
  awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "SuccessfulCall(C)") s = i; if ($i == "FailedCall(C)") f = i } }
             END { print $s + 0, $f + 0 }' "$1"
}
allowed=$(((DENSITY - 1) * ${#rates[@]}))

# --- 1. bugle-dataplane -------------------------------------------------------------------
bench_dataplane_start "$T" bench-flood --set "dispatcher.nodes=$RESP" \
  --set "filter.density_requests=$DENSITY" --set "filter.density_window_ms=$((DENSITY_S * 1000))" \
  --set "filter.ban_seconds=$BAN_S" || exit 1
stat() {  # stat NAME-REGEX: the sum of the data plane's counters whose name matches
  "$build/buglectl" --json --control "127.0.0.1:$ctl_port" dataplane stats |
    jq -r --arg re "$1" '[.counters[] | select(.name | test($re)) | .value] | add // 0'
}
dropped_by_filter() { stat '^flt_(banned|density|scanner_ua|method_rate|account_cps)'; }
flood_round bugle dropped_by_filter "dropped by the filter"
bugle_fail=$legit_fail bugle_reached=$reached bugle_sent=$attack_sent bugle_rate=$attack_rate
dropped=$(dropped_by_filter)
daemon_stop "$T/dp.pid" bugle-dataplane 20
awk '{ print $1, $2 }' "$T/steps-bugle" | bench_series flood "bugle: dropped by the filter" "attack requests/s sent" "% of the attack"
awk '{ print $1, $3 }' "$T/steps-bugle" | bench_series flood "bugle: lost before the filter (receive ring)" "attack requests/s sent" "% of the attack"
echo "bugle: filter drops (all reasons): $dropped"
# What the data plane never saw: the veth/af_packet receive ring overflowed before the filter.
echo "bugle: attack packets lost before the filter (receive ring): $((bugle_sent - dropped - bugle_reached))"

# --- 2. Kamailio with pike and an htable ban -----------------------------------------------
kam_fail=null kam_reached=null kam_sent=0 kam_ns=null
if command -v kamailio >/dev/null; then
  kamailio_twin_enter "$KNS"
  # A flood-filtering stateless proxy: a source over the density is banned, everything else is
  # forwarded to the backend; replies follow the Via back.
  { kamailio_cfg_head; cat <<KAM
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "pike.so"
loadmodule "htable.so"
modparam("pike", "sampling_time_unit", $DENSITY_S)
modparam("pike", "reqs_density_per_unit", $DENSITY)
modparam("pike", "remove_latency", 4)
modparam("htable", "htable", "ipban=>size=16;autoexpire=$BAN_S;")
request_route {
  if (\$sht(ipban=>\$si) != \$null) { drop; }
  if (!pike_check_req()) { \$sht(ipban=>\$si) = 1; drop; }
  if (!mf_process_maxfwd_header("10")) { drop; }
  force_send_socket(udp:198.51.100.1:5060);
  forward("198.51.100.2", 5090);
}
KAM
  } > "$T/kamailio.cfg"
  kamailio_start "$KNS" "$T"
  # Kamailio's cost per request it took off its socket during the round (reading, parsing,
  # pike, htable, forwarding): its processes' CPU time over the namespace's UDP InDatagrams.
  kam_cpu_ticks() { local p t=0; for p in $(ip netns pids "$KNS"); do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
  # (InDatagrams also counts the few legit requests and the backend's replies.)
  kam_udp_in() { ip netns exec "$KNS" awk '/^Udp:/ && ++n == 2 { print $2 }' /proc/net/snmp; }
  if daemon_alive "$T/kamailio.pid" kamailio; then
    c0=$(kam_cpu_ticks) u0=$(kam_udp_in)
    flood_round kamailio kam_udp_in "taken off the socket"
    c1=$(kam_cpu_ticks) u1=$(kam_udp_in)
    kam_ns=$(awk -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n=$((u1 - u0)) \
      'BEGIN { if (n > 0) printf "%.0f", c * 1e9 / hz / n; else print "null" }')
    echo "kamailio: $((u1 - u0)) UDP datagrams taken in, $kam_ns ns of CPU per datagram"
    awk '{ print $1, $3 }' "$T/steps-kamailio" |
      bench_series flood "kamailio: lost before pike (socket buffer)" "attack requests/s sent" "% of the attack"
    kam_fail=$legit_fail kam_reached=$reached kam_sent=$attack_sent
  else
    echo "flood: kamailio did not start:" >&2; tail "$T/kamailio.log" >&2
  fi
  daemon_stop "$T/kamailio.pid" kamailio 10
  twin_leave "$KNS" bgl-pub0 bgl-int0
else
  echo "flood: kamailio is not installed (deploy/install-deps.sh): no peer figure" >&2
fi

# Reached the backend: fewer is better, so the ratio is Kamailio's over Bugle's (how many times
# more of the attack Kamailio let through); none when either is 0.
reach_ratio=null
[ "$kam_reached" != null ] && [ "$bugle_reached" -gt 0 ] && [ "$kam_reached" -gt 0 ] &&
  reach_ratio=$(awk -v a="$kam_reached" -v b="$bugle_reached" 'BEGIN { printf "%.2f", a / b }')
echo "reached the backend: bugle $bugle_reached, kamailio $kam_reached (policy lets $((DENSITY - 1)) per source through before the ban: $allowed)"
PEER="kamailio pike + htable ban"
printf 'RESULT {"name":"flood_legit_failures","metric":"legit REGISTERs and calls failed under flood (%s + %s)","unit":"count","bugle":%s,"peer_name":"%s","peer":%s,"ratio":null,"goal":"0","peer_attack_sent":%s}\n' \
  "$regs" "$calls" "$bugle_fail" "$PEER" "$kam_fail" "$kam_sent"
printf 'RESULT {"name":"flood_attack_dropped","metric":"attack packets dropped by the filter (of %s sent at %s/s)","unit":"packets","bugle":%s,"peer_name":"none","peer":null,"peer_note":"Kamailio keeps no drop count; see flood_reached_backend","ratio":null,"goal":"all but the policy allowance"}\n' \
  "$bugle_sent" "$bugle_rate" "$dropped"
printf 'RESULT {"name":"flood_reached_backend","metric":"attack requests that reached the backend (fewer is better; ratio: peer / bugle)","unit":"requests","bugle":%s,"peer_name":"%s","peer":%s,"ratio":%s,"goal":"<= %s (policy allowance: %s per %s s per source, %s sources)","peer_cpu_ns_per_datagram":%s}\n' \
  "$bugle_reached" "$PEER" "$kam_reached" "$reach_ratio" "$allowed" "$DENSITY" "$DENSITY_S" "${#rates[@]}" "$kam_ns"
