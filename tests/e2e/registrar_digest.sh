#!/usr/bin/env bash
# The registrar beyond sipp's reach: a SHA-256 digest answer is accepted (RFC 7616); a replayed
# nonce-count is refused and the next one accepted; a REGISTER shaped as the edge forwards it
# (its Via on top, the phone's with received/rport below, a Path) stores the phone's real
# address and the Path, which the 200 echoes; the registrar exchange carries reg_success and
# reg_deregister; RFC 4475's cparam01, cparam02 and regescrt contacts are stored right; an
# out-of-order REGISTER (older CSeq) cannot undo a newer binding;
# registrations_live lists the account's bindings.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/registrar_lib.sh"

sip_port=$(free_port)
SIP_ADDR="127.0.0.1:$sip_port"
start_controlplane cp-dig "127.0.0.1:$(free_port)" --set "sip.listen=$SIP_ADDR"
check "the control plane reports postgres and rabbitmq up" \
  wait_for 60 cp_status cp-dig 'dep("postgres") and dep("rabbitmq")'
check "the control plane listens for SIP" wait_for 30 grep -q "sip: listening on $SIP_ADDR" "$T_DIR/cp-dig.log"

realm="dig-$RANDOM.e2e.bugle.test"
acct=$(new_account "$realm")
new_device "$acct" erin secret-e
new_device "$acct" frank secret-f
new_device "$acct" gina secret-g

# Registration events, as any consumer of the registrar exchange sees them: each client run
# below gives two reg_success (its first answer and its next nonce-count), five runs in all,
# then the unregister one reg_deregister.
timeout 60 amqp-consume --url="$(amqp_url | sed "s,/$,,")" -e bugle.registrar -r '#' -c 11 \
  cat > "$T_DIR/events.jsonl" 2> "$T_DIR/amqp.log" &
consumer=$!
cleanup_push "kill $consumer"
sleep 1

client() { python3 "$E2E_DIR/sip_digest_client.py" "$SIP_ADDR" "$@"; }
client erin secret-e "$realm" --alg SHA-256 > "$T_DIR/sha.out"
check "SHA-256: challenged, then 200" grep -qx 'answer 200' "$T_DIR/sha.out"
check "SHA-256: the replayed nonce-count is refused with a new challenge" grep -qx 'replay 401' "$T_DIR/sha.out"
check "SHA-256: the next nonce-count is accepted" grep -qx 'next-nc 200' "$T_DIR/sha.out"

client frank secret-f "$realm" --alg MD5 --edge > "$T_DIR/edge.out"
check "through the edge: 200 with the Path echoed" \
  bash -c "grep -qx 'answer 200' '$T_DIR/edge.out' && grep -qx 'path-echoed yes' '$T_DIR/edge.out'"
check "through the edge: the binding keeps the phone's real address, the Path and the relay" \
  test "$(psql_q "SELECT count(*) FROM registrations WHERE username = 'frank' AND realm = '$realm'
                 AND contact = 'sip:frank@192.0.2.50:5070' AND source = '203.0.113.50:40123'
                 AND path = '<sip:198.51.100.1;lr>' AND dataplane LIKE '127.0.0.1:%'")" = 1
check "a wrong SHA-256 password is refused with 403" \
  bash -c "python3 '$E2E_DIR/sip_digest_client.py' '$SIP_ADDR' erin nope '$realm' --alg SHA-256 | grep -x 'answer 403' >/dev/null"

# RFC 4475 registrar cases: the stored binding is the URI with its own parameters and escaped
# headers, never the header parameters.
contact_of() { psql_q "SELECT string_agg(contact, ' ' ORDER BY contact) FROM registrations WHERE username = 'gina' AND realm = '$realm'"; }
client gina secret-g "$realm" --alg MD5 --contact 'sip:+19725552222@gw1.example.net;unknownparam' > "$T_DIR/cparam01.out"
check "cparam01 (no <>): registered, the unknown parameter is not on the URI" \
  bash -c "grep -qx 'answer 200' '$T_DIR/cparam01.out' && [ \"\$(psql '$(pg_conninfo)' -Atqc \"SELECT contact FROM registrations WHERE username = 'gina' AND realm = '$realm'\")\" = 'sip:+19725552222@gw1.example.net' ]"
client gina secret-g "$realm" --alg MD5 --contact '<sip:+19725552222@gw1.example.net;unknownparam>' > "$T_DIR/cparam02.out"
client gina secret-g "$realm" --alg MD5 --contact '<sip:user@example.com?Route=%3Csip:sip.example.com%3E>' > "$T_DIR/regescrt.out"
check "cparam02 and regescrt registered" \
  bash -c "grep -qx 'answer 200' '$T_DIR/cparam02.out' && grep -qx 'answer 200' '$T_DIR/regescrt.out'"
check "cparam02 keeps the URI parameter, regescrt the escaped Route header" \
  test "$(contact_of)" = 'sip:+19725552222@gw1.example.net sip:+19725552222@gw1.example.net;unknownparam sip:user@example.com?Route=%3Csip:sip.example.com%3E'

check "registrations_live lists the three devices of the account" \
  test "$(psql_q "SELECT string_agg(DISTINCT username, ',' ORDER BY username) FROM registrations_live WHERE account_id = '$acct'")" = "erin,frank,gina"

# RFC 3261 §10.3 step 7 in the store function: an older CSeq of the same Call-ID changes nothing.
apply() {  # apply CSEQ EXPIRES: gina's binding sip:g@192.0.2.9 through bugle_registrar_apply
  psql_q "SELECT count(*) FROM bugle_registrar_apply('$acct', 'dev-gina', '$realm', 'gina', 'order-test',
          $1, 'ua', '192.0.2.9:5060', '127.0.0.1:1', '', 'e2e', false,
          '{\"sip:g@192.0.2.9\"}', '{$2}', '{\"\"}', '{-1}')" >/dev/null
}
expiry_of_g() { psql_q "SELECT round(extract(epoch FROM expires - now())) FROM registrations WHERE contact = 'sip:g@192.0.2.9'"; }
apply 5 3000
apply 4 100
check "an out-of-order REGISTER (lower CSeq, same Call-ID) leaves the binding alone" \
  bash -c "[ \$(( $(expiry_of_g) > 2900 )) = 1 ]"
apply 6 100
check "a newer CSeq updates it" bash -c "[ \$(( $(expiry_of_g) <= 100 )) = 1 ]"

check "Contact: * for erin (sipp, MD5) answers 200" sipp_reg unreg_star erin secret-e "$realm" 0
wait "$consumer" || true
events() { jq -se "$@" "$T_DIR/events.jsonl" >/dev/null; }
check "reg_success events name the account, device and contact" \
  events --arg a "$acct" '[.[] | select(."Event-Name" == "reg_success" and ."Account-ID" == $a
        and ."Authorizing-ID" == "dev-erin" and (."Contact" | startswith("sip:erin@")))] | length >= 1'
check "the unregister published reg_deregister" \
  events '[.[] | select(."Event-Name" == "reg_deregister" and ."Username" == "erin")] | length == 1'

check "the control plane is still running" daemon_alive "$T_DIR/cp-dig.pid" bugle-controlplane
stop_clean cp-dig || fail "clean stop"
finish
