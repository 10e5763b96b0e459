#!/usr/bin/env bash
# Calls through the whole stack (issue 6): sipp phones in bugle-pub register and call each
# other through Bugle (deploy/stack.sh in a state directory of its own, on free ports: data
# plane edge + relay, control plane registrar, digest auth, callflows, B2BUA, CDRs), with G.711
# A-law RTP both ways relayed by the data plane. Two figures:
#   1. calls per second at 0 failed calls: steps of rising rate, each a few seconds of 1 s
#      calls playing the G.711 pcap (sipp play_pcap_audio); stops at the first step with a
#      failed call, or at 250 CPS;
#   2. concurrent calls with relayed RTP at < 0.1 % loss: steps of rising call counts, every
#      call of a step set up by sipp and held up at once; with all of them up, the RTP of every
#      call both ways comes from bench/relay_veth's rtp-streams (G.711 u-law, 20 ms, the sends
#      spread evenly over time) to the relay ports the SDPs gave (sipp logs them), from the
#      addresses and ports the phones' SDPs named; rtp-streams counts, per stream, what comes
#      back of the packets it sent in a window, after a drain, so no packet in flight at the
#      window's edges counts as lost. Stops at the first step with a failed call, a call not
#      up in time, a generator that could not send or take in its load, or >= 0.1 % loss, or
#      at the last step (2,500: past the goal of 2,000). (sipp's own rtp_stream sends each stream's packets in 20 ms bursts: packet
#      counters read over a few seconds then miss up to a burst at either edge, 1/(50 x window)
#      of the count, more than the 0.1 % to be measured; and sipp runs out of CPU first.)
# The peer, under the same sipp load on the same veth: Kamailio as a stateless proxy with an
# in-memory registrar and rtpengine (userspace) as media relay, in a twin namespace holding
# 192.0.2.1 (as bench/relay_veth does). Kamailio is no PBX (no auth, callflows, B2BUA or CDRs):
# its row is labelled "kamailio+rtpengine relay only".
# CPUs: rtp-streams on every CPU but the last, the media relay (Bugle's worker lcore, which DPDK
# pins to the second CPU; rtpengine) on the last one, as bench/relay_veth runs them. Bugle's
# worker sleeps when idle (dataplane.idle_sleep_us, BENCH_CALLS_IDLE_SLEEP_US; 0: pure polling)
# so that it leaves the core it shares with the rest of the stack when there are no packets.
# Prints one line per step, "SERIES {json}" lines (load vs failed calls / loss, for charts) and
# "RESULT {json}" lines for bench/run.sh. Needs root, sipp (sip-tester), the build tree (with
# bench/relay_veth/rtp-streams);
# kamailio and rtpengine for the peer (skipped, peer null, when missing). Bounded: whole run
# under 10 min (--quick or BENCH_QUICK=1: about 5 min); every wait has a time-out; everything it
# starts or creates is removed on exit. Takes the shared test network: run it under the e2e lock.
#   bench/calls/run.sh [--build DIR] [--quick]
# To look at one part (profiling; the figures are then not the benchmark's): BENCH_CALLS_CONC_STEPS
# ("1500 2000") replaces the concurrency steps, BENCH_CALLS_CPS=N skips the rate search and ramps
# at N, BENCH_CALLS_PEER=0 skips the peer, BENCH_CALLS_PG_POOL sets the control plane's
# postgres.pool_size (the deploy configuration's 4 otherwise), BENCH_CALLS_KEEP=1 keeps the files.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$repo/build
quick=${BENCH_QUICK:-0}
while [ $# -gt 0 ]; do
  case "$1" in
  --build) build=$2; shift ;;
  --quick) quick=1 ;;
  *) echo "calls/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
. "$repo/deploy/lib/daemon.sh"
. "$repo/deploy/lib/free-port.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

GEN=$build/bench/relay_veth/rtp-streams
for f in "$build/bugle-dataplane" "$build/bugle-controlplane" "$build/buglectl" "$GEN"; do
  [ -x "$f" ] || { echo "calls: $f is not built" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "calls: needs root (namespaces, af_packet)" >&2; exit 1; }
command -v sipp >/dev/null || { echo "calls: sipp (sip-tester) is not installed" >&2; exit 1; }
PCAP=/usr/share/sip-tester/g711a.pcap
[ -r "$PCAP" ] || { echo "calls: no $PCAP (sip-tester)" >&2; exit 1; }
peer_ok=1
command -v kamailio >/dev/null && command -v rtpengine >/dev/null || peer_ok=0

