#!/usr/bin/env bash
# Registration against a real control plane and PostgreSQL with real sipp: digest challenge and
# a good password give 200 listing the binding and a row in registrations; a wrong password gives
# 403 after the challenge; an expiry below the minimum gives 423; a second contact adds a second
# binding; unregister removes one; "*" removes all; the sweep deletes an expired binding. Until
# the edge proxy is in the path, sipp talks to the control plane's SIP address directly.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/registrar_lib.sh"

sip_port=$(free_port)
SIP_ADDR="127.0.0.1:$sip_port"
# No data plane in this test: the control address points nowhere (bans are registrar_ban's).
# A 30 s minimum and a 1 s sweep keep the expiry check short; 10 s stays below the minimum.
start_controlplane cp-reg "127.0.0.1:$(free_port)" --set "sip.listen=$SIP_ADDR" \
  --set sip.min_expires_s=30 --set sip.sweep_interval_s=1
check "the control plane reports postgres up" wait_for 60 cp_status cp-reg 'dep("postgres")'
check "the control plane listens for SIP" wait_for 30 grep -q "sip: listening on $SIP_ADDR" "$T_DIR/cp-reg.log"

# The control plane has applied the migrations by now: the account and devices can be written.
realm="reg-$RANDOM.e2e.bugle.test"
acct=$(new_account "$realm")
new_device "$acct" alice secret-a
new_device "$acct" bob secret-b
new_device "$acct" carol secret-c 30

# A binding that must be swept: the shortest registration allowed (30 s) taken first, checked
# at the end.
check "carol registers for 30 s" sipp_reg reg_ok carol secret-c "$realm" 30

check "alice registers with the right password (401 then 200 listing the binding)" \
  sipp_reg reg_ok alice secret-a "$realm" 300
check "alice's binding is in registrations with the account and device" \
  test "$(psql_q "SELECT count(*) FROM registrations WHERE account_id = '$acct' AND username = 'alice'
                 AND device_id = 'dev-alice' AND contact LIKE 'sip:alice@127.0.0.1:%'
                 AND expires > now() + interval '250 seconds' AND source LIKE '127.0.0.1:%'")" = 1
port2=$(free_port)
check "a second contact for alice adds a second binding" \
  sipp_reg reg_ok alice secret-a "$realm" 300 -p "$port2"
check "alice has two bindings" test "$(bindings alice "$realm")" = 2

check "a wrong password is refused with 403 after the challenge" \
  sipp_reg reg_forbidden bob wrong "$realm" 300
check "an unknown user is refused with 403 after the challenge" \
  sipp_reg reg_forbidden mallory whatever "$realm" 300
check "bob has no binding" test "$(bindings bob "$realm")" = 0

check "an expiry below the minimum gets 423 with Min-Expires" \
  sipp_reg reg_too_brief bob secret-b "$realm" 10
check "the refused registration left no binding" test "$(bindings bob "$realm")" = 0

check "unregistering alice's second contact (Expires: 0) answers 200" \
  sipp_reg unreg_one alice secret-a "$realm" 0 -p "$port2"
check "alice has one binding left" test "$(bindings alice "$realm")" = 1
check "Contact: * with Expires: 0 answers 200 with no binding listed" \
  sipp_reg unreg_star alice secret-a "$realm" 0
check "alice has no binding left" test "$(bindings alice "$realm")" = 0

check "carol's 30 s binding is still there" test "$(bindings carol "$realm")" = 1
check "the sweep deletes carol's binding once expired" \
  wait_for 40 bash -c "[ \"\$(psql '$(pg_conninfo)' -Atqc \"SELECT count(*) FROM registrations WHERE username = 'carol' AND realm = '$realm'\")\" = 0 ]"
check "the sweep logged its work" grep -q "sip: swept" "$T_DIR/cp-reg.log"

check "the control plane is still running" daemon_alive "$T_DIR/cp-reg.pid" bugle-controlplane
stop_clean cp-reg || fail "clean stop"
# The counters the control plane logs at stop: two failed authentications (bob's wrong
# password, the unknown user), one 423, five 200s, eight challenges.
counters=$(grep 'sip: registrar counters:' "$T_DIR/cp-reg.log")
for want in auth_failures=2 too_brief=1 successes=5 challenges=8; do
  check "registrar counter $want" grep -q " $want\b" <<<"$counters"
done
finish
