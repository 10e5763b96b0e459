#!/usr/bin/env bash
# Relay on the test network (issue 4): G.711 calls (PCMU, 20 ms, 172-byte RTP, both directions)
# from rtp-streams (side A 192.0.2.10:40000, side B 192.0.2.11:40000) through a relay at
# 192.0.2.1 and back, stepping the number of concurrent calls to find the highest with < 0.1 %
# loss. Same generator, same steps, same run, twice:
#   1. bugle-dataplane driving the relay's veth end through af_packet, sessions set up with
#      buglectl session batch (offers and answers over one control connection);
#   2. rtpengine in userspace mode (--table=-1, no kernel module) on the same veth end: with the
#      data plane stopped, that end moves into a twin namespace where the kernel gets
#      192.0.2.1/24 on it, rtpengine runs there with --interface=192.0.2.1 and is driven over its
#      ng protocol (ng_calls.py) on that namespace's loopback.
# The topology is the public side of deploy/netns.sh (DESIGN §6: generator namespace with
# 192.0.2.10-11 <-> veth <-> relay at 192.0.2.1, offloads off, no kernel address on the relay's
# end) under names of its own (namespace bugle-rbench, veth bgl-rb0/bgl-rb1), so that tests
# using the shared test network at the same time neither disturb the figures nor are disturbed,
# and 192.0.2.0/24 is never given to the root namespace, whose routes may already use it.
# Both relays get the same number of packet threads (Bugle's workers = rtpengine's
# --num-threads). The figure is the highest rate actually sent with < 0.1 % of it lost (the
# generator, short of CPU on a small host, may send less than a step offers; both numbers are
# printed per step); when even the last step passes, it is reported as a lower bound. A second
# figure also counts as lost the packets that came back more than 50 ms after they were sent
# (a queue growing in the relay passes a few seconds' step on loss alone). What the figures
# measure, with the af_packet copies on both sides: README.md here.
# On a small host one generator core cannot load Bugle's relay core to its limit, so the same
# search runs again with each relay held to the same CPU budget (RELAY_VETH_CPU_SHARE, default
# 25 % of its core, by the kernel's CFS bandwidth control: cpu_budget.sh), where both relays
# reach their own limit below the generator's; 0 leaves that part out.
# Prints packets per second and concurrent 20 ms streams at < 0.1 % loss for each, the ratios
# (goal >= 3x), and RESULT lines for bench/run.sh. Needs root, rtpengine (Debian package
# rtpengine-daemon) and the build tree. Bounded: each step lasts a few seconds, at most 18 steps
# and 6 confirmation trials (60 s, 10 s with --quick) per search, two searches per relay, every
# wait has a timeout; everything it starts or creates is removed on exit. RELAY_VETH_KEEP=DIR
# keeps the logs and each step's JSON line there.
#   bench/relay_veth/run.sh [--build DIR] [--quick]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/lib/prelude.sh" relay_veth "$@"
. "$here/cpu_budget.sh"

gen=$build/bench/relay_veth/rtp-streams
for f in "$gen" "$build/bugle-dataplane" "$build/buglectl"; do
  [ -x "$f" ] || { echo "relay_veth: $f is not built" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "relay_veth: needs root (namespaces, af_packet)" >&2; exit 1; }
command -v rtpengine >/dev/null || { echo "relay_veth: rtpengine (rtpengine-daemon) is not installed" >&2; exit 1; }

