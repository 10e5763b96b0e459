#!/usr/bin/env bash
# Frames the kernel drops because the data plane's af_packet RX ring is full are counted: the
# data plane is stopped (SIGSTOP) with a ring of 64 frames per queue, a burst far larger than
# its rings arrives from bugle-pub, and once it runs again (SIGCONT) its public port shows
# rx_kernel_ring_drops > 0 and rx_missed >= them, in buglectl's stats and in /metrics.
. "$(dirname "$0")/lib.sh"

FRAMES=64
BURST=3000

netns_up
port=$(free_port)
mport=$(free_port)
start_dataplane dp-ring "$port" \
  --set "public.device=net_af_packet0,iface=bgl-pub0,framecnt=$FRAMES" \
  --set "metrics.listen=127.0.0.1:$mport"
pid=$(cat "$T_DIR/dp-ring.pid")

port_field() {  # port_field FILE FIELD: the public port's FIELD
  jq -e --arg f "$2" '.ports[] | select(.name == "public") | .[$f]' "$1"
}
stats() { "$BUILD/buglectl" --json --control "127.0.0.1:$port" dataplane stats > "$1"; }

# The namespace learns the data plane's MAC first: while it is stopped, nothing answers ARP.
check "ping 192.0.2.1 from bugle-pub is answered" in_pub ping -c 2 -i 0.2 -W 2 192.0.2.1
stats "$T_DIR/before.json"
before=$(port_field "$T_DIR/before.json" rx_kernel_ring_drops)
echo "before the burst: rx_kernel_ring_drops $before"

kill -STOP "$pid"
cleanup_push "kill -CONT $pid"	# runs before the daemon's own stop entry
in_pub python3 - "$BURST" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.10", 0))
for _ in range(int(sys.argv[1])):
    s.sendto(b"x" * 200, ("192.0.2.1", 9))
PY
kill -CONT "$pid"

stats "$T_DIR/after.json"
after=$(port_field "$T_DIR/after.json" rx_kernel_ring_drops)
missed=$(port_field "$T_DIR/after.json" rx_missed)
echo "after $BURST datagrams into rings of $FRAMES frames: rx_kernel_ring_drops $after, rx_missed $missed"
check "the burst shows as kernel ring drops on the public port" test "$after" -gt "$before"
check "rx_missed includes the kernel ring drops" test "$missed" -ge "$after" -a "$missed" -gt 0
check "the ring drops are no more than the burst" test "$((after - before))" -le "$BURST"

curl -sS "http://127.0.0.1:$mport/metrics" > "$T_DIR/metrics.txt"
metric() {  # metric FAMILY: the public port's sample
  awk -v f="bugle_dataplane_$1{port=\"public\"}" '$1 == f { print $2 }' "$T_DIR/metrics.txt"
}
m_ring=$(metric port_rx_kernel_ring_drops_total)
m_missed=$(metric port_rx_missed_total)
check "/metrics has the public port's kernel ring drops ($m_ring), not below the stats" \
  test "${m_ring:-0}" -ge "$after" -a "${m_ring:-0}" -gt 0
check "/metrics has rx_missed ($m_missed) including them" test "${m_missed:-0}" -ge "${m_ring:-1}"
check "the data plane is still running" daemon_alive "$T_DIR/dp-ring.pid" bugle-dataplane
check "SIGTERM stops the data plane cleanly (exit 0)" stop_clean dp-ring
finish
