#!/usr/bin/env bash
# SIP forwarding benchmark (issue 3): sipfwd-gen in the bugle-pub namespace sends OPTIONS and
# REGISTER through a SIP proxy on 192.0.2.1:5060 to sipfwd-resp on 198.51.100.2:5090, stepping
# the offered rate to the highest with < 0.1 % loss. Measured twice in one run:
#   1. bugle-dataplane on the test network (deploy/netns.sh), dispatcher pointed at the
#      responder, the generator's address allow-listed (no density ban: the proxy's cost, not
#      the filter's, is measured; the flood benchmark measures the filter);
#   2. Kamailio, stateless forward() (config written below at run time), on the same veths
#      with the data plane stopped: the data plane's two veth ends (bgl-pub0, bgl-int0) move
#      into a namespace of their own (bgl-bench-kam) where the kernel gives them 192.0.2.1 and
#      198.51.100.1 and Kamailio listens on both, so both legs cross the same veths as the
#      data plane's. (Not in the root namespace: the host may use 192.0.2.0/24 itself.) The
#      ends move back and the test network is restored afterwards (netns.sh up).
# Prints both figures, the ratio (goal >= 5x) and RESULT lines. Needs root.
#   bench/sip_forward/run.sh [--build DIR] [--quick]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/bench/lib/prelude.sh" sip_forward "$@"

bin=$build/bench/sip_forward
for f in "$bin/sipfwd-gen" "$bin/sipfwd-resp" "$build/bugle-dataplane"; do
  [ -x "$f" ] || { echo "sip_forward: $f is not built" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "sip_forward: needs root (namespaces, af_packet)" >&2; exit 1; }

RESP=198.51.100.2:5090
GEN_SRC=192.0.2.10
if [ $quick -eq 1 ]; then steps="--step-s 1 --max-steps 9"; else steps="--step-s 3 --max-steps 12"; fi

KNS=bgl-bench-kam
ns_free "$KNS" || exit 1
T=$(mktemp -d /tmp/bugle-bench-sipfwd.XXXXXX)
cleanup() {
  set +e
  daemon_stop "$T/kamailio.pid" kamailio 10
  daemon_stop "$T/dp.pid" bugle-dataplane 20
  daemon_stop "$T/resp.pid" sipfwd-resp 5
  twin_leave "$KNS" bgl-pub0 bgl-int0
  testnet_restore
  rm -rf "$T"
}
trap cleanup EXIT
testnet_take

daemon_start "$T/resp.pid" "$T/resp.log" "$bin/sipfwd-resp" --listen "$RESP" --seconds 900
sleep 0.3
daemon_alive "$T/resp.pid" sipfwd-resp || { cat "$T/resp.log"; exit 1; }

gen() {  # gen LABEL: the rate search through 192.0.2.1:5060; prints the best rate
  ip netns exec bugle-pub "$bin/sipfwd-gen" --src "$GEN_SRC" --dst 192.0.2.1:5060 --search \
    --start 5000 $steps > "$T/gen-$1.log" || { echo "sip_forward: the generator failed" >&2; return 1; }
  sed 's/^/  /' "$T/gen-$1.log" | grep -v '^  GEN' >&2
  # Offered rate against loss, per step, for the chart (on stderr: stdout is the figure).
  sed -n 's/^step [0-9]* rate=\([0-9]*\) .* loss=\([0-9.]*\) .*/\1 \2/p' "$T/gen-$1.log" |
    awk '{ print $1, $2 * 100 }' | bench_series sip_forward "$1" "offered requests/s" "loss %" >&2
  sed -n 's/^GEN .*"best_rate": \([0-9]*\).*/\1/p' "$T/gen-$1.log"
}

# --- 1. bugle-dataplane -------------------------------------------------------------------
bench_dataplane_start "$T" bench-fwd --set "dispatcher.nodes=$RESP" \
  --set "filter.allow_sources=$GEN_SRC/32" || exit 1
sleep 2  # the first health probes reach the responder
echo "bugle-dataplane (1 worker lcore):" >&2
bugle=$(gen bugle) || exit 1
daemon_stop "$T/dp.pid" bugle-dataplane 20

# --- 2. Kamailio -------------------------------------------------------------------------
peer=null
if command -v kamailio >/dev/null; then
  kamailio_twin_enter "$KNS"
  # Stateless forwarding of everything to the responder; replies follow the Via back.
  { kamailio_cfg_head; cat <<KAM
loadmodule "maxfwd.so"
request_route {
  if (!mf_process_maxfwd_header("10")) { drop; }
  force_send_socket(udp:198.51.100.1:5060);
  forward("198.51.100.2", 5090);
}
KAM
  } > "$T/kamailio.cfg"
  kamailio_start "$KNS" "$T"
  if daemon_alive "$T/kamailio.pid" kamailio; then
    echo "kamailio (stateless forward, children=2):" >&2
    peer=$(gen kamailio) || peer=null
  else
    echo "sip_forward: kamailio did not start:" >&2; tail "$T/kamailio.log" >&2
  fi
  daemon_stop "$T/kamailio.pid" kamailio 10
else
  echo "sip_forward: kamailio is not installed (deploy/install-deps.sh): no peer figure" >&2
fi

ratio=null
[ "$peer" != null ] && [ "${peer:-0}" -gt 0 ] && ratio=$(awk -v a="$bugle" -v b="$peer" 'BEGIN { printf "%.2f", a / b }')
printf 'forwarded msg/s at <0.1%% loss: bugle %s, kamailio %s, ratio %s (goal >= 5x)\n' \
  "$bugle" "$peer" "$ratio"
printf 'RESULT {"name":"sip_forward","metric":"forwarded requests/s at <0.1%% loss","unit":"msg/s","bugle":%s,"peer_name":"kamailio stateless forward()","peer":%s,"ratio":%s,"goal":">= 5x kamailio"}\n' \
  "$bugle" "$peer" "$ratio"
