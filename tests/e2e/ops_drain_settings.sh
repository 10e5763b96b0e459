#!/usr/bin/env bash
# Drain and run-time settings of a data plane through buglectl, in both output formats:
#  - drain: the heartbeat says draining; a new media session offer is refused (UNAVAILABLE) and a
#    new INVITE gets 503 with Retry-After, while the live session keeps relaying RTP; drained is
#    reported once the last session is gone; undrain takes new calls again;
#  - settings: get/set/diff/revert round trip; the change reaches the code that uses it (the
#    filter policy the edge applies, the period of the edge's OPTIONS probes); a
#    non-reloadable setting is refused by name.
# A stand-in control plane on the internal side records what the edge sends it (probes and
# forwarded INVITEs) and answers nothing.
. "$(dirname "$0")/lib.sh"
jqe() { jq -e "$@" >/dev/null; }
quiet() { "$@" >/dev/null; }

netns_up
port=$(free_port)
CP=198.51.100.2:5091
python3 - "$CP" >"$T_DIR/cp.txt" <<'PY' &
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((host, int(port)))
s.settimeout(0.2)
end = time.time() + 120          # bounded: longer than the test needs
while time.time() < end:
    try:
        raw, peer = s.recvfrom(65535)
    except socket.timeout:
        continue
    data = raw.decode(errors="replace")
    lines = data.split("\r\n")
    call_id = next((l.split(":", 1)[1].strip() for l in lines
                    if l.lower().startswith("call-id:")), "-")
    print("%.3f %s %s" % (time.time(), data.split(" ", 1)[0], call_id), flush=True)
    if data.startswith("OPTIONS "):   # healthy: answer the edge's probes
        keep = [l for l in lines if l.split(":", 1)[0].lower() in ("via", "from", "to", "call-id", "cseq")]
        s.sendto(("SIP/2.0 200 OK\r\n" + "\r\n".join(keep) +
                  "\r\nContent-Length: 0\r\n\r\n").encode(), peer)
PY
cp_pid=$!
cleanup_push "kill $cp_pid"
start_dataplane dp-drain "$port" --set dataplane.hugepages=off --set metrics.listen= \
  --set media.rtp_port_min=32000 --set media.rtp_port_max=32099 --set "dispatcher.nodes=$CP"
# OPTIONS probes that reached the stand-in in the last SECONDS seconds.
probes_in_last() {
  awk -v since="$(python3 -c "import time; print(time.time() - $1)")" \
    '$2 == "OPTIONS" && $1 >= since' "$T_DIR/cp.txt" | wc -l
}
ctl() { "$BUILD/buglectl" --json --control "127.0.0.1:$port" "$@"; }
human() { "$BUILD/buglectl" --control "127.0.0.1:$port" "$@"; }
peer() { in_pub "$BUILD/rtp-peer" "$@"; }
in_pub ping -c 1 -W 2 -I 192.0.2.10 192.0.2.1 >/dev/null
in_pub ping -c 1 -W 2 -I 192.0.2.11 192.0.2.1 >/dev/null

