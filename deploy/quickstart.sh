#!/usr/bin/env bash
# From a fresh Debian machine to a running Bugle, as root:
#   installs the dependencies, builds, brings the whole stack up on this machine (test network,
#   PostgreSQL, RabbitMQ, data plane, control plane), then shows it working: the stack's status,
#   the data plane answering ARP and ping on its public address from the bugle-pub namespace,
#   and a real call: a demo account with two phones and a callflow provisioned through the REST
#   API, both phones (sipp) registering from bugle-pub, phone 1001 calling 1002 with G.711
#   audio both ways through the data plane, and the call's CDR read back from the API.
#   deploy/quickstart.sh           all of it
#   deploy/quickstart.sh --demo    only the demo and the call, against a stack already up
# Idempotent: run it again and it reuses what is there. Ports and directories come from the
# same environment as deploy/stack.sh (BUGLE_BUILD_DIR, BUGLE_STATE_DIR, BUGLE_CONTROL_PORT,
# BUGLE_API_PORT, ...). Stop everything with: deploy/stack.sh down
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nquickstart: %s\n' "$*" >&2; exit 1; }

demo_only=0
case "${1:-}" in
"") ;;
--demo) demo_only=1 ;;
*) echo "usage: deploy/quickstart.sh [--demo]" >&2; exit 2 ;;
esac

BUILD=${BUGLE_BUILD_DIR:-$repo/build}
STATE=${BUGLE_STATE_DIR:-/var/lib/bugle}
CONTROL=127.0.0.1:${BUGLE_CONTROL_PORT:-7010}
API_BASE=http://127.0.0.1:${BUGLE_API_PORT:-8000}/v2
REALM=demo.bugle.test
PHONE1=(demo1 demo1-secret 192.0.2.10 5070 41000)   # user password address sip-port media-port
PHONE2=(demo2 demo2-secret 192.0.2.11 5071 42000)
SCN=$repo/deploy/sipp
PCAP=/usr/share/sip-tester/g711a.pcap                 # G.711 A-law audio, Debian package sip-tester

if [ $demo_only -eq 0 ]; then
  step "dependencies"
  ./deploy/install-deps.sh

  step "build"
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j"$(nproc)"

  step "stack"
  ./deploy/stack.sh up
fi

step "status"
./deploy/stack.sh status || die "the stack is not up: deploy/stack.sh up"

step "the data plane answers on its public address 192.0.2.1 (from the bugle-pub namespace)"
ip netns exec bugle-pub arping -c 2 -w 5 -I bgl-pub1 192.0.2.1
ip netns exec bugle-pub ping -c 3 -i 0.2 192.0.2.1

step "the data plane over the control channel"
ctl() { "$BUILD/buglectl" --control "$CONTROL" "$@"; }
ctl dataplane status

step "a demo account, provisioned and read back through the REST API"
db=$(./deploy/lib/postgres.sh conninfo "$STATE/postgres")
if ! psql "$db" -Atc "SELECT 1 FROM accounts WHERE realm = '$REALM'" 2>/dev/null | grep -q 1; then
  "$BUILD/buglectl" account create --name demo --realm "$REALM" --user admin \
    --password demo-password --db "$db"
fi
creds=$(printf '%s' 'admin:demo-password' | md5sum | cut -d' ' -f1)
auth=$(curl -sf --max-time 10 -X PUT "$API_BASE/user_auth" \
  -d "{\"data\":{\"credentials\":\"$creds\",\"account_realm\":\"$REALM\"}}") ||
  die "the API refused the demo account's credentials"
token=$(jq -r .auth_token <<<"$auth")
account=$(jq -r .data.account_id <<<"$auth")
api() {  # api METHOD PATH [BODY]: the account's API, the reply's body on stdout
  curl -sf --max-time 10 -X "$1" "$API_BASE/accounts/$account$2" -H "X-Auth-Token: $token" \
    ${3:+-d "$3"} || die "API $1 $2 failed"
}

# device NAME USER PASSWORD: the device's id, created when the account has none of that name.
device() {
  local id
  id=$(api GET /devices | jq -r --arg n "$1" '[.data[] | select(.name == $n) | .id][0] // empty')
  if [ -z "$id" ]; then
    id=$(api PUT /devices "{\"data\":{\"name\":\"$1\",\"sip\":{\"username\":\"$2\",\"password\":\"$3\"}}}" |
      jq -r .data.id)
  fi
  echo "$id"
}
# callflow NUMBER DEVICE_ID: a callflow sending NUMBER to the device, unless NUMBER has one.
callflow() {
  local have
  have=$(api GET /callflows | jq --arg n "$1" '[.data[] | select((.numbers // []) | index($n))] | length')
  if [ "$have" = 0 ]; then
    api PUT /callflows "{\"data\":{\"name\":\"demo $1\",\"numbers\":[\"$1\"],
      \"flow\":{\"module\":\"device\",\"data\":{\"id\":\"$2\"}}}}" >/dev/null
  fi
}
dev1=$(device "demo phone 1" "${PHONE1[0]}" "${PHONE1[1]}")
dev2=$(device "demo phone 2" "${PHONE2[0]}" "${PHONE2[1]}")
callflow 1001 "$dev1"
callflow 1002 "$dev2"
api GET /devices | jq '{devices: [.data[] | {id, name}]}'
api GET /callflows | jq '{callflows: [.data[] | {id, numbers}]}'