REALM=bench.bugle.test
PHONES=20                 # callees: number 2000+i rings device k<i>; one caller device, c
CALLER=192.0.2.10:5070    # every caller, one sipp
CALLEE=192.0.2.11:5071    # every callee, one sipp
UAC_MP=40000 UAS_MP=46000 # sipp's RTP ports (pcap mode plays from them)
GEN_A=42000 GEN_B=48000   # the SDPs' ports in hold mode: rtp-streams sends from and gets on them
if [ "$quick" = 1 ]; then
  cps_steps=(50 100 200 250); cps_step_s=2
  conc_steps=(100 500 1000 1500 2000 2500); window_s=2
else
  cps_steps=(25 50 100 150 200 250); cps_step_s=5
  conc_steps=(100 250 500 750 1000 1250 1500 1750 2000 2500); window_s=4
fi
[ -z "${BENCH_CALLS_CONC_STEPS:-}" ] || read -r -a conc_steps <<<"$BENCH_CALLS_CONC_STEPS"
[ "${BENCH_CALLS_PEER:-1}" = 1 ] || peer_ok=0
RAMP_CPS_MAX=200          # how fast the concurrency steps bring their calls up
LOSS_MAX=0.001
IDLE_SLEEP_US=${BENCH_CALLS_IDLE_SLEEP_US:-50}
ncpu=$(nproc)
RELAY_CPU=$((ncpu - 1)) GEN_CPUS=0-$((ncpu > 1 ? ncpu - 2 : 0))