# An INVITE that opens a dialog (no To tag), from 192.0.2.12; prints the whole answer.
invite() {
  in_pub python3 - "$1" <<'PY'
import socket, sys
msg = ("INVITE sip:100@192.0.2.1 SIP/2.0\r\n"
       "Via: SIP/2.0/UDP 192.0.2.12:5072;branch=z9hG4bK-%s;rport\r\n"
       "From: <sip:a@192.0.2.12>;tag=f1\r\nTo: <sip:100@192.0.2.1>\r\n"
       "Call-ID: drain-%s\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
       "Contact: <sip:a@192.0.2.12:5072>\r\nContent-Length: 0\r\n\r\n") % (sys.argv[1], sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.12", 5072))
s.settimeout(3)
s.sendto(msg.encode(), ("192.0.2.1", 5060))
try:
    print(s.recvfrom(65535)[0].decode(errors="replace"))
except socket.timeout:
    print("(no answer)")
PY
}

# ---- drain ----------------------------------------------------------------------------------
ctl session offer call-1 a 192.0.2.10:4700 PCMU/8000/0 >"$T_DIR/offer.json"
ctl session answer call-1 b 192.0.2.11:5700 PCMU/8000/0 >"$T_DIR/answer.json"
to_b=$(jq -r .local_port "$T_DIR/offer.json")
to_a=$(jq -r .local_port "$T_DIR/answer.json")

ctl dataplane status >"$T_DIR/hb0.json"
check "before the drain the heartbeat says not draining" jqe '.draining == false' "$T_DIR/hb0.json"
ctl dataplane drain "127.0.0.1:$port" >"$T_DIR/drain.json"
check "drain answers draining, not drained (one live session)" \
  jqe '.draining == true and .drained == false and .sessions_active == 1' "$T_DIR/drain.json"
ctl dataplane status >"$T_DIR/hb1.json"
check "the heartbeat says draining" jqe '.draining == true' "$T_DIR/hb1.json"

rc=0; ctl session offer call-2 a 192.0.2.10:4400 PCMU/8000/0 >"$T_DIR/offer2.json" 2>"$T_DIR/offer2.err" || rc=$?
check "a new session offer is refused while draining (exit 1)" test "$rc" = 1
check "with a reason that says so" grep -q "draining" "$T_DIR/offer2.err"
check "a repeated offer for the live session is still accepted" \
  quiet ctl session offer call-1 a 192.0.2.10:4700 PCMU/8000/0

invite 1 >"$T_DIR/invite1.txt"
check "a new INVITE gets 503 Draining" grep -q '^SIP/2.0 503 Draining' "$T_DIR/invite1.txt"
check "and never reaches the control plane" bash -c "! grep -q ' INVITE drain-1$' '$T_DIR/cp.txt'"
check "with a Retry-After" grep -qi '^Retry-After: [0-9]' "$T_DIR/invite1.txt"

# The live session keeps relaying both ways while the node drains.
peer --local 192.0.2.11:5700 --remote "192.0.2.1:$to_b" --count 50 --after-rx --expect 50 \
  --wait-ms 5000 --json "$T_DIR/b.json" &
b_pid=$!
sleep 0.2
peer --local 192.0.2.10:4700 --remote "192.0.2.1:$to_a" --count 50 --expect 50 --wait-ms 5000 \
  --json "$T_DIR/a.json" || fail "rtp-peer A exited with an error"
wait "$b_pid" || fail "rtp-peer B exited with an error"
check "the live session relayed A's 50 packets to B" jqe '.received == 50' "$T_DIR/b.json"
check "and B's 50 packets to A" jqe '.received == 50' "$T_DIR/a.json"

check "the refusals are counted" bash -c "'$BUILD/buglectl' --json --control 127.0.0.1:$port dataplane stats |
  jq -e '[.counters[] | select(.name == \"relay_offers_refused_draining\" or .name == \"edge_drain_refused\") | .value] == [1, 1]' >/dev/null"

ctl session delete call-1 >/dev/null
ctl dataplane status >"$T_DIR/hb2.json"
human dataplane drain "127.0.0.1:$port" >"$T_DIR/drain2.txt"
check "with the last session gone the node reports drained (table output)" \
  grep -Eq '^drained +true' "$T_DIR/drain2.txt"

human dataplane undrain "127.0.0.1:$port" >"$T_DIR/undrain.txt"
check "undrain: draining false" grep -Eq '^draining +false' "$T_DIR/undrain.txt"
check "new offers are taken again" quiet ctl session offer call-3 a 192.0.2.10:4600 PCMU/8000/0
invite 2 >"$T_DIR/invite2.txt"
check "a new INVITE is forwarded to the control plane again" grep -q ' INVITE drain-2$' "$T_DIR/cp.txt"
check "and not answered Draining" bash -c "! grep -q 'Draining' '$T_DIR/invite2.txt'"

# ---- settings -------------------------------------------------------------------------------
ctl settings get >"$T_DIR/all.json"
check "settings get lists every setting with value, default and reloadable" \
  jqe '.count > 30 and (.settings | map(select(.name == "filter.ban_seconds" and .value == "300"
         and .default == "300" and .reloadable == true)) | length == 1)
         and (.settings | map(select(.name == "dataplane.workers" and .reloadable == false)) | length == 1)' \
  "$T_DIR/all.json"
