#!/usr/bin/env bash
# The relay's limits and refusals over the real control channel, with buglectl: exhausted RTP
# ports and a full session table give clear errors, delete frees the ports, and unknown
# sessions and impossible codecs are refused with a reason; nothing crashes.
. "$(dirname "$0")/lib.sh"

netns_up
ctl_port=$(free_port)
# 4 RTP/RTCP pairs (32000..32007) = 2 sessions of two legs; the table itself has room for 8.
start_dataplane dp-limits "$ctl_port" --set dataplane.hugepages=off --set media.rtp_port_min=32000 --set media.rtp_port_max=32007 \
  --set media.max_sessions=8
ctl() { "$BUILD/buglectl" --control "127.0.0.1:$ctl_port" "$@"; }
refused() {  # refused EXPECTED-TEXT buglectl-args...: exit code 1 and the text in the error
  local want=$1 out rc; shift
  out=$(ctl "$@" 2>&1) && rc=0 || rc=$?
  [ "$rc" = 1 ] && grep -q -- "$want" <<<"$out" || { echo "rc=$rc: $out"; return 1; }
}
leg() { echo "call-$1 a 192.0.2.10:$((4000 + $1 * 2)) PCMU/8000/0"; }

check "offer 1 fits" ctl session offer $(leg 1)
check "offer 2 fits" ctl session offer $(leg 2)
check "offer 3 is refused: RTP ports exhausted" refused "RTP ports exhausted" session offer $(leg 3)
check "delete frees a session" ctl session delete call-2
check "its ports are reusable after the grace period" wait_for 5 ctl session offer $(leg 3)
check "an unknown session is NOT_FOUND with its call-id" refused "no session with call-id 'nope'" session query nope
check "an answer for an unknown session is refused" refused "nope" session answer nope b 192.0.2.11:5000 PCMU/8000/0
check "an impossible codec is refused" refused "impossible codec PCMU/16000" session offer call-9 a 192.0.2.10:4000 PCMU/16000/0
check "an answer with no audio codec at all is refused" refused "no audio codec in common" session answer call-1 b 192.0.2.11:5000 telephone-event/8000/101
check "a bad address is refused" refused "not an IPv4 address" session offer call-9 a 192.0.2.300:4000 PCMU/8000/0
"$BUILD/buglectl" --json --control "127.0.0.1:$ctl_port" dataplane stats > "$T_DIR/stats.json"
check "refusals are counted and the table size reported" jq -e \
  '([.counters[] | select(.name == "relay_offers_refused_no_ports") | .value] | add) >= 1 and .sessions_active == 2 and .sessions_max == 8' \
  "$T_DIR/stats.json"
daemon_stop "$T_DIR/dp-limits.pid" bugle-dataplane 20

# A table of 1 session with plenty of ports: the second offer finds the table full.
ctl_port=$(free_port)
start_dataplane dp-limits2 "$ctl_port" --set dataplane.hugepages=off --set media.rtp_port_min=32000 --set media.rtp_port_max=32099 \
  --set media.max_sessions=1
check "offer 1 fits a table of one" ctl session offer $(leg 1)
check "offer 2 is refused: session table full" refused "session table full" session offer $(leg 2)
check "the data plane is still running" daemon_alive "$T_DIR/dp-limits2.pid" bugle-dataplane
finish