# The phones: sipp in bugle-pub, their files in a directory of their own.
work=$STATE/quickstart
mkdir -p "$work"
cp "$PCAP" "$work/g711a.pcap" 2>/dev/null || die "no $PCAP (Debian package sip-tester)"
phone() {  # phone NAME PHONE-ARRAY-NAME SCENARIO [sipp args...]: one sipp call, bounded
  local name=$1 scn=$3; local -n p=$2; shift 3
  ip netns exec bugle-pub env -C "$work" timeout 60 sipp 192.0.2.1:5060 -sf "$SCN/$scn.xml" \
    -s "${p[0]}" -au "${p[0]}" -ap "${p[1]}" -key dom "$REALM" -i "${p[2]}" -p "${p[3]}" \
    -mp "${p[4]}" -m 1 -timeout 40s -timeout_error -trace_err -error_file "$work/$name.err" \
    -trace_msg -message_file "$work/$name.msg" -nostdin "$@" > "$work/$name.out" 2>&1
}

step "both phones register from bugle-pub through the data plane"
for n in 1 2; do
  p=PHONE$n
  phone "register-$n" "$p" register -key exp 3600 ||
    die "phone $n (${!p}) did not register; see $work/register-$n.err and $STATE/log/"
  echo "phone $n registered"
done
reg_of() { local -n p=$1; echo "${p[0]} from ${p[2]}:${p[3]}"; }
echo "$(reg_of PHONE1); $(reg_of PHONE2)"

step "phone 1 calls 1002; phone 2 answers; G.711 audio both ways through the data plane"
call_id="quickstart-$(date +%s)-1"
phone callee PHONE2 call_uas_pcap &
callee=$!
sleep 0.5
phone caller PHONE1 call_uac_pcap -key to 1002 -cid_str "${call_id%-1}-%u" &
caller=$!
trap 'kill $caller $callee 2>/dev/null || true' EXIT
# rtp_flowing: the call's media session on the data plane relayed packets both ways.
rtp_flowing() {
  ctl --json session query "$call_id" > "$work/session.json" 2>/dev/null &&
    jq -e '(.legs | length) == 2 and ([.legs[] | select(.rx_packets >= 50 and .tx_packets >= 50)] | length) == 2' \
      "$work/session.json" >/dev/null
}
flowing=0
for _ in $(seq 1 40); do
  if rtp_flowing; then flowing=1; break; fi
  kill -0 $caller 2>/dev/null || break
  sleep 0.25
done
rc=0; wait $caller || rc=$?
[ $rc = 0 ] || die "the call failed (sipp status $rc); see $work/caller.err, $work/callee.err and $STATE/log/"
rc=0; wait $callee || rc=$?
[ $rc = 0 ] || die "the callee's side failed (sipp status $rc); see $work/callee.err"
trap - EXIT
[ $flowing = 1 ] || die "no RTP both ways through the data plane during the call; see $work/session.json"
echo "call $call_id answered, audio relayed, hung up; the data plane's media session during the call:"
jq '{call_id, legs: [.legs[] | {tag, rx_packets, tx_packets}]}' "$work/session.json" 2>/dev/null ||
  cat "$work/session.json"

step "the call's CDRs from the API (GET /v2/accounts/$account/cdrs)"
cdrs=""
for _ in $(seq 1 40); do
  cdrs=$(api GET /cdrs | jq --arg c "$call_id" \
    '[.data[] | select(.call_id == $c or .data.other_leg_call_id == $c)]')
  [ "$(jq length <<<"$cdrs")" -ge 2 ] && break
  sleep 0.25
done
[ "$(jq length <<<"$cdrs")" -ge 2 ] || die "the call's CDRs did not appear in the API"
jq '.[] | .data | {call_id, other_leg_call_id, call_direction, caller_id_number, callee_id_number,
                   duration_seconds, billing_seconds, hangup_cause, hangup_code}' <<<"$cdrs"
echo "call id: $call_id"

printf '\nBugle is up. Logs: %s/log/. Stop it with: deploy/stack.sh down\n' "$STATE"