NS=bugle-rbench          # the generator's namespace
TWIN=bugle-rbench-relay  # rtpengine's namespace
DP_IF=bgl-rb0            # the relay's end of the veth
NS_IF=bgl-rb1
INT_IF=bgl-rb2           # the data plane's (idle) internal port
INT_PEER=bgl-rb3
RELAY_IP=192.0.2.1
A=192.0.2.10:40000
B=192.0.2.11:40000
WORKERS=1
# CPUs: the relay under test (Bugle's lcores, rtpengine's threads) gets the last one, the
# generator the others. Unpinned, the scheduler puts the generator on the core of Bugle's
# busy-polling worker part of the time and the two halve each other: the figure then measures
# the generator, not the relay. On a single CPU both share it.
ncpu=$(nproc)
RELAY_CPUS=$((ncpu - 1))
GEN_CPUS=0-$((ncpu > 1 ? ncpu - 2 : 0))
pin_relay() {  # PIDFILE: every thread, and into the budget's group
  taskset -a -p -c "$RELAY_CPUS" "$(cat "$1")" >/dev/null
  [ "$budget" -eq 0 ] || cpu_budget_add "$(cat "$1")"
}
# The CPU budget of the second search, percent of the relay's core (0: no second search).
budget=${RELAY_VETH_CPU_SHARE:-25}
case $budget in
  [0-9] | [1-9][0-9]) ;;
  *) echo "relay_veth: RELAY_VETH_CPU_SHARE is a percentage below 100, not $budget" >&2; exit 2 ;;
esac
# A data plane that shares its core (the budget) sleeps when its ports are quiet rather than
# spending the budget on empty polls; 500 us of packets is well within its RX ring. The same in
# both searches, so that the full-core figure and each CPU's use are Bugle's as configured here.
IDLE_SLEEP_US=500
# af_packet ring of the data plane's port, frames per queue (the PMD's default is 512): on a
# busy host the worker can be off the CPU for milliseconds, and the ring is what absorbs that,
# as a socket buffer does for rtpengine.
AFP_FRAMES=8192
PORT_MIN=20000
PORT_MAX=59999
LOSS_MAX=0.001
# Coarse steps until one loses, then REFINE finer ones between the last that passed and it.
# Held to a CPU budget the relays carry a fraction of that: finer steps at the low end.
if [ $quick -eq 1 ]; then
  steps=(200 500 1000 1500 2000 3000 4000 5000 6000 8000); step_s=2
  budget_steps=(50 100 200 300 500 750 1000 1500 2000 3000)
else
  steps=(100 200 500 1000 1500 2000 2500 3000 4000 5000 6000 7000 8000); step_s=4
  budget_steps=(50 100 150 200 300 400 500 750 1000 1250 1500 2000 2500 3000)
