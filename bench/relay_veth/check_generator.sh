#!/usr/bin/env bash
# Checks rtp-streams' counts on a veth pair between two namespaces of its own (not a benchmark):
#   1. nothing relays (the far end only answers ARP): everything sent is lost, every stream is
#      silent, nothing is late;
#   2. lossy_relay.py relays, dropping the packets numbered 3 mod 10 and holding those numbered
#      5 mod 10 for 200 ms: lost is exactly the dropped count computed from what was sent, late
#      exactly the held ones, and nothing is foreign;
#   3. the same with --mac: the kernel's ARP off on the generator's end, rtp-streams answers
#      the relay's ARP requests itself, the relay's kernel knows A and B at that MAC only, and
#      the counts are those of 2.
# Needs root and the build tree; hold /tmp/bugle-e2e.lock. Exits non-zero on a wrong count.
#   bench/relay_veth/check_generator.sh [--build DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/lib/prelude.sh" relay_veth_check "$@"
gen=$build/bench/relay_veth/rtp-streams
[ -x "$gen" ] || { echo "check_generator: $gen is not built" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "check_generator: needs root" >&2; exit 1; }

GEN_NS=bugle-rgchk-gen
RELAY_NS=bugle-rgchk-relay
CALLS=10
SECONDS_RUN=2
HOLD_MS=200
ns_free "$GEN_NS" "$RELAY_NS" || exit 1
T=$(mktemp -d /tmp/bugle-rtp-streams-check.XXXXXX)
cleanup() {
  set +e
  [ -n "${relay_pid:-}" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
  ip netns del "$GEN_NS" 2>/dev/null
  ip netns del "$RELAY_NS" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
for ns in "$GEN_NS" "$RELAY_NS"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip -n "$GEN_NS" link add bgl-chk0 type veth peer name bgl-chk1 netns "$RELAY_NS"
ip -n "$GEN_NS" addr add 192.0.2.10/24 dev bgl-chk0
ip -n "$GEN_NS" addr add 192.0.2.11/24 dev bgl-chk0
ip -n "$RELAY_NS" addr add 192.0.2.1/24 dev bgl-chk1
for ns in "$GEN_NS" "$RELAY_NS"; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
ip -n "$GEN_NS" link set bgl-chk0 up
ip -n "$RELAY_NS" link set bgl-chk1 up
for i in $(seq 0 $((CALLS - 1))); do echo "$((30000 + 4 * i)) $((30002 + 4 * i))"; done > "$T/ports"
run_gen() {  # run_gen [OPTION...]
  ip netns exec "$GEN_NS" timeout 30 "$gen" --a 192.0.2.10:40000 --b 192.0.2.11:40000 \
    --relay 192.0.2.1 --ports "$T/ports" --calls "$CALLS" --seconds "$SECONDS_RUN" "$@"
}
fail=0
check() {  # check NAME JQ-EXPR JSON
  if jq -e "$2" <<<"$3" >/dev/null; then echo "  ok   $1"; else echo "  FAIL $1: $2" >&2; fail=1; fi
}

echo "check_generator: 1. nothing relays"
out=$(run_gen)
echo "  $out"
check "all lost" '.sent > 0 and .received == 0 and .lost == .sent and .loss == 1' "$out"
check "all streams silent" ".silent_streams == $((2 * CALLS))" "$out"
check "nothing late" '.late == 0' "$out"
check "sent what was due" '.unsent == 0 and .sent == .streams * 50 * '"$SECONDS_RUN" "$out"

# Each stream sends packets 1..N (N = 50 per second): the dropped are those 3 mod 10, the held
# 5 mod 10.
n=$((50 * SECONDS_RUN))
dropped=$(( (n + 7) / 10 ))
held=$(( (n + 5) / 10 ))
lossy_counts() {  # lossy_counts JSON: the counts through lossy_relay.py
  check "lost = dropped" ".lost == $((2 * CALLS * dropped))" "$1"
  check "received = sent - dropped" ".received == .sent - $((2 * CALLS * dropped))" "$1"
  check "late = held" ".late == $((2 * CALLS * held))" "$1"
  check "nothing foreign, no sink drops" '.foreign == 0 and .sink_drops == 0' "$1"
  check "no silent stream" '.silent_streams == 0' "$1"
}
lossy_relay() {
  ip netns exec "$RELAY_NS" python3 "$here/lossy_relay.py" 192.0.2.1 "$T/ports" "$CALLS" \
    192.0.2.10:40000 192.0.2.11:40000 "$HOLD_MS" 8 &
  relay_pid=$!
  sleep 1
}

echo "check_generator: 2. a relay dropping 1 packet in 10 and holding 1 in 10 for ${HOLD_MS} ms"
lossy_relay
out=$(run_gen)
echo "  $out"
lossy_counts "$out"
check "the kernel answered ARP, not rtp-streams" '.arp_replies == 0' "$out"
wait "$relay_pid" || true

echo "check_generator: 3. the same with A and B at a MAC rtp-streams answers ARP for"
MAC=02:62:67:6c:00:0a
ip -n "$GEN_NS" link set bgl-chk0 arp off
ip -n "$GEN_NS" neigh replace 192.0.2.1 dev bgl-chk0 nud permanent \
  lladdr "$(ip netns exec "$RELAY_NS" cat /sys/class/net/bgl-chk1/address)"
ip -n "$RELAY_NS" neigh flush all
lossy_relay
out=$(run_gen --mac "$MAC")
echo "  $out"
lossy_counts "$out"
check "rtp-streams answered the relay's ARP" '.arp_replies >= 1' "$out"
for host in 192.0.2.10 192.0.2.11; do
  neigh=$(ip -n "$RELAY_NS" neigh show "$host" dev bgl-chk1)
  check "the relay knows $host at $MAC ($neigh)" "$(jq -n --arg n "$neigh" --arg m "$MAC" '$n | contains($m)')" null
done
exit $fail
