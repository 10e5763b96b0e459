#!/usr/bin/env bash
# buglectl against the whole stack (data plane, control plane, PostgreSQL, RabbitMQ): status in
# both formats and its exit codes (with its own probes of PostgreSQL and RabbitMQ, one of them
# pointed at a closed port), registrations of the sipp devices, calls list/show/kill of a live
# sipp call (both devices get the BYE), drain of the control plane with a live call that ends
# normally while a new INVITE gets 503, undrain, the data plane's commands (status, stats,
# bans, filter, dispatcher, session) in both formats with a ban's add and del seen in the drop
# counters, and --help on every command. Settings get/set/diff/revert: ops_drain_settings.sh;
# drain of one control plane of two: ops_drain.sh.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

# The control plane's API address: the last api.listen on its command line wins.
API="http://$(tr '\0' '\n' < "/proc/$(cat "$T_DIR/cp-call.pid")/cmdline" | sed -n 's/^api\.listen=//p' | tail -n 1)"
check "the control plane's API answers" wait_tcp 127.0.0.1 "${API##*:}" 30
. "$E2E_DIR/ops_lib.sh"

bctl() { "$BUILD/buglectl" --control "127.0.0.1:$DP_PORT" --api "$API" --api-key "$KEY" "$@"; }
# status's own probes of PostgreSQL and RabbitMQ: the test services, not the stack's defaults.
export BUGLE_DB BUGLE_AMQP
BUGLE_DB=$(pg_conninfo) BUGLE_AMQP=$(amqp_url)
# rc_of CMD...: the exit code of a command, its output dropped.
rc_of() { local rc=0; "$@" > /dev/null 2>&1 || rc=$?; echo "$rc"; }
# has_lines FILE REGEX...: every extended regex matches a line of FILE.
has_lines() { local f=$1 re; shift; for re in "$@"; do grep -Eq -- "$re" "$f" || { echo "no line /$re/ in $f"; return 1; }; done; }

# --- status: every node, table and JSON, exit codes
check "status: exit 0 with every node up" saved_to "$T_DIR/status.txt" bctl status
check "status table: the data plane, the control plane, PostgreSQL and RabbitMQ (both views) are up" \
  has_lines "$T_DIR/status.txt" "^ +dataplane +dp-call +127\.0\.0\.1:$DP_PORT +up " \
    "^ +controlplane +cp-call +${API//./\\.} +up " \
    "^ +postgres +buglectl +[0-9.]+:[0-9]+ +up +[0-9]" "^ +postgres +controlplanes +- +up " \
    "^ +rabbitmq +buglectl +[0-9.]+:[0-9]+ +up +[0-9]" "^ +rabbitmq +controlplanes +- +up "
bctl --json status > "$T_DIR/status.json" || true
check "status JSON: six rows up, versions and uptimes of the daemons, the servers' versions" \
  jq -e '.state == "up" and (.nodes | length) == 6 and ([.nodes[] | select(.state == "up")] | length) == 6
         and ([.nodes[] | select(.kind == "dataplane" or .kind == "controlplane")
               | select((.version | length) > 0 and .uptime_s >= 0)] | length) == 2
         and ([.nodes[] | select(.node == "buglectl") | select((.version | length) > 0)] | length) == 2' \
    "$T_DIR/status.json"
closed=$(free_port)
rc=0; bctl --json status --amqp "amqp://guest:guest@127.0.0.1:$closed/" > "$T_DIR/status-mq.json" || rc=$?
check "status: RabbitMQ not answering buglectl gives exit 1" test "$rc" = 1
check "status JSON: RabbitMQ down in buglectl's view, up as the control plane sees it" \
  jq -e --arg a "127.0.0.1:$closed" '.state == "down" and
    ([.nodes[] | select(.kind == "rabbitmq" and .node == "buglectl" and .address == $a and .state == "down")] | length == 1) and
    ([.nodes[] | select(.kind == "rabbitmq" and .node == "controlplanes" and .state == "up")] | length == 1)' \
    "$T_DIR/status-mq.json"
rc=0; bctl status --db "host=127.0.0.1 port=$closed dbname=bugle user=bugle connect_timeout=2" \
  > "$T_DIR/status-pg.txt" || rc=$?