fi
REFINE=5
# RFC 2544 (26.1) asks for trials of at least 60 s: a relay short of CPU can pass a step of a
# few seconds by queueing in its buffers. The search's best step is confirmed by a trial of
# CONFIRM_S seconds; when that loses, the number of calls is bisected with trials of that
# length (at most CONFIRM_MAX trials in all). The figure is the best confirmed rate.
if [ $quick -eq 1 ]; then CONFIRM_S=10; else CONFIRM_S=60; fi
CONFIRM_MAX=6
max_calls=${steps[${#steps[@]} - 1]}

ns_free "$NS" "$TWIN" || exit 1
T=$(mktemp -d /tmp/bugle-bench-relay-veth.XXXXXX)
cleanup() {
  set +e
  daemon_stop "$T/dp.pid" bugle-dataplane 20
  daemon_stop "$T/rtpengine.pid" rtpengine 10
  ip link del "$DP_IF" 2>/dev/null          # either end removes the pair
  ip link del "$INT_IF" 2>/dev/null
  twin_leave "$TWIN"                        # with the relay's end in it, when rtpengine had it
  ip netns del "$NS" 2>/dev/null
  cpu_budget_remove
  [ -z "${RELAY_VETH_KEEP:-}" ] || cp -r "$T/." "$RELAY_VETH_KEEP/"  # logs, steps, ports
  rm -rf "$T"
}
trap cleanup EXIT
if [ "$budget" -gt 0 ] && ! cpu_budget_init bugle-relay-veth; then
  echo "relay_veth: no CPU budget on this host: the full-core search only" >&2
  budget=0
fi
ip netns add "$NS"
ip -n "$NS" link set lo up
ip link add "$DP_IF" type veth peer name "$NS_IF"
ip link set "$NS_IF" netns "$NS"
ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$NS_IF.disable_ipv6=1" 2>/dev/null || true
ip netns exec "$NS" bash -c "$(declare -f offloads_off); offloads_off $NS_IF"
ip -n "$NS" addr add 192.0.2.10/24 dev "$NS_IF"
ip -n "$NS" addr add 192.0.2.11/24 dev "$NS_IF"
ip -n "$NS" link set "$NS_IF" up
# A veth delivers a frame to the far end in the sender's context: left alone, the kernel's
# receive of every packet runs on the CPU of whoever sent it. Going to the relay that is the
# generator's CPU, which then pays the relay's receive (af_packet's copy into Bugle's ring, or
# the kernel's UDP receive for rtpengine, the heavier of the two). Coming back it would be the
# relay's CPU paying the generator namespace's receive (IP input, the generator's RX ring copy),
# which is no relay's work: RPS on the generator's end queues that to the generator's CPUs, as
# a NIC steers its interrupts. The same for both relays; RELAY_VETH_RPS=0 leaves it off (for
# comparison). (RPS on the relay's end as well, each side paying its own receive, lowered
# both relays' figures on the 2-core machine: README.md.)
if [ "${RELAY_VETH_RPS:-1}" = 1 ] && [ "$ncpu" -gt 1 ]; then
  ip netns exec "$NS" sh -c "printf %x $(((1 << (ncpu - 1)) - 1)) > /sys/class/net/$NS_IF/queues/rx-0/rps_cpus"
fi
# A and B at a MAC of their own, answered for by rtp-streams (--mac), with the kernel's ARP off
# on the generator's end and the relay's MAC (its veth end's, in both runs) set statically: the
# packets coming back are frames for another host to the generator's kernel, dropped before its
# IP input, so the generator's CPU goes to the streams. The same for both relays;
# RELAY_VETH_OWN_MAC=0 leaves the kernel answering (for comparison).
GEN_MAC=02:62:67:6c:00:0a
gen_mac=()
if [ "${RELAY_VETH_OWN_MAC:-1}" = 1 ]; then
  gen_mac=(--mac "$GEN_MAC")
  ip -n "$NS" link set "$NS_IF" arp off
  ip -n "$NS" neigh replace "$RELAY_IP" dev "$NS_IF" nud permanent lladdr "$(cat "/sys/class/net/$DP_IF/address")"
fi
# The data plane owns 192.0.2.1 itself: no address, no ARP, no IPv6 on its end in the kernel.
dp_veth_end "$DP_IF"
# The data plane needs an internal port too; here a veth with nothing on it, so that it costs
# the worker nothing (net_null would hand it an endless stream of packets to drop).
ip link add "$INT_IF" type veth peer name "$INT_PEER"
for i in "$INT_IF" "$INT_PEER"; do dp_veth_end "$i"; done

# CPU use per CPU between two /proc/stat snapshots: "cpu0 97% (softirq 41%) cpu1 ...".
cpu_snap() { grep '^cpu[0-9]' /proc/stat; }
cpu_use() {
  paste -d' ' <(echo "$1") <(echo "$2") | awk '{
    n = NF / 2; tot = 0
    for (i = 2; i <= n; i++) tot += $(n + i) - $i
    idle = $(n + 5) - $5 + $(n + 6) - $6; si = $(n + 8) - $8
    if (tot > 0) printf "%s %.0f%% (softirq %.0f%%) ", $1, 100 * (tot - idle) / tot, 100 * si / tot }'
}

# run_step NAME CALLS: "NAME_calls CALLS" has that many calls set up in $T/NAME.ports (so only
# the calls a step needs are ever set up), then one generator run; its JSON line goes to
# $T/NAME.steps, one log line (with each CPU's use in the middle of the step) to stderr.
# Returns 0 when it lost less than LOSS_MAX, 1 when it lost more, 2 when the generator failed,
# 3 when the calls could not be set up (the relay refused more: out of ports, a full table).
# RELAY_VETH_PERF=CALLS:DIR in the environment records `perf record -a -g` in that step.
run_step() {
  local name=$1 calls=$2 ports=$T/$1.ports out cpu_a cpu_b thr_a budget_note= perf_at=${RELAY_VETH_PERF:-}
  local secs=$step_s steps_file=$T/$1$phase.steps label=
  [ -z "$trial" ] || { secs=$CONFIRM_S; steps_file=$T/$1$phase.confirm; label=" ($CONFIRM_S s trial)"; }
  perf_at=${perf_at%%:*}
  # A relay that lost packets may have changed its calls for good (rtpengine stops reading a
  # socket whose queue overflowed five times: "UDP receive queue exceeded 5 times"), so a step
  # after one that lost, and every confirmation trial, starts with the calls set up anew (for
  # both relays; the mark is a file, as the searches run in subshells).
  if [ -n "$trial" ] || [ -e "$T/$name.lost" ]; then
    "${name}_reset" || { echo "relay_veth: $name: could not delete its calls" >&2; return 2; }
    rm -f "$T/$name.lost"
  fi
  "${name}_calls" "$calls" && [ "$(grep -cE '^[0-9]+ [0-9]+$' "$ports")" -ge "$calls" ] ||
    { echo "relay_veth: $name: could not set up $calls calls" >&2; return 3; }
  ip netns exec "$NS" taskset -c "$GEN_CPUS" timeout $((secs + 20)) "$gen" --a "$A" --b "$B" \
    --relay "$RELAY_IP" --ports "$ports" --calls "$calls" --seconds "$secs" "${gen_mac[@]}" > "$T/step.json" &
  local gen_pid=$!
  # The measured phase starts after the warm-up (about 0.6 s): sample one second inside it.
  sleep 1.2
  cpu_a=$(cpu_snap)
  [ -z "$phase" ] || thr_a=$(cpu_budget_throttled)
  if [ "$calls" = "$perf_at" ]; then
    perf record -a -g -q -o "${RELAY_VETH_PERF#*:}/$name$phase-$calls.perf.data" -- sleep 1 >/dev/null 2>&1 || true
  else
    sleep 1
  fi
  cpu_b=$(cpu_snap)
  [ -z "$phase" ] || budget_note=", throttled in $(($(cpu_budget_throttled) - thr_a)) of 100 periods"
  wait "$gen_pid" || { echo "relay_veth: rtp-streams failed" >&2; return 2; }
  # The relay's loss leaves out what the generator's own RX ring dropped (sink_drops): the relay
  # delivered those; a step that lost only those is the generator's limit, not the relay's.
  out=$(jq -c '. + {relay_loss: ((.lost - .sink_drops) / ([.sent, 1] | max))}' "$T/step.json")
  echo "$out" >> "$steps_file"
  printf '  %-9s%s %5d calls%s %6d streams: offered %8.0f pps, sent %8.0f pps, relay loss %.4f %%, late %d, generator rx drops %d; %s%s\n' \
    "$name" "${phase:+ $budget%}" "$calls" "$label" "$((2 * calls))" "$(jq .offered_pps <<<"$out")" "$(jq .sent_pps <<<"$out")" \
    "$(jq '.relay_loss * 100' <<<"$out")" "$(jq .late <<<"$out")" "$(jq .sink_drops <<<"$out")" \
    "$(cpu_use "$cpu_a" "$cpu_b")" "$budget_note" >&2
  jq -e --argjson m "$LOSS_MAX" '.relay_loss < $m' <<<"$out" >/dev/null && return 0
  touch "$T/$name.lost"
  return 1
}

# step_search NAME: the steps until one loses LOSS_MAX or more, then REFINE - 1 evenly spaced
# steps between the last that passed and that one (until one of them loses), one JSON line per
# step in $T/NAME.steps; a relay refusing more calls ends the search there (with at least one
# step done). Then the confirmation trials (CONFIRM_S), in $T/NAME.confirm. Prints the confirmed
# step with the highest rate actually sent at < LOSS_MAX loss (a generator short of CPU may send
# less than it offers; the loss is of what was sent) and whether that is only a lower bound (no
# step lost enough and the best confirmed).
step_search() {
  local name=$1 calls passed=0 lost=0 k rc
  : > "$T/$name$phase.steps"
  touch "$T/$name.ports"
  local -a try=("${steps[@]}")
  [ -z "$phase" ] || try=("${budget_steps[@]}")
  for calls in "${try[@]}"; do
    rc=0; run_step "$name" "$calls" || rc=$?
    [ "$rc" -eq 3 ] && [ "$passed" -gt 0 ] && break
    [ "$rc" -ge 2 ] && return 1
    [ "$rc" -eq 0 ] || { lost=$calls; break; }
    passed=$calls
  done
  for ((k = 1; lost > 0 && k < REFINE; k++)); do
    calls=$((passed + (lost - passed) * k / REFINE))
    rc=0; run_step "$name" "$calls" || rc=$?
    [ "$rc" -ge 2 ] && return 1
    [ "$rc" -eq 0 ] || break
  done
  # Confirmation, RFC 2544's binary search with full-length trials: the best step first; when
  # it loses, the number of calls is bisected between the highest confirmed pass (at first 0)
  # and the lowest confirmed loss, until they are within 5 % or CONFIRM_MAX trials are spent.
  local best pass=0 fail= tries=1
  best=$(jq -r --argjson m "$LOSS_MAX" 'select(.relay_loss < $m) | .calls' "$T/$name$phase.steps" |
    sort -n | tail -n 1)
  : > "$T/$name$phase.confirm"
  calls=${best:-0}
  while [ "$calls" -gt 0 ]; do
    rc=0; trial=confirm run_step "$name" "$calls" || rc=$?
    [ "$rc" -ge 2 ] && return 1
    if [ "$rc" -eq 0 ]; then pass=$calls; else fail=$calls; fi
    [ -n "$fail" ] && [ "$tries" -lt "$CONFIRM_MAX" ] && [ $((fail - pass)) -gt $((fail / 20)) ] || break
    calls=$(((pass + fail) / 2))
    tries=$((tries + 1))
  done
  # Packets actually sent against loss, per step, for the chart (stdout is the summary).
  jq -r '"\(.sent_pps) \(.relay_loss * 100)"' "$T/$name$phase.steps" |
    bench_series relay_veth "$name${phase:+ at $budget % of a core}" "packets/s sent (both directions)" "loss %" >&2
  # On time: of the search's steps (a late packet shows within seconds).
  jq -n --argjson m "$LOSS_MAX" --slurpfile s "$T/$name$phase.steps" --slurpfile c "$T/$name$phase.confirm" \
    '{best: ($c | map(select(.relay_loss < $m)) | max_by(.sent_pps)),
      lower_bound: (($s | all(.relay_loss < $m)) and ($c | length > 0) and ($c[0].relay_loss < $m)),
      on_time: ($s | map(select((.lost - .sink_drops + .late) / ([.sent, 1] | max) < $m)) | max_by(.sent_pps))}' 
}

# ---- 1. Bugle ----
echo "relay_veth: bugle-dataplane, $WORKERS worker, up to $max_calls sessions" >&2
bench_dataplane_start "$T" bench-relay-veth \
  --set "public.device=net_af_packet0,iface=$DP_IF,framecnt=$AFP_FRAMES" \
  --set "internal.device=net_af_packet1,iface=$INT_IF" --set "dataplane.workers=$WORKERS" \
  --set "media.rtp_port_min=$PORT_MIN" --set "media.rtp_port_max=$PORT_MAX" \
  --set "media.max_sessions=$max_calls" --set media.timeout_s=600 \
  --set "dataplane.idle_sleep_us=$IDLE_SLEEP_US" || exit 1
pin_relay "$T/dp.pid"
ctl() { "$build/buglectl" --json --control "127.0.0.1:$ctl_port" "$@"; }
# Calls set up over one control connection (buglectl session batch): A offers, B answers;
# appends "PORT_FOR_A PORT_FOR_B" per call (the answer's reply has A's port, the offer's B's).
bugle_calls() {
  local have i
  have=$(wc -l < "$T/bugle.ports")
  [ "$have" -lt "$1" ] || return 0
  for ((i = have; i < $1; i++)); do
    echo "offer bench-$i a $A PCMU/8000/0"
    echo "answer bench-$i b $B PCMU/8000/0"
  done | timeout 120 "$build/buglectl" --json --control "127.0.0.1:$ctl_port" session batch - |
    jq -r .local_port | paste -d' ' - - | awk '{ print $2, $1 }' >> "$T/bugle.ports"
}
phase= trial=
bugle_reset() {  # deletes every call set up so far
  local i n
  n=$(wc -l < "$T/bugle.ports")
  for ((i = 0; i < n; i++)); do echo "delete bench-$i"; done |
    timeout 120 "$build/buglectl" --json --control "127.0.0.1:$ctl_port" session batch - > /dev/null
  : > "$T/bugle.ports"
  sleep 1.5  # a deleted session's slot and ports are free again after 1 s (packets in flight)
}
bugle=$(step_search bugle)
# budget_search NAME: the same search with the relay held to the budget (no output without one).
budget_search() {
  [ "$budget" -gt 0 ] || return 0
  echo "relay_veth: $1 held to $budget % of its core (CFS bandwidth, ${CPU_BUDGET_PERIOD_US} us periods)" >&2
  cpu_budget_set "$budget"
  phase=-budget
  step_search "$1"
  phase=
  cpu_budget_set max
}
bugle_budget=$(budget_search bugle)
# Where Bugle lost packets, if it did: its drop counters, for the log.
ctl dataplane stats > "$T/bugle.stats.json" 2>/dev/null || true
jq -r '([.counters[] | select((.name | test("drop|full|fail")) and .value > 0)]
  | group_by(.name) | map("\(.[0].name)=\(map(.value) | add)"))
  + [.ports[] | select(.rx_kernel_ring_drops > 0) | "\(.name)_rx_kernel_ring_drops=\(.rx_kernel_ring_drops)"]
  | "  bugle drops: " + (if length == 0 then "none" else join(" ") end)' "$T/bugle.stats.json" >&2 || true
