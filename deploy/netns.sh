#!/usr/bin/env bash
# The test network of DESIGN §6, built with network namespaces and veth pairs:
#
#   namespace bugle-pub                     root namespace
#   bgl-pub1 192.0.2.10/24 (+ .11-.19)  <-> bgl-pub0   data plane public port (af_packet), 192.0.2.1
#                                           bgl-int0   data plane internal port (af_packet), 198.51.100.1
#                                       <-> bgl-int1   198.51.100.2/24: control planes listen here
#
# The data plane owns its addresses itself, so the kernel must stay off its veth ends: no
# address, no ARP, no IPv6 there. Checksum offload is off on every end so frames carry full
# checksums when the data plane reads them.
#   netns.sh up | down | status
set -euo pipefail

NS=${BUGLE_NS:-bugle-pub}
PUB_DP=bgl-pub0; PUB_NS=bgl-pub1
INT_DP=bgl-int0; INT_CP=bgl-int1
PUB_HOSTS=${BUGLE_PUB_HOSTS:-10}      # 192.0.2.10 .. 192.0.2.(10+N-1) in the namespace

quiet_off() { ethtool -K "$@" >/dev/null 2>&1 || true; }

dp_end() {  # prepare an interface the data plane will drive through af_packet
  local ifc=$1
  ip addr flush dev "$ifc"
  ip link set "$ifc" arp off
  sysctl -qw "net.ipv6.conf.$ifc.disable_ipv6=1" 2>/dev/null || true
  quiet_off "$ifc" tx off rx off tso off gso off gro off lro off
  ip link set "$ifc" up
}

up() {
  ip netns list | grep -qw "^$NS" || ip netns add "$NS"
  ip -n "$NS" link set lo up

  if ! ip link show "$PUB_DP" >/dev/null 2>&1; then
    ip link add "$PUB_DP" type veth peer name "$PUB_NS"
    ip link set "$PUB_NS" netns "$NS"
  fi
  dp_end "$PUB_DP"
  ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$PUB_NS.disable_ipv6=1" 2>/dev/null || true
  ip netns exec "$NS" ethtool -K "$PUB_NS" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  for i in $(seq 0 $((PUB_HOSTS - 1))); do
    ip -n "$NS" addr replace "192.0.2.$((10 + i))/24" dev "$PUB_NS"
  done
  ip -n "$NS" link set "$PUB_NS" up

  if ! ip link show "$INT_DP" >/dev/null 2>&1; then
    ip link add "$INT_DP" type veth peer name "$INT_CP"
  fi
  dp_end "$INT_DP"
  sysctl -qw "net.ipv6.conf.$INT_CP.disable_ipv6=1" 2>/dev/null || true
  quiet_off "$INT_CP" tx off rx off tso off gso off gro off
  ip addr replace 198.51.100.2/24 dev "$INT_CP"
  ip link set "$INT_CP" up
  # Replies to the public side go through the data plane, never the kernel.
  sysctl -qw "net.ipv4.conf.$INT_CP.rp_filter=0" 2>/dev/null || true
}

down() {
  ip link del "$PUB_DP" 2>/dev/null || true
  ip link del "$INT_DP" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
}

status() {
  local ns=false pub=false int=false
  ip netns list | grep -qw "^$NS" && ns=true
  ip link show "$PUB_DP" >/dev/null 2>&1 && pub=true
  ip link show "$INT_DP" >/dev/null 2>&1 && int=true
  printf '{"namespace":"%s","namespace_up":%s,"public_veth":%s,"internal_veth":%s}\n' "$NS" "$ns" "$pub" "$int"
  $ns && $pub && $int
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
*) echo "usage: netns.sh up|down|status" >&2; exit 2 ;;
esac
