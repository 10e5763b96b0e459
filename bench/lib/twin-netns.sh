# Network set-up shared by the network benchmarks (sip_forward, flood, relay_veth); sourced, not
# run. Each benchmark measures Bugle on veths and then, for its peer, gives the same veth ends to
# the kernel in a "twin" namespace of their own, so the peer's packets cross the same veths.
# Nothing here ever puts a 192.0.2.x address in the root namespace.
# Needs $repo (the source tree) set by the caller.

# offloads_off IFACE: full checksums in every frame, as the data plane reads them.
offloads_off() { ethtool -K "$1" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true; }

# bench_free_port: a TCP port nothing listens on at 127.0.0.1.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# testnet_take / testnet_restore: the shared test network (deploy/netns.sh) for a benchmark,
# then back to how it was (up or absent), as the tests expect it.
testnet_take() {
  testnet_was_up=0
  "$repo/deploy/netns.sh" status >/dev/null 2>&1 && testnet_was_up=1
  "$repo/deploy/netns.sh" up
}
testnet_restore() {
  if [ "${testnet_was_up:-0}" -eq 1 ]; then "$repo/deploy/netns.sh" up; else "$repo/deploy/netns.sh" down; fi
}

# ns_free NAME...: fails, saying so, when a namespace exists already (another run, or a leftover).
ns_free() {
  local ns
  for ns in "$@"; do
    if ip netns list | grep -qw "^$ns"; then
      echo "bench: namespace $ns exists: another run, or a leftover (ip netns del $ns)" >&2
      return 1
    fi
  done
}

# dp_veth_end IFACE: an end the data plane drives through af_packet and owns the addresses of:
# no kernel address, no ARP, no IPv6.
dp_veth_end() {
  ip addr flush dev "$1" 2>/dev/null || true
  ip link set "$1" arp off
  sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" 2>/dev/null || true
  offloads_off "$1"
  ip link set "$1" up
}

# twin_enter NS IFACE=ADDR/PREFIX...: moves the data plane's veth ends from the root namespace
# into a new namespace NS where the kernel owns them with those addresses, for a peer to listen
# on. The far ends keep their addresses; flush their neighbour caches yourself if needed.
twin_enter() {
  local ns=$1 spec dev; shift
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  for spec in "$@"; do
    dev=${spec%%=*}
    ip link set "$dev" netns "$ns"
    ip -n "$ns" link set "$dev" arp on up
    ip -n "$ns" addr replace "${spec#*=}" dev "$dev"
  done
}

# twin_leave NS [IFACE...]: moves those ends back to the root namespace (as data plane ends again)
# and deletes NS; the ends not named are deleted with it (a veth's deletion removes its pair).
# Safe to call when NS does not exist.
twin_leave() {
  local ns=$1 dev; shift
  ip netns list | grep -qw "^$ns" || return 0
  for dev in "$@"; do
    ip -n "$ns" link set "$dev" netns 1 2>/dev/null && dp_veth_end "$dev"
  done
  ip netns del "$ns"
}

# Kamailio as the peer of the SIP benchmarks (sip_forward, flood): it takes the data plane's
# public and internal veth ends, with the data plane's addresses, in twin namespace NS.
kamailio_twin_enter() {
  twin_enter "$1" bgl-pub0=192.0.2.1/24 bgl-int0=198.51.100.1/24
  ip -n bugle-pub neigh flush all 2>/dev/null || true
  ip neigh flush dev bgl-int1 2>/dev/null || true
}

# kamailio_cfg_head: the global part of those Kamailio configurations; the caller appends its
# own modules and request_route.
kamailio_cfg_head() {
  cat <<'KAM'
#!KAMAILIO
debug=0
log_stderror=yes
fork=yes
children=2
disable_tcp=yes
auto_aliases=no
# Replies leave by the socket on the route to the phone (192.0.2.1), not the one they came in.
mhomed=1
listen=udp:192.0.2.1:5060
listen=udp:198.51.100.1:5060
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
KAM
}

# kamailio_start NS DIR: Kamailio in NS with DIR/kamailio.cfg, pid and log files in DIR.
kamailio_start() {
  daemon_start "$2/kamailio.pid" "$2/kamailio.log" ip netns exec "$1" kamailio -f "$2/kamailio.cfg" \
    -DD -E -Y "$2" -P "$2/kamailio-main.pid" -m 256 -M 16
  sleep 1.5
}