check "status: PostgreSQL not answering buglectl gives exit 1" test "$rc" = 1
check "status table: PostgreSQL down in buglectl's view" \
  has_lines "$T_DIR/status-pg.txt" "^state +down" "^ +postgres +buglectl +127\.0\.0\.1:$closed +down "
check "status --db '' --amqp '': no probe of its own, exit 0" \
  saved_to "$T_DIR/status-noprobe.txt" bctl status --db "" --amqp ""
check "status without its own probes: only the control planes' view" \
  bash -c "! grep -Eq '^ +(postgres|rabbitmq) +buglectl ' '$T_DIR/status-noprobe.txt'"
check "status: an unknown option is a usage error (exit 2)" test "$(rc_of bctl status --nope)" = 2
check "status: a node that does not answer gives exit 3" \
  test "$(rc_of bctl --control 127.0.0.1:1 --control "127.0.0.1:$DP_PORT" status)" = 3
bctl --json --control 127.0.0.1:1 status > "$T_DIR/status-down.json" || true
check "status JSON: the unreachable node is named" \
  jq -e '.state == "unreachable" and
         ([.nodes[] | select(.address == "127.0.0.1:1" and .state == "unreachable")] | length == 1)' \
    "$T_DIR/status-down.json"

# --- registrations of the devices call_lib.sh registered
bctl --json registrations list > "$T_DIR/regs.json" || true
check "registrations list JSON: alice and bob from bugle-pub" \
  jq -e '[.registrations[] | select(.username == "alice" or .username == "bob")] | length == 2' "$T_DIR/regs.json"
bctl registrations list --account "$acct" > "$T_DIR/regs.txt" || true
check "registrations list table: a row per device" \
  has_lines "$T_DIR/regs.txt" "^ +alice +$realm " "^ +bob +$realm "
check "registrations list: a wrong API key is refused (exit 1)" \
  test "$(rc_of "$BUILD/buglectl" --api "$API" --api-key "0$KEY" registrations list)" = 1
check "calls list: no API key is a usage error (exit 2)" \
  test "$(BUGLE_API_KEY='' rc_of "$BUILD/buglectl" --api "$API" calls list)" = 2
check "calls list: an API that does not answer gives exit 3" \
  test "$(rc_of "$BUILD/buglectl" --api http://127.0.0.1:1 --api-key "$KEY" calls list)" = 3

# --- calls list / show / kill of a live call: both devices get a BYE
bob_answers killed callee
alice_calls_bg killed "$CALL_SCN/caller_hung_up.xml" 1002
answered() { bctl --json calls show killed-1 2>/dev/null | jq -e '.answered == true' > /dev/null; }
check "calls show: the live call is answered" wait_for 20 answered
bctl --json calls list > "$T_DIR/calls.json"
check "calls list JSON: the call's channel with its account" \
  jq -e --arg a "$acct" '[.channels[] | select(.uuid == "killed-1" and .account_id == $a)] | length == 1' "$T_DIR/calls.json"
bctl calls list > "$T_DIR/calls.txt" || true
check "calls list table: the call's row" has_lines "$T_DIR/calls.txt" "^ +killed-1 +$acct +"
bctl calls show killed-1 > "$T_DIR/call.txt" || true
check "calls show table: the call's fields" has_lines "$T_DIR/call.txt" "^uuid +killed-1\$" "^answered +true\$"
check "calls kill: exit 0" saved_to "$T_DIR/kill.json" bctl --json calls kill killed-1
check "calls kill JSON: the call it ended" jq -e '.killed == 1 and .calls[0].call_id == "killed-1"' "$T_DIR/kill.json"
check "calls kill: alice got the BYE and answered it" wait "$ALICE"
check "calls kill: bob got the BYE and answered it" wait "$BOB"
check "calls show: the killed call is gone (exit 1)" test "$(rc_of bctl calls show killed-1)" = 1
check "calls kill: an unknown call gives exit 1" test "$(rc_of bctl calls kill no-such-call)" = 1
check "calls kill: CALL-ID and --all together are a usage error" \
  test "$(rc_of bctl calls kill killed-1 --all)" = 2