human settings get filter.ban_seconds >"$T_DIR/one.txt"
check "settings get NAME as a table" grep -Eq '^ +filter\.ban_seconds +300 +300 +yes' "$T_DIR/one.txt"
check "settings diff is empty at first" bash -c "'$BUILD/buglectl' --json --control 127.0.0.1:$port settings diff | jq -e '.count == 0' >/dev/null"

ctl settings set filter.ban_seconds 45 >"$T_DIR/set.json"
check "settings set answers the new value" jqe '.settings[0].value == "45"' "$T_DIR/set.json"
human settings set filter.invite_per_second 9 >"$T_DIR/set2.txt"
check "settings set as a table" grep -Eq '^ +filter\.invite_per_second +9 ' "$T_DIR/set2.txt"
ctl filter show >"$T_DIR/policy.json"
check "the change reached the edge's filter policy" \
  jqe '.ban_seconds == 45 and .invite_per_second == 9' "$T_DIR/policy.json"
slow=$(probes_in_last 2)
ctl settings set dispatcher.probe_interval_ms 100 >/dev/null
sleep 2.2
fast=$(probes_in_last 2)
check "a shorter probe period reaches the edge's prober ($slow -> $fast OPTIONS in 2 s)" \
  bash -c "[ $slow -le 6 ] && [ $fast -ge 12 ]"
ctl settings set log.level debug >/dev/null
ctl settings diff >"$T_DIR/diff.json"
check "settings diff (json) lists the four changes with start-up and current values" \
  jqe '.count == 4 and (.changed | map(select(.name == "filter.ban_seconds" and .startup == "300"
         and .value == "45")) | length == 1)' "$T_DIR/diff.json"
human settings diff >"$T_DIR/diff.txt"
check "settings diff (table)" grep -Eq '^ +log\.level +info +debug' "$T_DIR/diff.txt"

rc=0; human settings set dataplane.workers 2 >/dev/null 2>"$T_DIR/refused.err" || rc=$?
check "a non-reloadable setting is refused (exit 1)" test "$rc" = 1
check "naming the setting" grep -q "dataplane.workers.*not reloadable" "$T_DIR/refused.err"
rc=0; ctl settings set filter.ban_seconds 0 >"$T_DIR/bad.json" 2>/dev/null || rc=$?
check "an out-of-range value is refused (exit 1, JSON error)" \
  bash -c "[ $rc = 1 ] && jq -e '.exit_code == 1 and (.error | test(\"out of range\"))' '$T_DIR/bad.json' >/dev/null"
rc=0; human settings set no.such 1 >/dev/null 2>&1 || rc=$?
check "an unknown setting is refused (exit 1)" test "$rc" = 1
rc=0; human settings set >/dev/null 2>&1 || rc=$?
check "settings set without arguments is a usage error (exit 2)" test "$rc" = 2

ctl settings revert >"$T_DIR/revert.json"
check "settings revert lists what it reverted" jqe '.count == 4' "$T_DIR/revert.json"
check "after revert the diff is empty" bash -c "'$BUILD/buglectl' --json --control 127.0.0.1:$port settings diff | jq -e '.count == 0' >/dev/null"
ctl filter show >"$T_DIR/policy2.json"
check "and the filter policy is back to its start-up values" \
  jqe '.ban_seconds == 300 and .invite_per_second == 5' "$T_DIR/policy2.json"
sleep 2.2
back=$(probes_in_last 2)
check "and the probes back to their start-up period ($back OPTIONS in 2 s)" test "$back" -le 6
human settings revert >"$T_DIR/revert2.txt"
check "a second revert has nothing to do" grep -Eq '^count +0' "$T_DIR/revert2.txt"

check "the data plane is still running" daemon_alive "$T_DIR/dp-drain.pid" bugle-dataplane
check "and stops cleanly" stop_clean dp-drain
finish