T=$(mktemp -d /tmp/bugle-bench-calls.XXXXXX)
chmod 755 "$T"
TWIN=bugle-cbench-relay
export BUGLE_STATE_DIR=$T/state BUGLE_BUILD_DIR=$build
export BUGLE_PG_PORT=$(free_port) BUGLE_AMQP_PORT=$(free_port_pair)
export BUGLE_CONTROL_PORT=$(free_port) BUGLE_API_PORT=$(free_port)
UAS_PID=""
cleanup() {
  set +e
  uas_stop
  daemon_stop "$T/kamailio.pid" kamailio 10
  daemon_stop "$T/rtpengine.pid" rtpengine 10
  ip netns del "$TWIN" 2>/dev/null
  "$repo/deploy/stack.sh" down >/dev/null 2>&1
  "$repo/deploy/netns.sh" down >/dev/null 2>&1
  if [ -n "${BENCH_CALLS_KEEP:-}" ]; then echo "calls: files kept in $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
! ip netns list | grep -qw "^$TWIN" || { echo "calls: namespace $TWIN exists: another run?" >&2; trap - EXIT; exit 1; }

# ---- the phones' files: scenarios from the templates, audio, the callers' table
cp "$PCAP" "$T/g711a.pcap"
scenario() {  # scenario NAME TEMPLATE MODE HOLD_MS: MODE pcap (A-law from sipp) or hold (no RTP
  local media port pt=8 codec=PCMA  # from sipp: u-law from rtp-streams to the SDPs' GEN_ ports)
  if [ "$3" = pcap ]; then media='<exec play_pcap_audio="g711a.pcap"/>'; port='[media_port]'
  else media=''; pt=0; codec=PCMU; port=$GEN_B; [ "$2" = uac ] && port=$GEN_A; fi
  sed -e "s|@MEDIA@|$media|" -e "s|@PORT@|$port|" -e "s|@PT@|$pt|g" -e "s|@CODEC@|$codec|" \
    -e "s|@HOLD_MS@|$4|" "$here/$2.xml.in" > "$T/$1.xml"
}
{ echo SEQUENTIAL; for i in $(seq 0 $((PHONES - 1))); do echo "$((2000 + i))"; done; } > "$T/calls.csv"

in_pub() { ip netns exec bugle-pub "$@"; }

# uas MODE: the callees' sipp, in the background until killed; logs the relay port of each
# INVITE in $T/uas.log.
uas() {
  scenario uas uas "$1" 0
  : > "$T/uas.log"
  # Not through in_pub: $! must be sipp itself (ip netns exec and env exec it), not a subshell.
  ip netns exec bugle-pub env -C "$T" sipp -sf "$T/uas.xml" -i "${CALLEE%:*}" -p "${CALLEE#*:}" -mp "$UAS_MP" \
    -nostdin -trace_err -error_file "$T/uas.err" -trace_logs -log_file "$T/uas.log" > "$T/uas.out" 2>&1 &
  UAS_PID=$!
  sleep 0.5
}
# uas_stop: the callees' sipp ended for sure (it would otherwise keep the lock's descriptor).
uas_stop() {
  local i
  [ -n "$UAS_PID" ] || return 0
  kill "$UAS_PID" 2>/dev/null || true
  for i in $(seq 1 30); do kill -0 "$UAS_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$UAS_PID" 2>/dev/null || true
  wait "$UAS_PID" 2>/dev/null || true
  UAS_PID=""
}

# uac NAME MODE HOLD_MS RATE CALLS LIMIT: the callers' sipp in the foreground, bounded; prints
# "SUCCESSFUL FAILED" calls; logs the relay port of each answer in $T/NAME.log.
uac() {
  local name=$1 time_s
  scenario "uac-$name" uac "$2" "$3"
  time_s=$(( $5 / $4 + $3 / 1000 + 60 ))
  in_pub env -C "$T" timeout "$time_s" sipp "192.0.2.1:5060" -sf "$T/uac-$name.xml" \
    -inf "$T/calls.csv" -s c -au c -ap pw-c -key dom "$REALM" -i "${CALLER%:*}" -p "${CALLER#*:}" -mp "$UAC_MP" \
    -r "$4" -m "$5" -l "$6" -timeout "${time_s}s" -recv_timeout 10000 -nostdin \
    -trace_stat -stf "$T/$name.csv" -fd 1 -trace_err -error_file "$T/$name.err" \
    -trace_logs -log_file "$T/$name.log" \
    > "$T/$name.out" 2>&1 || true
  python3 - "$T/$name.csv" <<'PY'
import csv, sys
try:
    rows = list(csv.DictReader(open(sys.argv[1]), delimiter=";"))
    last = rows[-1]
    print(int(last["SuccessfulCall(C)"]), int(last["FailedCall(C)"]))
except Exception:
    print(0, -1)
PY
}

# cps_search SYSTEM: steps of rising rate; the best rate in $T/SYSTEM.cps, the points in
# $T/SYSTEM.cps.points.
cps_search() {
  local sys=$1 rate calls ok failed best=0
  if [ -n "${BENCH_CALLS_CPS:-}" ]; then echo "$BENCH_CALLS_CPS 0" > "$T/$sys.cps.points"; echo "$BENCH_CALLS_CPS" > "$T/$sys.cps"; return; fi
  for rate in "${cps_steps[@]}"; do
    calls=$((rate * cps_step_s))
    read -r ok failed <<<"$(uac "cps-$sys-$rate" pcap 1000 "$rate" "$calls" $((rate * 4)))"
    printf '  %-9s %4d CPS: %5d calls, %5d ok, %4d failed\n' "$sys" "$rate" "$calls" "$ok" "$failed" >&2
    echo "$rate $failed" >> "$T/$sys.cps.points"
    [ "$failed" = 0 ] || grep -m 3 -A 3 'Aborting\|failed\|Failed' "$T/cps-$sys-$rate.err" >&2 || true
    [ "$failed" = 0 ] && [ "$ok" = "$calls" ] || break
    best=$rate
  done
  echo "$best" > "$T/$sys.cps"
}

# ports_of LOG SKIP: the relay ports a sipp logged in LOG after its first SKIP, one a line.
ports_of() { grep -o 'relay_port [0-9]*' "$1" 2>/dev/null | tail -n "+$(($2 + 1))" | cut -d' ' -f2 || true; }

# drops SYSTEM: counters of dropped packets, "name value" lines: the kernel's backlog queues
# and, for Bugle, the data plane's. (rtp-streams counts its own receive drops: sink_drops.)
drops() {
  local cpu dropped rest sum=0
  while read -r cpu dropped rest; do sum=$((sum + 0x$dropped)); done < /proc/net/softnet_stat
  echo "kernel_backlog_dropped $sum"
  [ "$1" = bugle ] || return 0
  "$build/buglectl" --json --control "127.0.0.1:$BUGLE_CONTROL_PORT" dataplane stats 2>/dev/null |
    jq -r '(.counters[] | select(.name | test("drop|fail|full|idle_sleeps")) | "\(.name) \(.value)"),
           (.ports[] | "port_\(.name)_rx_missed \(.rx_missed)", "port_\(.name)_tx_errors \(.tx_errors)")' || true
}

# conc_search SYSTEM: steps of rising concurrent calls; the best count in $T/SYSTEM.conc, the
# points in $T/SYSTEM.loss.points and $T/SYSTEM.conc.points, rtp-streams' lines in
# $T/SYSTEM.conc.steps.
conc_search() {
  local sys=$1 calls ramp up_s t0 hold_ms skip a b out why ok failed best=0 pid
  ramp=$(cat "$T/$sys.cps"); [ "$ramp" -gt "$RAMP_CPS_MAX" ] && ramp=$RAMP_CPS_MAX; [ "$ramp" -ge 10 ] || ramp=10
  for calls in "${conc_steps[@]}"; do
    # Time to bring them all up: twice the ramp's, plus 5 s. Each call is held until rtp-streams
    # is done: that time, 0.5 s warm-up, the window, 0.5 s drain, and a margin.
    up_s=$(( 2 * (calls + ramp - 1) / ramp + 5 ))
    hold_ms=$(( (up_s + window_s + 4) * 1000 ))
    skip=$(ports_of "$T/uas.log" 0 | wc -l)
    drops "$sys" > "$T/drops0"
    uac "conc-$sys-$calls" hold "$hold_ms" "$ramp" "$calls" "$calls" > "$T/conc.res" &
    pid=$!
    t0=$(date +%s%N)
    # Every call up when both sides have logged its relay port.
    while :; do
      sleep 0.25
      a=$(ports_of "$T/conc-$sys-$calls.log" 0 | wc -l)
      b=$(ports_of "$T/uas.log" "$skip" | wc -l)
      [ "$a" -ge "$calls" ] && [ "$b" -ge "$calls" ] && break
      [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt "$up_s" ] || break
    done
    out="" why=""
    if [ "$a" -ge "$calls" ] && [ "$b" -ge "$calls" ]; then
      printf '  %-9s %5d calls up in %.1f s (%d CPS offered)\n' "$sys" "$calls" \
        "$(( ($(date +%s%N) - t0) / 1000000 ))e-3" "$ramp" >&2
      paste -d' ' <(ports_of "$T/conc-$sys-$calls.log" 0 | head -n "$calls") \
        <(ports_of "$T/uas.log" "$skip" | head -n "$calls") > "$T/conc.ports"
      out=$(in_pub taskset -c "$GEN_CPUS" timeout $((window_s + 30)) "$GEN" --a "${CALLER%:*}:$GEN_A" \
        --b "${CALLEE%:*}:$GEN_B" --relay 192.0.2.1 --ports "$T/conc.ports" --calls "$calls" \
        --seconds "$window_s" 2>"$T/gen.err") || { why="rtp-streams failed: $(head -c 200 "$T/gen.err")"; out=""; }
    else
      why="only $a callers and $b callees answered after $up_s s"
    fi
    wait "$pid" || true
    read -r ok failed < "$T/conc.res"
    [ -n "$out" ] || out='{"sent":0,"unsent":0,"received":0,"loss":1,"silent_streams":0}'
    echo "$out" >> "$T/$sys.conc.steps"
    printf '  %-9s %5d calls up: RTP sent %7d (unsent %d), back %7d in %d s, loss %.4f %%; %d ok, %d failed\n' \
      "$sys" "$calls" "$(jq .sent <<<"$out")" "$(jq .unsent <<<"$out")" "$(jq .received <<<"$out")" \
      "$window_s" "$(jq '.loss * 100' <<<"$out")" "$ok" "$failed" >&2
    [ -z "$why" ] || echo "    $why" >&2
    drops "$sys" > "$T/drops1"
    awk 'NR == FNR {v[$1] = $2; next} $2 != v[$1] {printf "%s%s +%d", n++ ? ", " : "    counters: ", $1, $2 - v[$1]}
      END {if (n) print ""}' "$T/drops0" "$T/drops1" >&2
    echo "$calls $(jq '.loss * 100' <<<"$out")" >> "$T/$sys.loss.points"
    echo "$calls $failed" >> "$T/$sys.conc.points"
    # The load must have been sent (a generator short of CPU is no figure of the relay).
    [ -z "$why" ] && [ "$failed" = 0 ] && [ "$ok" = "$calls" ] || break
    jq -e '.unsent <= (.sent + .unsent) * '"$LOSS_MAX"' and (.sink_drops // 0) == 0' <<<"$out" >/dev/null ||
      { echo "    rtp-streams could not send or take in the load: the figure stops here" >&2; break; }
    jq -e --argjson m "$LOSS_MAX" '.loss < $m' <<<"$out" >/dev/null || break
    best=$calls
  done
  echo "$best" > "$T/$sys.conc"
}

# register_all USER-PREFIX COUNT: each callee registers from the callees' address.
register_all() {
  local i
  for i in $(seq 0 $((PHONES - 1))); do
    in_pub timeout 20 sipp 192.0.2.1:5060 -sf "$here/register.xml" -s "k$i" -au "k$i" \
      -ap "pw-k$i" -key dom "$REALM" -key exp 3600 -i "${CALLEE%:*}" -p "${CALLEE#*:}" -m 1 \
      -timeout 10s -timeout_error -nostdin > "$T/reg-$i.out" 2>&1 || { echo "calls: k$i did not register" >&2; return 1; }
  done
}

# ---- 1. Bugle: the whole stack
echo "calls: Bugle stack (deploy/stack.sh, $build), $PHONES callees, worker idle_sleep_us=$IDLE_SLEEP_US" >&2
# The deploy configuration, with the two phones' addresses allowed past the flood filter (they
# send far more than a phone may), a deeper af_packet ring, as bench/relay_veth runs it, and the
# worker's idle sleep (it shares the machine's two cores with the whole stack).
sed -e 's/^device = net_af_packet0,iface=bgl-pub0$/&,framecnt=8192/' \
  -e "s/^idle_sleep_us = .*/idle_sleep_us = $IDLE_SLEEP_US/" "$repo/deploy/config/dataplane.ini" > "$T/dataplane.ini"
grep -q "^idle_sleep_us = $IDLE_SLEEP_US\$" "$T/dataplane.ini" || { echo "calls: no idle_sleep_us in the deploy config" >&2; exit 1; }
printf '\n[filter]\nallow_sources = 192.0.2.10/32,192.0.2.11/32\n' >> "$T/dataplane.ini"
sed -e 's/^level = info$/level = warning/' -e "s/^pool_size = .*/pool_size = ${BENCH_CALLS_PG_POOL:-4}/" \
  "$repo/deploy/config/controlplane.ini" > "$T/controlplane.ini"
export BUGLE_DP_CONFIG=$T/dataplane.ini BUGLE_CP_CONFIG=$T/controlplane.ini
"$repo/deploy/stack.sh" up > "$T/stack.log" 2>&1 || { echo "calls: stack up failed" >&2; tail -20 "$T/stack.log" >&2; exit 1; }
db=$("$repo/deploy/lib/postgres.sh" conninfo "$BUGLE_STATE_DIR/postgres")
acct=$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
{
  echo "SELECT bugle_account_create('$acct', NULL, 'bench', '$REALM', NULL, jsonb_build_object('name', 'bench', 'realm', '$REALM'));"
  for d in c $(seq -f 'k%g' 0 $((PHONES - 1))); do
    echo "INSERT INTO documents (account_id, id, type, data) VALUES ('$acct', 'dev-$d', 'device',
          jsonb_build_object('name', '$d', 'sip', jsonb_build_object('username', '$d', 'password', 'pw-$d')));"
  done
  for i in $(seq 0 $((PHONES - 1))); do
    echo "INSERT INTO documents (account_id, id, type, data) VALUES ('$acct', 'cf-$i', 'callflow',
          jsonb_build_object('numbers', jsonb_build_array('$((2000 + i))'), 'flow',
          jsonb_build_object('module', 'device', 'data', jsonb_build_object('id', 'dev-k$i'))));"
  done
} | psql "$db" -v ON_ERROR_STOP=1 -q > /dev/null
register_all
uas pcap
cps_search bugle
uas_stop; uas hold
conc_search bugle
uas_stop
"$repo/deploy/stack.sh" down > /dev/null 2>&1