bctl calls kill --all > "$T_DIR/kill-all.txt" || true
check "calls kill --all table: nothing left to end" has_lines "$T_DIR/kill-all.txt" "^killed +0\$"

# --- drain the control plane: the live call goes on and ends normally, a new one gets 503
bob_answers held callee
alice_calls_bg held "$OPS_SCN/caller_holds.xml" 1002 -d 8000
held_up() { bctl --json calls show held-1 2>/dev/null | jq -e '.answered == true' > /dev/null; }
check "drain: the call to keep is up" wait_for 20 held_up
check "drain --no-wait: exit 0" saved_to "$T_DIR/drain.json" bctl --json drain "$API" --no-wait
check "drain --no-wait: draining, not drained, a live call" \
  jq -e '.draining == true and .drained == false and .live > 0' "$T_DIR/drain.json"
bctl --json status > "$T_DIR/status-draining.json" || true
check "drain: status shows the control plane draining, still up" \
  jq -e '.state == "up" and ([.nodes[] | select(.kind == "controlplane" and .state == "draining")] | length == 1)' \
    "$T_DIR/status-draining.json"
new_call_refused drain
check "drain: waits for the live call to end (exit 0)" \
  saved_to "$T_DIR/drained.txt" bctl drain "$API" --timeout 60
check "drain: then says drained" test "$(tail -n 1 "$T_DIR/drained.txt")" = drained
check "drain: the live call ended normally (alice's BYE answered 200)" wait "$ALICE"
check "drain: bob's side of the live call passed" wait "$BOB"
check "undrain: exit 0" saved_to "$T_DIR/undrain.txt" bctl undrain "$API"
check "undrain table: not draining, then says undrained" \
  has_lines "$T_DIR/undrain.txt" "^draining +false\$" "^undrained\$"
bctl --json status > "$T_DIR/status2.json"
check "undrain: status shows every node up again, none draining" \
  jq -e '.state == "up" and ([.nodes[] | select(.state == "up")] | length) == 6' "$T_DIR/status2.json"
bob_answers after callee
check "undrain: a new call passes" alice_calls after "$CALL_SCN/caller.xml" 1002
check "undrain: bob's side of the new call passed" wait "$BOB"
check "drain of a data plane by control address: exit 0" \
  saved_to "$T_DIR/dp-drained.txt" bctl drain "127.0.0.1:$DP_PORT" --timeout 30
check "drain of a data plane: no sessions left, drained" test "$(tail -n 1 "$T_DIR/dp-drained.txt")" = drained
check "undrain of the data plane: exit 0" \
  saved_to "$T_DIR/dp-undrain.json" bctl --json undrain "127.0.0.1:$DP_PORT"
check "undrain of the data plane JSON: not draining" \
  jq -e '.kind == "dataplane" and .draining == false and .node == "dp-call"' "$T_DIR/dp-undrain.json"
check "drain: without NODE is a usage error" test "$(rc_of bctl drain)" = 2

# --- the data plane's commands in both formats; bans add/del seen in the drop counters
dpj() { "$BUILD/buglectl" --json --control "127.0.0.1:$DP_PORT" "$@"; }
dpt() { "$BUILD/buglectl" --control "127.0.0.1:$DP_PORT" "$@"; }
counter() { dpj dataplane stats | jq -r --arg n "$1" '[.counters[] | select(.name == $n) | .value] | add // 0'; }
# options_from IP PORT: one OPTIONS to the data plane's SIP port from IP:PORT in bugle-pub;
# prints the answer's status line, or "(no answer)" after 3 s.
options_from() {
  in_pub python3 - "$1" "$2" <<'PY'
import socket, sys, uuid
ip, port = sys.argv[1], int(sys.argv[2])
tag = uuid.uuid4().hex[:12]
msg = ("OPTIONS sip:192.0.2.1 SIP/2.0\r\n"
       "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-%s;rport\r\n"
       "From: <sip:probe@%s>;tag=%s\r\nTo: <sip:192.0.2.1>\r\n"
       "Call-ID: ban-%s\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
       "Content-Length: 0\r\n\r\n") % (ip, port, tag, ip, tag, tag)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((ip, port))
s.settimeout(3)
s.sendto(msg.encode(), ("192.0.2.1", 5060))
try:
    print(s.recvfrom(65535)[0].decode(errors="replace").split("\r\n", 1)[0])
except socket.timeout:
    print("(no answer)")
PY
}
answered() { [[ $1 == "SIP/2.0 "* ]]; }

