#!/usr/bin/env bash
# The control plane connects to the data plane over the real control channel; heartbeat and
# stats round trips work; hostile frames close only the offending connection and are counted,
# and neither daemon crashes. A fake data plane that talks garbage is dropped by the control
# plane, which stays connected to the real one.
. "$(dirname "$0")/lib.sh"

netns_up
port=$(free_port)
start_dataplane dp-ctl "$port"

# A fake "data plane" that answers every connection with garbage.
fake=$(free_port)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); s.settimeout(120)
while True:
    try:
        c, _ = s.accept()
    except socket.timeout:
        break
    c.sendall(b"\x00\x00\x00\x00\x05\xff\xff\xff\xff\xff" + b"junk" * 10); c.close()
' "$fake" > "$T_DIR/fake.log" 2>&1 &
fake_pid=$!
cleanup_push "kill $fake_pid"

start_controlplane cp-ctl "127.0.0.1:$port,127.0.0.1:$fake" --set dataplane.heartbeat_ms=200
check "the control plane reports postgres, rabbitmq and the data plane up" \
  wait_for 60 cp_status cp-ctl 'dep("postgres") and dep("rabbitmq") and dp("127.0.0.1:'"$port"'")'

ctl="$BUILD/buglectl --json --control 127.0.0.1:$port"
$ctl dataplane status > "$T_DIR/hb.json"
check "heartbeat round trip names the data plane" jq -e '.node == "dp-ctl" and .workers >= 1' "$T_DIR/hb.json"

frames() { python3 "$E2E_DIR/ctl_frames.py" "127.0.0.1:$port" "$1"; }
check "a hand-made heartbeat frame is answered OK" bash -c "[ \"\$(python3 '$E2E_DIR/ctl_frames.py' 127.0.0.1:$port heartbeat)\" = 'response kind=2 status=0' ]"
check "an unknown method is answered UNIMPLEMENTED" bash -c "[ \"\$(python3 '$E2E_DIR/ctl_frames.py' 127.0.0.1:$port unknown_method)\" = 'response kind=2 status=12' ]"
for c in bad_flag oversized undecodable garbage truncated; do
  got=$(frames "$c")
  check "$c frame: connection closed without a response (got '$got')" [ "$got" = closed ]
done
check "the data plane survived every hostile frame" daemon_alive "$T_DIR/dp-ctl.pid" bugle-dataplane

$ctl dataplane stats > "$T_DIR/stats.json"
for counter in closed_bad_flag closed_oversized closed_undecodable closed_truncated unknown_method; do
  check "counter ctl_$counter moved" \
    jq -e --arg n "ctl_$counter" '[.counters[] | select(.name == $n) | .value] | add >= 1' "$T_DIR/stats.json"
done

check "the control plane stays up and connected to the real data plane" \
  cp_status cp-ctl 'dp("127.0.0.1:'"$port"'")'
check "the garbage-talking peer is reported down" \
  cp_status cp-ctl '(dp("127.0.0.1:'"$fake"'") | not) and .dependencies["dataplane 127.0.0.1:'"$fake"'"] != null'
check "the control plane logged the malformed frame" grep -qi 'malformed\|undecodable\|protocol' "$T_DIR/cp-ctl.log"
check "the control plane is still running" daemon_alive "$T_DIR/cp-ctl.pid" bugle-controlplane
finish
