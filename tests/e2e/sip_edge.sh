#!/usr/bin/env bash
# The SIP edge proxy end to end: sipp phones in bugle-pub register and call through the data
# plane to a sipp backend on the internal side; a malformed request gets its 400; a scanner is
# dropped; a flood source is banned and let back in when the ban expires; an operator ban is
# visible; and no packet on the public side names an internal address.
. "$(dirname "$0")/lib.sh"

SIPP_DIR="$E2E_DIR/sipp"
netns_up
port=$(free_port)
ctl() { "$BUILD/buglectl" --json --control "127.0.0.1:$port" "$@"; }
stat() { ctl dataplane stats | jq -r --arg n "$1" '[.counters[] | select(.name == $n) | .value] | add // 0'; }

in_pub tcpdump -i bgl-pub1 -U -w "$T_DIR/public.pcap" udp >"$T_DIR/tcpdump.log" 2>&1 &
tcpdump_pid=$!
cleanup_push "kill $tcpdump_pid"

# -bg forks and prints the daemon's pid: the only way to stop exactly that process later.
# Port 5080: 5060 on that address belongs to the control plane in other tests.
BACKEND_PORT=5080
sipp -sf "$SIPP_DIR/backend_uas.xml" -i 198.51.100.2 -p "$BACKEND_PORT" -bg -trace_err \
  -error_file "$T_DIR/backend_err.log" >"$T_DIR/backend.log" 2>&1 || true  # the parent exits 99
backend_pid=$(grep -o 'PID=\[[0-9]*\]' "$T_DIR/backend.log" | tr -dc 0-9)
[ -n "$backend_pid" ] || { echo "sipp backend did not start"; exit 1; }
cleanup_push "kill $backend_pid"
sleep 0.5
kill -0 "$backend_pid" 2>/dev/null || { echo "sipp backend cannot listen on 198.51.100.2:$BACKEND_PORT"; exit 1; }

start_dataplane dp-sip "$port" --set dispatcher.nodes=198.51.100.2:$BACKEND_PORT \
  --set filter.ban_seconds=3 --set filter.density_requests=30
sleep 1

check "the backend answers the edge's OPTIONS probes" \
  bash -c "ctl() { \"$BUILD/buglectl\" --json --control 127.0.0.1:$port \"\$@\"; }; \
    for i in \$(seq 20); do ctl dataplane stats | jq -e '[.counters[]|select(.name==\"edge_health_replies\")|.value]|add>0' >/dev/null && exit 0; sleep 0.2; done; exit 1"

check "sipp REGISTER x3 through the data plane" in_pub timeout 30 sipp -sf "$SIPP_DIR/phone_register.xml" \
  -i 192.0.2.10 -p 5070 192.0.2.1:5060 -m 3 -r 5 -timeout 20s -timeout_error -trace_err \
  -error_file "$T_DIR/register_err.log"
check "sipp INVITE/ACK/BYE x3 through the data plane" in_pub timeout 40 sipp -sf "$SIPP_DIR/phone_call.xml" \
  -i 192.0.2.11 -p 5071 192.0.2.1:5060 -m 3 -r 2 -timeout 30s -timeout_error -trace_err \
  -error_file "$T_DIR/call_err.log"

printf 'INVITE sip:1@192.0.2.1 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.12:5072;branch=z9hG4bKbad1\nFrom: <sip:a@192.0.2.12>;tag=1\nTo: <sip:1@192.0.2.1>\nCSeq: 1 INVITE\nMax-Forwards: 70\nContent-Length: 0\n\n' >"$T_DIR/bad.sip"
in_pub "$E2E_DIR/sip_send.py" 192.0.2.12 192.0.2.1:5060 "$T_DIR/bad.sip" 1 1.5 >"$T_DIR/bad.out"
check "a request without Call-ID is answered 400 Missing Call-ID" grep -qx 'SIP/2.0 400 Missing Call-ID' "$T_DIR/bad.out"

printf 'OPTIONS sip:100@192.0.2.1 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.13:5073;branch=z9hG4bKscan@N@;rport\nFrom: <sip:100@192.0.2.13>;tag=s\nTo: <sip:100@192.0.2.1>\nCall-ID: scan-@N@\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nUser-Agent: friendly-scanner\nContent-Length: 0\n\n' >"$T_DIR/scan.sip"
in_pub "$E2E_DIR/sip_send.py" 192.0.2.13 192.0.2.1:5060 "$T_DIR/scan.sip" 3 1.5 >"$T_DIR/scan.out"
check "a friendly-scanner gets no answer" test ! -s "$T_DIR/scan.out"
check "and is counted under flt_scanner_ua" test "$(stat flt_scanner_ua)" -ge 3

sed 's/User-Agent: friendly-scanner/User-Agent: flooder/; s/192.0.2.13/192.0.2.14/g' "$T_DIR/scan.sip" >"$T_DIR/flood.sip"
in_pub "$E2E_DIR/sip_send.py" 192.0.2.14 192.0.2.1:5060 "$T_DIR/flood.sip" 300 1 >"$T_DIR/flood.out"
check "the flood source is banned by the density detector" \
  bash -c "\"$BUILD/buglectl\" --json --control 127.0.0.1:$port bans list | jq -e '.bans[] | select(.source==\"192.0.2.14\" and .reason==\"density\")' >/dev/null"
check "most of the flood was dropped" test "$(stat flt_banned)" -ge 200
# Fresh Call-IDs: the backend ignores a Call-ID it has already answered.
sed 's/scan-@N@/banned-@N@/' "$T_DIR/flood.sip" >"$T_DIR/banned.sip"
sed 's/scan-@N@/after-@N@/' "$T_DIR/flood.sip" >"$T_DIR/after.sip"
in_pub "$E2E_DIR/sip_send.py" 192.0.2.14 192.0.2.1:5060 "$T_DIR/banned.sip" 1 1 >"$T_DIR/flood2.out"
check "while banned, the source gets no answer" test ! -s "$T_DIR/flood2.out"
sleep 3.5
in_pub "$E2E_DIR/sip_send.py" 192.0.2.14 192.0.2.1:5060 "$T_DIR/after.sip" 1 2 >"$T_DIR/flood3.out"
check "after the ban expires the source is answered again" grep -q '^SIP/2.0 200' "$T_DIR/flood3.out"

ctl bans add 192.0.2.15 60 >/dev/null
check "buglectl bans add shows an operator ban" \
  bash -c "\"$BUILD/buglectl\" --json --control 127.0.0.1:$port bans list | jq -e '.bans[] | select(.source==\"192.0.2.15\" and .reason==\"operator\")' >/dev/null"
ctl bans del 192.0.2.15 >/dev/null
check "buglectl bans del removes it" \
  bash -c "! \"$BUILD/buglectl\" --json --control 127.0.0.1:$port bans list | jq -e '.bans[] | select(.source==\"192.0.2.15\")' >/dev/null"

sleep 0.5
kill "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
check "the capture on the public side holds the calls" \
  test "$(tshark -r "$T_DIR/public.pcap" -Y sip 2>/dev/null | wc -l)" -ge 20
check "no packet on the public side contains 198.51.100." \
  bash -c "! grep -aq '198\.51\.100\.' '$T_DIR/public.pcap'"
check "the data plane is still running" daemon_alive "$T_DIR/dp-sip.pid" bugle-dataplane
finish