dpt dataplane status > "$T_DIR/dp-status.txt"
check "dataplane status table" has_lines "$T_DIR/dp-status.txt" "^node +dp-call\$" "^draining +false\$" "^workers +[0-9]+\$"
dpj dataplane status > "$T_DIR/dp-status.json"
check "dataplane status JSON" jq -e '.node == "dp-call" and .draining == false and .workers >= 1' "$T_DIR/dp-status.json"
dpt dataplane stats > "$T_DIR/dp-stats.txt"
check "dataplane stats table: ports, lcores and counters by name" has_lines "$T_DIR/dp-stats.txt" \
  "^mbufs_in_use +[0-9]+\$" "^ +name +rx_packets +tx_packets " "^ +lcore +role +rx_packets " "^ +flt_banned +[0-9]+ *\$"
dpj dataplane stats > "$T_DIR/dp-stats.json"
check "dataplane stats JSON: two ports, lcores, the drop counters" \
  jq -e '(.ports | length) == 2 and (.lcores | length) >= 1 and
         ([.counters[] | select(.name == "flt_banned")] | length) == 1' "$T_DIR/dp-stats.json"

BANNED=192.0.2.15
check "before the ban, an OPTIONS from $BANNED is answered" answered "$(options_from "$BANNED" 5075)"
b0=$(counter flt_banned)
dpt bans add "$BANNED" 120 > "$T_DIR/bans-add.txt"
check "bans add (table): the operator's ban with its seconds" \
  has_lines "$T_DIR/bans-add.txt" "^ +${BANNED//./\\.} +[0-9]+ +operator *\$"
dpj bans list > "$T_DIR/bans.json"
check "bans list (JSON): the ban" \
  jq -e --arg ip "$BANNED" '[.bans[] | select(.source == $ip and .reason == "operator" and .seconds > 0)] | length == 1' \
  "$T_DIR/bans.json"
dpt bans list > "$T_DIR/bans.txt"
check "bans list (table): the ban" has_lines "$T_DIR/bans.txt" "^ +${BANNED//./\\.} +[0-9]+ +operator *\$"
check "while banned, the OPTIONS gets no answer" test "$(options_from "$BANNED" 5075)" = "(no answer)"
b1=$(counter flt_banned)
check "and the data plane's flt_banned counter counts it ($b0 -> $b1)" test "$b1" -gt "$b0"
dpj bans del "$BANNED" > "$T_DIR/bans-del.json"
check "bans del (JSON): the ban is gone" \
  jq -e --arg ip "$BANNED" '[.bans[] | select(.source == $ip)] | length == 0' "$T_DIR/bans-del.json"
check "after bans del, the OPTIONS is answered again" answered "$(options_from "$BANNED" 5075)"
b2=$(counter flt_banned)
check "and flt_banned did not move ($b1 -> $b2)" test "$b2" = "$b1"
dpt bans add "$BANNED" > /dev/null
dpt bans del "$BANNED" > "$T_DIR/bans-del.txt"
check "bans del (table): no ban of $BANNED left" bash -c "! grep -q '${BANNED//./\\.}' '$T_DIR/bans-del.txt'"
check "bans add: a source that is not an address is refused (exit 1)" test "$(rc_of dpt bans add not-an-ip)" = 1

dpt filter show > "$T_DIR/filter.txt"
check "filter show (table)" has_lines "$T_DIR/filter.txt" "^density_requests +[0-9]+\$" "^ban_seconds +[0-9]+\$"
orig=$(dpj filter show | jq -r .invite_per_second)
dpj filter set invite_per_second=$((orig + 2)) > "$T_DIR/filter-set.json"
check "filter set (JSON): the new policy" jq -e --argjson v $((orig + 2)) '.invite_per_second == $v' "$T_DIR/filter-set.json"
dpt filter set "invite_per_second=$orig" > "$T_DIR/filter-set.txt"
check "filter set (table): back to the old value" has_lines "$T_DIR/filter-set.txt" "^invite_per_second +$orig\$"
dpt dispatcher show > "$T_DIR/dispatcher.txt"
check "dispatcher show (table): the control plane, healthy" \
  has_lines "$T_DIR/dispatcher.txt" "^ +name +sip_ip +sip_port +healthy" "^ +[^ ]+ +198\.51\.100\.2 +5060 +true"
