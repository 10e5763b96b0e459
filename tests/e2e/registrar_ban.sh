#!/usr/bin/env bash
# A flood of wrong passwords from one source: each failure is counted, and once the source
# reaches sip.auth_fail_max (10 by default) within the window the control plane logs the ban and
# asks the real data plane (METHOD_BAN_ADD over the control channel) to ban it; the data plane's
# ban list then holds the source. A good registration from the same source before the flood is
# unaffected.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/registrar_lib.sh"

netns_up
ctl_port=$(free_port)
start_dataplane dp-ban "$ctl_port"

sip_port=$(free_port)
SIP_ADDR="127.0.0.1:$sip_port"
start_controlplane cp-ban "127.0.0.1:$ctl_port" --set "sip.listen=$SIP_ADDR"
check "the control plane reports postgres up" wait_for 60 cp_status cp-ban 'dep("postgres")'
check "the control plane listens for SIP" wait_for 30 grep -q "sip: listening on $SIP_ADDR" "$T_DIR/cp-ban.log"

realm="ban-$RANDOM.e2e.bugle.test"
acct=$(new_account "$realm")
new_device "$acct" dave secret-d

check "dave registers with the right password" sipp_reg reg_ok dave secret-d "$realm" 300
bans() { "$BUILD/buglectl" --json --control "127.0.0.1:$ctl_port" bans list; }
# banned FILE N: the ban list in FILE names 127.0.0.1 N times.
banned() { jq -e --argjson n "$2" '[.. | objects | select(.source? == "127.0.0.1")] | length == $n' "$1" >/dev/null; }
bans > "$T_DIR/bans-before.json"
check "nothing is banned yet" banned "$T_DIR/bans-before.json" 0

check "nine wrong passwords are each refused with 403" \
  sipp_reg reg_forbidden dave wrong "$realm" 300 -m 9 -r 20
check "no ban below the limit" bash -c "! grep -q 'sip: banning 127.0.0.1' '$T_DIR/cp-ban.log'"
check "the tenth wrong password is refused with 403" \
  sipp_reg reg_forbidden dave wrong "$realm" 300
check "the control plane logs the ban of the source" \
  wait_for 10 grep -q 'sip: banning 127.0.0.1 for 600 s after 10 failed authentications' "$T_DIR/cp-ban.log"
check "the data plane confirmed the ban" \
  wait_for 10 grep -q 'sip: data plane 127.0.0.1:'"$ctl_port"' banned 127.0.0.1' "$T_DIR/cp-ban.log"
bans > "$T_DIR/bans.json"
check "the data plane's ban list holds the source" banned "$T_DIR/bans.json" 1

check "the control plane is still running" daemon_alive "$T_DIR/cp-ban.pid" bugle-controlplane
stop_clean cp-ban || fail "clean stop"
finish
