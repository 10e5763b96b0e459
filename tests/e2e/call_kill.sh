#!/usr/bin/env bash
# An operator ends a live call: alice calls bob through the whole stack; while it is up the REST
# API lists both legs in GET /channels; DELETE /channels/{alice's call id} ends it: both phones
# get a BYE saying an operator hung up (Reason, RFC 3326) and answer it, the channels disappear,
# the media session is deleted and the CDRs carry the hangup cause. The bus carried the call's
# CHANNEL_CREATE, CHANNEL_ANSWER and CHANNEL_DESTROY with the account and call ids.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

bob_callflow 1002

# The account's API key gives a token for its channels and CDRs.
key=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
psql_q "UPDATE accounts SET api_key = '$key' WHERE id = '$acct'"
check "the API answers" wait_tcp 127.0.0.1 "$CALL_API_PORT" 60
TOKEN=$(curl -s -X PUT -H 'Content-Type: application/json' \
  --data-binary "{\"data\": {\"api_key\": \"$key\"}}" "$CALL_API/api_auth" | jq -r '.auth_token // empty')
check "api_auth gives a token for the account" test -n "$TOKEN"
api() { curl -s -X "$1" -H "X-Auth-Token: $TOKEN" "$CALL_API/accounts/$acct/$2"; }

# Every call event on the bus, as any consumer of the call event exchange sees it.
timeout 120 amqp-consume --url="$(amqp_url | sed "s,/$,,")" -e bugle.callevt -r 'call.#' \
  cat > "$T_DIR/events.json" 2> "$T_DIR/amqp.log" &
consumer=$!
cleanup_push "kill $consumer 2>/dev/null || true"
sleep 1

bob_answers killed callee_killed
alice_calls_bg killed "$CALL_SCN/caller_killed.xml" 1002

# channel_is JQ: alice's channel (call id killed-1) as GET /channels lists it satisfies JQ.
channel_is() {
  api GET channels > "$T_DIR/channels.json" &&
    jq -e --arg c killed-1 ".data[] | select(.uuid == \$c) | $1" "$T_DIR/channels.json" > /dev/null
}
check "GET /channels lists alice's call once answered" wait_for 20 channel_is '.answered == true'
check "alice's channel: inbound, from her device, to 1002, in the account" \
  channel_is "(.direction == \"inbound\") and (.authorizing_id == \"dev-alice\") and
              (.account_id == \"$acct\") and (.destination | startswith(\"1002@\"))"
bob_leg=$(jq -r --arg c killed-1 '.data[] | select(.other_leg == $c) | .uuid' "$T_DIR/channels.json")
check "bob's leg is listed as the other leg, outbound to his device" \
  jq -e --arg u "$bob_leg" '.data[] | select(.uuid == $u) |
    .direction == "outbound" and .authorizing_id == "dev-bob" and .answered == true' \
    "$T_DIR/channels.json"

r=$(api DELETE channels/killed-1)
check "DELETE /channels/killed-1 hangs it up" \
  test "$(echo "$r" | jq -r '.data.status')" = hangup

check "alice got the operator's BYE (with its Reason) and answered it" wait "$ALICE"
check "bob got the operator's BYE (with its Reason) and answered it" wait "$BOB"

gone() { api GET channels | jq -e --arg c killed-1 --arg b "$bob_leg" \
  '[.data[] | select(.uuid == $c or .uuid == $b)] | length == 0' > /dev/null; }
check "both channels are gone from GET /channels" wait_for 10 gone
check "the media session is deleted" wait_for 10 no_session killed-1
r=$(api DELETE channels/killed-1)
check "a second DELETE finds no such channel" test "$(echo "$r" | jq -r '.error')" = 404

# The CDR list is the account's own: a CDR found there is in the account.
cdr_cause() { api GET cdrs | jq -e --arg c "$1" '.data[] | select(.call_id == $c) |
  .hangup_cause == "NORMAL_CLEARING"' > /dev/null; }
check "alice's CDR has its hangup cause" wait_for 15 cdr_cause killed-1
check "bob's CDR has its hangup cause" wait_for 15 cdr_cause "$bob_leg"

# events_for CALL_ID NAME: the bus carried event NAME of the call with the account id.
events_for() {
  jq -e -s --arg c "$1" --arg n "$2" --arg a "$acct" \
    '[.[] | select(."Call-ID" == $c and ."Event-Name" == $n and ."Account-ID" == $a)] |
     length >= 1' "$T_DIR/events.json" > /dev/null
}
for ev in CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_DESTROY; do
  check "the bus carried alice's $ev with the account id" wait_for 10 events_for killed-1 "$ev"
  check "the bus carried bob's $ev with the account id" wait_for 10 events_for "$bob_leg" "$ev"
done

finish
