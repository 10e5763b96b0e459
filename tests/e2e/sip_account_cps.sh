#!/usr/bin/env bash
# Per-account CPS limits from the control plane to the data plane: accounts and a limits
# document made through the REST API reach the data plane over the control channel (realm ->
# account, account -> calls per second); INVITEs from one account's realm beyond its limit are
# dropped under flt_account_cps while another account's pass. Edits, a deletion and a data
# plane restart each bring the data plane the current set.
. "$(dirname "$0")/api_lib.sh"

netns_up
ctl_port=$(free_port)
api_port=$(free_port)
ctl() { "$BUILD/buglectl" --json --control "127.0.0.1:$ctl_port" "$@"; }
stat() { ctl dataplane stats | jq -r --arg n "$1" '[.counters[] | select(.name == $n) | .value] | add // 0'; }

# Both senders are trusted carriers: they skip the per-source buckets and the density
# detector, never an account's limit.
DP_ARGS=(--set filter.allow_sources=192.0.2.16,192.0.2.17)
start_dataplane dp-cps "$ctl_port" "${DP_ARGS[@]}"
start_controlplane cp-cps "127.0.0.1:$ctl_port" --set "api.listen=127.0.0.1:$api_port" \
  --set "sip.listen=127.0.0.1:$(free_port)"
wait_tcp 127.0.0.1 "$api_port" 60 || { echo "the control plane did not open its API"; exit 1; }
A="http://127.0.0.1:$api_port/v2"
pushed() { grep -q "dp-account-push: 127.0.0.1:$ctl_port holds [0-9]* account CPS limits" "$T_DIR/cp-cps.log"; }
check "the control plane pushes the limits when the data plane's channel comes up" wait_for 30 pushed

sfx=$RANDOM$RANDOM
bootstrap "cps$sfx" "cps$sfx.e2e.bugle.test" admin secretpw
r=$(req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$(md5_of admin:secretpw)\",\"account_name\":\"cps$sfx\"}}")
TOKEN=$(jqb "$r" .auth_token)
RA="limited$sfx.e2e.bugle.test"
RB="free$sfx.e2e.bugle.test"
r=$(req PUT "$A/accounts/$ROOT_ID" "{\"data\":{\"name\":\"limited$sfx\",\"realm\":\"$RA\"}}")
check "account A is created with realm $RA" [ "$(status_of "$r")" = 201 ]
ACCT_A=$(jqb "$r" .data.id)
r=$(req PUT "$A/accounts/$ROOT_ID" "{\"data\":{\"name\":\"free$sfx\",\"realm\":\"$RB\"}}")
check "account B is created with realm $RB" [ "$(status_of "$r")" = 201 ]
ACCT_B=$(jqb "$r" .data.id)
r=$(req PUT "$A/accounts/$ACCT_A/limits" '{"data":{"calls_per_second":5}}')
check "account A gets a limits document of 5 calls per second" [ "$(status_of "$r")" = 201 ]
LIMITS_A=$(jqb "$r" .data.id)

# invites SRC REALM N: N INVITEs from SRC with From host REALM, sent back to back.
invites() {
  local src=$1 realm=$2 n=$3 f="$T_DIR/invite-$1.sip"
  printf 'INVITE sip:100@192.0.2.1 SIP/2.0\nVia: SIP/2.0/UDP %s:5090;branch=z9hG4bKcps%s-@N@;rport\nFrom: <sip:alice@%s>;tag=t@N@\nTo: <sip:100@192.0.2.1>\nCall-ID: cps-%s-%s-@N@\nCSeq: 1 INVITE\nContact: <sip:alice@%s:5090>\nMax-Forwards: 70\nContent-Length: 0\n\n' \
    "$src" "$RANDOM" "$realm" "$RANDOM" "$sfx" "$src" >"$f"
  in_pub "$E2E_DIR/sip_send.py" "$src" 192.0.2.1:5060 "$f" "$n" 0.2 >/dev/null
}
# burst_dropped SRC REALM MIN: 30 INVITEs back to back; true when at least MIN of them were
# dropped by an account limit. 30 against a limit of 5 (a bucket of 5, refilled at 5/s) leaves
# at least 15 dropped unless sending them takes longer than 2 s.
burst_dropped() {
  local before after
  before=$(stat flt_account_cps)
  invites "$1" "$2" 30
  after=$(stat flt_account_cps)
  [ $((after - before)) -ge "$3" ]
}
burst_passes() {
  local before after acc_before acc_after
  before=$(stat flt_account_cps)
  acc_before=$(stat flt_accepted)
  invites "$1" "$2" 30
  after=$(stat flt_account_cps)
  acc_after=$(stat flt_accepted)
  [ "$after" -eq "$before" ] && [ $((acc_after - acc_before)) -ge 30 ]
}
# tries N CMD...: CMD until it holds, at most N times (the push follows an edit within a
# moment; the first bursts may still beat it).
tries() {
  local n=$1 i; shift
  for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.3; done
  return 1
}

check "INVITEs from A's realm beyond 5/s are dropped under flt_account_cps" \
  tries 20 burst_dropped 192.0.2.16 "$RA" 15
check "INVITEs from B's realm at the same rate all pass" burst_passes 192.0.2.17 "$RB"

r=$(req PATCH "$A/accounts/$ACCT_A/limits/$LIMITS_A" '{"data":{"calls_per_second":1000}}')
check "A's limit is raised to 1000 through the API" [ "$(status_of "$r")" = 200 ]
check "after the edit A's INVITEs pass" tries 20 burst_passes 192.0.2.16 "$RA"
r=$(req PATCH "$A/accounts/$ACCT_A/limits/$LIMITS_A" '{"data":{"calls_per_second":5}}')
check "and lowered to 5 again" [ "$(status_of "$r")" = 200 ]
check "A is limited again" tries 20 burst_dropped 192.0.2.16 "$RA" 15

stop_clean dp-cps || fail "the data plane stops cleanly"
start_dataplane dp-cps "$ctl_port" "${DP_ARGS[@]}"
check "a restarted data plane gets A's limit when the control plane reconnects" \
  tries 40 burst_dropped 192.0.2.16 "$RA" 15
check "B still passes after the restart" burst_passes 192.0.2.17 "$RB"

r=$(req DELETE "$A/accounts/$ACCT_A/limits/$LIMITS_A")
check "A's limits document is deleted" [ "$(status_of "$r")" = 200 ]
check "after the deletion A's INVITEs pass" tries 20 burst_passes 192.0.2.16 "$RA"

req DELETE "$A/accounts/$ACCT_A" >/dev/null
req DELETE "$A/accounts/$ACCT_B" >/dev/null
check "the data plane is still running" daemon_alive "$T_DIR/dp-cps.pid" bugle-dataplane
check "the control plane is still running" daemon_alive "$T_DIR/cp-cps.pid" bugle-controlplane
stop_clean cp-cps || fail "the control plane stops cleanly"
finish
