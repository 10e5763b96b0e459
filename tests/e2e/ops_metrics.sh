#!/usr/bin/env bash
# /metrics of a running data plane: scraped with curl and with buglectl (both formats), the
# exposition validated strictly (ops_expo_check.py), counters moving with traffic (ping), and
# anything but GET /metrics answered 404/405/400 without hurting the next scrape.
. "$(dirname "$0")/lib.sh"
jqe() { jq -e "$@" >/dev/null; }
quiet() { "$@" >/dev/null; }

netns_up
port=$(free_port)
mport=$(free_port)
murl="http://127.0.0.1:$mport/metrics"
start_dataplane dp-metrics "$port" --set dataplane.hugepages=off \
  --set "metrics.listen=127.0.0.1:$mport"
wait_tcp 127.0.0.1 "$mport" 30 || { echo "/metrics is not listening on $mport"; exit 1; }
check_expo() { python3 "$E2E_DIR/ops_expo_check.py" "$@"; }
sample() { check_expo --get "$@" <"$T_DIR/after.txt"; }

curl -sS -D "$T_DIR/head.txt" -o "$T_DIR/before.txt" "$murl"
check "the scrape is HTTP 200 with the 0.0.4 text content type" \
  bash -c "grep -q '^HTTP/1.1 200 OK' '$T_DIR/head.txt' && \
    grep -qi '^Content-Type: text/plain; version=0.0.4' '$T_DIR/head.txt'"
check "the exposition passes the strict format check" check_expo "$T_DIR/before.txt"
for fam in drops_total packets_total bytes_total sessions mbufs_in_use lcore_polls_total \
           control_channel_frames_rx_total edge_pub_requests_total flt_accepted_total; do
  check "family bugle_dataplane_$fam has HELP and TYPE" \
    bash -c "grep -q '^# HELP bugle_dataplane_$fam ' '$T_DIR/before.txt' && \
      grep -q '^# TYPE bugle_dataplane_$fam ' '$T_DIR/before.txt'"
done
every_drop_exported() {
  local n
  for n in $("$BUILD/buglectl" --json --control "127.0.0.1:$port" dataplane stats |
             jq -r '.counters[].name | select(test("drop"))'); do
    grep -q "^bugle_dataplane_drops_total{reason=\"$n\"} " "$T_DIR/before.txt" ||
      { echo "no drops_total sample for $n"; return 1; }
  done
}
check "every drop counter of the stats is a drops_total reason" every_drop_exported

in_pub ping -c 5 -i 0.2 -W 2 -I 192.0.2.10 192.0.2.1 >"$T_DIR/ping.txt" 2>&1 || fail "ping 192.0.2.1"
curl -sS -o "$T_DIR/after.txt" "$murl"
check "the second scrape passes the format check too" check_expo "$T_DIR/after.txt"
before_echo=$(check_expo --get bugle_dataplane_net_rx_icmp_echo_total <"$T_DIR/before.txt")
after_echo=$(sample bugle_dataplane_net_rx_icmp_echo_total)
check "ICMP echo counter moved with 5 pings ($before_echo -> $after_echo)" \
  test "$after_echo" -ge $((before_echo + 5))
before_rx=$(check_expo --get bugle_dataplane_packets_total port=public direction=rx <"$T_DIR/before.txt")
after_rx=$(sample bugle_dataplane_packets_total port=public direction=rx)
check "public rx packets moved ($before_rx -> $after_rx)" test "$after_rx" -ge $((before_rx + 5))
check "the control channel's counters are there" quiet sample bugle_dataplane_control_channel_frames_rx_total

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "GET /other is 404" test "$(status "http://127.0.0.1:$mport/other")" = 404
check "POST /metrics is 405" test "$(status -X POST "$murl")" = 405
check "a garbage request is 400" \
  bash -c "printf 'hello there\r\n\r\n' | timeout 5 nc -q 2 127.0.0.1 $mport | head -1 | grep -q '^HTTP/1.1 400 '"
check "a client that sends nothing is closed in time" \
  bash -c "timeout 10 nc -d 127.0.0.1 $mport </dev/null >/dev/null"
scrapes=$(curl -sS "$murl" | check_expo --get bugle_dataplane_metrics_http_bad_requests_total)
check "the bad requests were counted ($scrapes)" test "$scrapes" -ge 3

"$BUILD/buglectl" dataplane metrics "127.0.0.1:$mport" >"$T_DIR/ctl.txt"
check "buglectl dataplane metrics prints a valid exposition" check_expo "$T_DIR/ctl.txt"
"$BUILD/buglectl" --json dataplane metrics "127.0.0.1:$mport" >"$T_DIR/ctl.json"
check "buglectl --json dataplane metrics gives the samples as JSON" \
  jqe '.samples | map(select(.name == "bugle_dataplane_packets_total" and .labels.port == "public"
         and .labels.direction == "rx")) | length == 1' "$T_DIR/ctl.json"
rc=0; "$BUILD/buglectl" dataplane metrics 127.0.0.1:1 >/dev/null 2>&1 || rc=$?
check "buglectl dataplane metrics on a closed port exits 3 (unreachable)" test "$rc" = 3

check "the data plane is still running" daemon_alive "$T_DIR/dp-metrics.pid" bugle-dataplane
check "and stops cleanly" stop_clean dp-metrics
finish