# ---- 2. Kamailio + rtpengine on the same veth
if [ $peer_ok = 1 ]; then
  echo "calls: kamailio (stateless proxy, in-memory registrar) + rtpengine (userspace), relay only" >&2
  "$repo/deploy/netns.sh" up > /dev/null
  ip netns add "$TWIN"
  ip link set bgl-pub0 netns "$TWIN"
  ip -n "$TWIN" link set lo up
  ip -n "$TWIN" link set bgl-pub0 arp on
  ip -n "$TWIN" addr add 192.0.2.1/24 dev bgl-pub0
  ip -n "$TWIN" link set bgl-pub0 up
  ip -n bugle-pub neigh flush all
  ng_port=22222
  daemon_start "$T/rtpengine.pid" "$T/rtpengine.log" ip netns exec "$TWIN" rtpengine --config-file=none \
    --foreground --log-stderr --log-level=4 --table=-1 --interface=192.0.2.1 \
    --listen-ng="127.0.0.1:$ng_port" --port-min=30000 --port-max=39999 --num-threads=1 \
    --timeout=60 --delete-delay=0
  taskset -a -p -c "$RELAY_CPU" "$(cat "$T/rtpengine.pid")" > /dev/null  # as Bugle's worker
  sed -e "s|@NG@|udp:127.0.0.1:$ng_port|" "$here/kamailio.cfg" > "$T/kamailio.cfg"
  daemon_start "$T/kamailio.pid" "$T/kamailio.log" ip netns exec "$TWIN" kamailio -f "$T/kamailio.cfg" \
    -DD -E -m 256 -M 16 -Y "$T" -P "$T/kamailio.own.pid"
  sleep 2
  daemon_alive "$T/kamailio.pid" kamailio || { echo "calls: kamailio did not start" >&2; tail -20 "$T/kamailio.log" >&2; exit 1; }
  register_all
  uas pcap
  cps_search kamailio
  uas_stop; uas hold
  conc_search kamailio
  uas_stop
