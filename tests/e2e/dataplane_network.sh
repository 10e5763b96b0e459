#!/usr/bin/env bash
# The data plane answers ARP and ICMP echo for its own addresses on both ports, from a host in
# the bugle-pub namespace and from the internal side, and ignores addresses that are not its own.
. "$(dirname "$0")/lib.sh"

netns_up
port=$(free_port)
start_dataplane dp-net "$port"

check "ping 192.0.2.1 from bugle-pub is answered" in_pub ping -c 3 -i 0.2 -W 2 192.0.2.1
check "arping 192.0.2.1 from bugle-pub is answered" in_pub arping -c 2 -w 5 -I bgl-pub1 192.0.2.1
dp_mac=$(cat /sys/class/net/bgl-pub0/address)
check "the namespace learnt the data plane's MAC ($dp_mac)" \
  bash -c "ip -n bugle-pub neigh show 192.0.2.1 | grep -qi '$dp_mac'"
check "ping 198.51.100.1 from the internal side is answered" ping -c 3 -i 0.2 -W 2 -I bgl-int1 198.51.100.1
check "an address that is not ours gets no answer" bash -c "! ip netns exec bugle-pub ping -c 2 -W 1 192.0.2.99"

"$BUILD/buglectl" --json --control "127.0.0.1:$port" dataplane stats > "$T_DIR/stats.json"
check "stats over the control channel count the echo requests" \
  jq -e '[.counters[] | select(.name == "rx_icmp_echo") | .value] | add >= 6' "$T_DIR/stats.json"
check "stats report both ports with received packets" \
  jq -e '[.ports[] | select(.rx_packets > 0)] | length == 2' "$T_DIR/stats.json"
check "the data plane is still running" daemon_alive "$T_DIR/dp-net.pid" bugle-dataplane
check "SIGTERM stops the data plane cleanly (exit 0)" stop_clean dp-net
finish