dpj dispatcher set 198.51.100.2:5060 > "$T_DIR/dispatcher.json"
check "dispatcher set (JSON): the set it holds now" \
  jq -e '(.nodes | length) == 1 and .nodes[0].sip_ip == "198.51.100.2" and .nodes[0].sip_port == 5060' "$T_DIR/dispatcher.json"

dpt session offer fmt-1 a 192.0.2.10:4800 PCMU/8000/0 > "$T_DIR/offer.txt"
check "session offer (table): the local port" has_lines "$T_DIR/offer.txt" "^call_id +fmt-1\$" "^local_port +[0-9]+\$"
dpj session query fmt-1 > "$T_DIR/query.json"
check "session query (JSON): the offered leg" \
  jq -e '.call_id == "fmt-1" and ([.legs[] | select(.tag == "a" and .remote_ip == "192.0.2.10" and .remote_port == 4800)] | length) == 1' \
  "$T_DIR/query.json"
dpt session query fmt-1 > "$T_DIR/query.txt"
check "session query (table): the leg's row" has_lines "$T_DIR/query.txt" "^ +tag +local_port +remote_ip " "^ +a +[0-9]+ +192\.0\.2\.10 +4800 "
check "session delete: exit 0" test "$(rc_of dpt session delete fmt-1)" = 0
check "session query after delete: exit 1" test "$(rc_of dpt session query fmt-1)" = 1

# --- account create (the first account, straight into PostgreSQL) as a table; JSON: api_lib.sh
BUGLE_DB=$(pg_conninfo) "$BUILD/buglectl" account create --name "ops $RANDOM" \
  --realm "ops-$RANDOM$RANDOM.e2e.bugle.test" --user admin --password "pw-$RANDOM" > "$T_DIR/account.txt" || true
check "account create table: the new account's id" has_lines "$T_DIR/account.txt" "^account_id +[0-9a-f]{32}\$"

# --- both daemons take --log-format json (and refuse a format they do not know)
check "bugle-controlplane --log-format json is a valid configuration" \
  "$BUILD/bugle-controlplane" -c "$REPO/deploy/config/controlplane.ini" --log-format json --check-config
check "bugle-controlplane --log-format xml is refused (exit 2)" \
  test "$(rc_of "$BUILD/bugle-controlplane" -c "$REPO/deploy/config/controlplane.ini" --log-format xml --check-config)" = 2
check "bugle-dataplane --log-format xml is refused before it starts (exit 2)" \
  test "$(rc_of timeout 20 "$BUILD/bugle-dataplane" -c "$REPO/deploy/config/dataplane.ini" --log-format xml)" = 2

# --- --help on every group and every command answers with its usage, exit 0
help_ok=1
for g in $("$BUILD/buglectl" --help | sed -n 's/^  \([a-z]\+\) .*/\1/p' | sort -u); do
  out=$("$BUILD/buglectl" "$g" --help 2>&1) || { echo "$g --help: not exit 0"; help_ok=0; }
  [[ $out == "usage: buglectl"* ]] || { echo "$g --help: no usage"; help_ok=0; }
  [[ $out == *"$g COMMAND"* ]] || continue   # a command by itself (status, drain, undrain)
  for name in $(echo "$out" | sed -n "s/^  $g \([a-z-]\+\).*/\1/p"); do
    out=$("$BUILD/buglectl" "$g" "$name" --help 2>&1) || { echo "$g $name --help: not exit 0"; help_ok=0; }
    [[ $out == "usage: buglectl [OPTIONS] $g $name"* ]] || { echo "$g $name --help: no usage"; help_ok=0; }
  done
done
check "--help: every group and command prints its usage" test "$help_ok" = 1

finish