fi

# ---- report
. "$repo/bench/lib/series.sh"
for sys in bugle kamailio; do
  label=$sys; [ $sys = kamailio ] && label="kamailio+rtpengine relay only"
  [ -f "$T/$sys.cps.points" ] || continue
  bench_series calls_cps "$label" "calls per second offered" "failed calls" < "$T/$sys.cps.points"
  bench_series calls_concurrent_loss "$label" "concurrent calls" "RTP loss (%)" < "$T/$sys.loss.points"
  bench_series calls_concurrent_failed "$label" "concurrent calls" "failed calls" < "$T/$sys.conc.points"
done
b_cps=$(cat "$T/bugle.cps"); b_conc=$(cat "$T/bugle.conc")
k_cps=null; k_conc=null
[ $peer_ok = 1 ] && { k_cps=$(cat "$T/kamailio.cps"); k_conc=$(cat "$T/kamailio.conc"); }
top() { [ "$1" = "$2" ] && echo " (the last step: at least)" || true; }
echo "calls through the whole stack, G.711 RTP both ways, $PHONES callees:"
printf '  bugle                        %4s CPS at 0 failed%s, %5s concurrent calls at < 0.1 %% loss%s\n' \
  "$b_cps" "$(top "$b_cps" "${cps_steps[-1]}")" "$b_conc" "$(top "$b_conc" "${conc_steps[-1]}")"
printf '  kamailio+rtpengine (relay)   %4s CPS at 0 failed, %5s concurrent calls at < 0.1 %% loss\n' "$k_cps" "$k_conc"
result() {  # result METRIC UNIT BUGLE PEER GOAL LIMIT
  jq -cn --arg metric "$1" --arg unit "$2" --argjson b "$3" --argjson p "$4" --arg goal "$5" \
    --argjson lb "$( [ "$3" = "$6" ] && echo true || echo false)" \
    '{name: "calls", metric: $metric, unit: $unit, bugle: $b, peer_name: "kamailio+rtpengine relay only",
      peer: $p, ratio: (if ($p // 0) > 0 then $b / $p else null end), goal: $goal, bugle_lower_bound: $lb}' |
    sed 's/^/RESULT /'
}
result "calls per second at 0 failed calls" cps "$b_cps" "$k_cps" ">= 200" "${cps_steps[-1]}"
result "concurrent calls with relayed RTP at < 0.1% loss" calls "$b_conc" "$k_conc" ">= 2000" "${conc_steps[-1]}"