jq -c '.ports // empty' "$T/bugle.stats.json" >&2 || true
daemon_stop "$T/dp.pid" bugle-dataplane 20

# ---- 2. rtpengine, userspace, on the same veth ----
echo "relay_veth: rtpengine --table=-1, --num-threads=$WORKERS, up to $max_calls calls" >&2
twin_enter "$TWIN" "$DP_IF=$RELAY_IP/24"
ip -n "$NS" neigh flush all
[ ${#gen_mac[@]} -eq 0 ] ||
  ip -n "$NS" neigh replace "$RELAY_IP" dev "$NS_IF" nud permanent lladdr "$(ip netns exec "$TWIN" cat "/sys/class/net/$DP_IF/address")"
in_twin() { ip netns exec "$TWIN" "$@"; }
ng_port=22223
daemon_start "$T/rtpengine.pid" "$T/rtpengine.log" ip netns exec "$TWIN" rtpengine --config-file=none \
  --foreground --log-stderr --log-level=4 --table=-1 --interface="$RELAY_IP" \
  --listen-ng="127.0.0.1:$ng_port" --port-min="$PORT_MIN" --port-max="$PORT_MAX" \
  --num-threads="$WORKERS" --timeout=600 --delete-delay=0
in_twin python3 - "$ng_port" <<'PY' || { echo "relay_veth: rtpengine did not answer ping" >&2; tail "$T/rtpengine.log" >&2; exit 1; }
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
for _ in range(40):
    s.sendto(b"p d7:command4:pinge", ("127.0.0.1", int(sys.argv[1])))
    try:
        if b"pong" in s.recv(1000): sys.exit(0)
    except socket.timeout:
        time.sleep(0.25)
sys.exit(1)
PY
pin_relay "$T/rtpengine.pid"
rtpengine_calls() {
  in_twin timeout 120 python3 "$here/ng_calls.py" setup "127.0.0.1:$ng_port" \
    "$(wc -l < "$T/rtpengine.ports")" "$1" "$A" "$B" "$T/rtpengine.ports"
}
rtpengine_reset() {
  in_twin timeout 60 python3 "$here/ng_calls.py" delete "127.0.0.1:$ng_port" "$(wc -l < "$T/rtpengine.ports")" >/dev/null
  : > "$T/rtpengine.ports"
}
rtpengine_r=$(step_search rtpengine)
rtpengine_budget=$(budget_search rtpengine)
in_twin timeout 60 python3 "$here/ng_calls.py" delete "127.0.0.1:$ng_port" \
  "$(wc -l < "$T/rtpengine.ports")" || true
daemon_stop "$T/rtpengine.pid" rtpengine 10

# ---- report ----
# report TITLE SUFFIX BUGLE_JSON RTPENGINE_JSON: the figures of one search for both relays, and
# their RESULT lines (metric names end in SUFFIX).
report() {
  local title=$1 suffix=$2 b r b_pps b_streams b_lim r_pps r_streams r_lim b_ontime r_ontime
  b=$3 r=$4
  # "pps streams lower-bound-flag". Streams: the 20 ms streams that rate carries in full (a
  # step's streams may each have been sent at less than 50 pps when the generator fell short).
  summary() {
    jq -r '[(.best.sent_pps // 0 | floor), (.best.sent_pps // 0 | . / 50 | floor),
            (if .lower_bound then "1" else "0" end)] | join(" ")' <<<"$1"
  }
  read -r b_pps b_streams b_lim <<<"$(summary "$b")"
  read -r r_pps r_streams r_lim <<<"$(summary "$r")"
  # The same with late packets (more than 50 ms after they were sent: a jitter buffer drops
  # them) counted as lost: a relay whose queue grows within a step passes on loss alone.
  b_ontime=$(jq '.on_time.sent_pps // 0 | floor' <<<"$b")
  r_ontime=$(jq '.on_time.sent_pps // 0 | floor' <<<"$r")
  ratio() { jq -n --argjson b "$1" --argjson r "$2" 'if $r > 0 then ($b / $r * 100 | round / 100) else null end'; }
  note() { [ "$1" = 1 ] && echo " (at least: no step lost 0.1 %)" || true; }
  echo "relay on the test network, $title, < 0.1 % loss, G.711 20 ms, both directions, $WORKERS packet thread(s):"
  printf '  bugle      %8d pps  %6d concurrent 20 ms streams%s\n' "$b_pps" "$b_streams" "$(note "$b_lim")"
  printf '  rtpengine  %8d pps  %6d concurrent 20 ms streams%s\n' "$r_pps" "$r_streams" "$(note "$r_lim")"
  echo "  ratio      $(ratio "$b_pps" "$r_pps")x (goal >= 3x)"
  printf '  counting packets over 50 ms late as lost: bugle %d pps, rtpengine %d pps, ratio %sx\n' \
    "$b_ontime" "$r_ontime" "$(ratio "$b_ontime" "$r_ontime")"
  result() {  # result METRIC UNIT BUGLE PEER
    jq -cn --arg metric "$1$suffix" --arg unit "$2" --argjson b "$3" --argjson p "$4" --argjson bl "$b_lim" --argjson pl "$r_lim" \
      '{name: "relay_veth", metric: $metric, unit: $unit, bugle: $b, peer_name: "rtpengine (userspace)",
        peer: $p, ratio: (if $p > 0 then $b / $p else null end), goal: ">= 3x",
        bugle_lower_bound: ($bl == 1), peer_lower_bound: ($pl == 1)}' | sed 's/^/RESULT /'
  }
  result "packets per second at < 0.1% loss" pps "$b_pps" "$r_pps"
  result "concurrent 20 ms streams at < 0.1% loss" streams "$b_streams" "$r_streams"
  result "packets per second at < 0.1% lost or over 50 ms late" pps "$b_ontime" "$r_ontime"
}
report "a core each" "" "$bugle" "$rtpengine_r"
[ "$budget" -eq 0 ] ||
  report "$budget % of a core each" ", $budget% of a core each" "$bugle_budget" "$rtpengine_budget"
