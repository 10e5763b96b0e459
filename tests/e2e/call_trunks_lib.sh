# Shared by the carrier tests (call_carrier.sh, call_inbound_did.sh, call_limits.sh), after
# call_lib.sh: carriers as sipp in bugle-pub (192.0.2.13-.16), resources that name them, and the
# account's CDRs through the REST API.
# shellcheck shell=bash

# carrier NAME SCENARIO IP PORT MEDIA_PORT [sipp args...]: a carrier's gateway answers one call
# in the background; $CARRIER is its pid.
carrier() {
  local name=$1 scn=$2 ip=$3 port=$4 mp=$5; shift 5
  in_pub env -C "$T_DIR" timeout 60 sipp -sf "$scn" -s carrier -i "$ip" -p "$port" -m 1 \
    -mp "$mp" -timeout 50s -timeout_error -trace_err -trace_msg \
    -message_file "$T_DIR/$name.msg" -error_file "$T_DIR/$name.err" -nostdin "$@" \
    > "$T_DIR/$name.out" 2>&1 &
  CARRIER=$!
  cleanup_push "kill $CARRIER 2>/dev/null || true"
  sleep 0.5
}

# carrier_calls NAME SCENARIO IP DID [sipp args...]: a carrier at IP (port 5090) delivers a call
# to DID through the data plane, in the foreground, with the call id NAME-1.
carrier_calls() {
  local name=$1 scn=$2 ip=$3 did=$4; shift 4
  in_pub env -C "$T_DIR" timeout 60 sipp 192.0.2.1:5060 -sf "$scn" -s carrier -key to "$did" \
    -cid_str "$name-%u" -i "$ip" -p 5090 -mp 44000 -m 1 -timeout 50s -timeout_error \
    -trace_err -trace_msg -message_file "$T_DIR/$name-carrier.msg" \
    -error_file "$T_DIR/$name-carrier.err" -nostdin "$@" > "$T_DIR/$name-carrier.out" 2>&1
}

# carrier_calls_bg NAME SCENARIO IP DID [sipp args...]: carrier_calls in the background;
# $CARRIER_CALL is its pid.
carrier_calls_bg() {
  carrier_calls "$@" &
  CARRIER_CALL=$!
  cleanup_push "kill $CARRIER_CALL 2>/dev/null || true"
}

# held MS: carrier_calls.xml holding the call MS milliseconds, in the test directory.
held() {
  sed "s/HOLD_MS/$1/" "$CALL_SCN/carrier_calls.xml" > "$T_DIR/carrier_calls_$1.xml"
  echo "$T_DIR/carrier_calls_$1.xml"
}

# This run's DID. The carrier tests share one PostgreSQL and the same carrier addresses; a DID
# belongs to one account at most (the number registry: a second account's callflow naming it
# is refused), so each test's account gets a number of its own.
DID_DIGITS=1555$(printf '%07d' $(((RANDOM * 32768 + RANDOM) % 10000000)))
DID="+$DID_DIGITS"

# resource ID JSON: a carrier resource document of the account.
resource() {
  psql_q "INSERT INTO documents (account_id, id, type, data) VALUES ('$acct', '$1', 'resource', '$2')"
}

# The account's API key gives a token for its CDRs: api METHOD PATH.
key=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
psql_q "UPDATE accounts SET api_key = '$key' WHERE id = '$acct'"
check "the API answers" wait_tcp 127.0.0.1 "$CALL_API_PORT" 60
TOKEN=$(curl -s -X PUT -H 'Content-Type: application/json' \
  --data-binary "{\"data\": {\"api_key\": \"$key\"}}" "$CALL_API/api_auth" | jq -r '.auth_token // empty')
check "api_auth gives a token for the account" test -n "$TOKEN"
api() { curl -s -X "$1" -H "X-Auth-Token: $TOKEN" "$CALL_API/accounts/$acct/$2"; }

# cdr CALL_ID JQ: the CDR of CALL_ID is there and JQ holds for it.
cdr() { api GET cdrs | jq -e --arg c "$1" "[.data[] | select(.call_id == \$c) | $2] | any" > /dev/null; }

# leg_call_id MSG_FILE: the Call-ID of the first message in a sipp -trace_msg file (a B-leg's).
leg_call_id() { grep -m1 -i '^Call-ID:' "$1" | awk '{print $2}' | tr -d '\r'; }

# call_over LABEL NAME CAUSE CALLER CALLEE: the call NAME-1 is over: its media session is deleted
# and the CDRs of CALLER's leg (NAME-1) and of CALLEE's (the Call-ID in NAME-CALLEE.msg) say
# CAUSE. LABEL (may be empty) starts each check's description.
call_over() {
  local label=${1:+$1: } name=$2 cause=$3 caller=$4 callee=$5
  local holds=".hangup_cause == \"$cause\""
  check "${label}the media session is deleted after the BYE" wait_for 10 no_session "$name-1"
  check "${label}$caller's leg has a CDR: $cause" wait_for 15 cdr "$name-1" "$holds"
  check "${label}$callee's leg has a CDR: $cause" wait_for 15 cdr \
    "$(leg_call_id "$T_DIR/$name-$callee.msg")" "$holds"
}
