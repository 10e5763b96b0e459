#!/usr/bin/env bash
# Call events, webhooks and CDRs from real SIP calls through the whole stack: sipp phones in
# bugle-pub call each other through the data plane and the call controller. For an answered
# call, a busy callee and a caller who CANCELs: the legs' CHANNEL_CREATE/ANSWER/BRIDGE/DESTROY on
# RabbitMQ (read with amqp-consume) carry the account and call ids; a webhook made through the
# API posts channel_create/answer/destroy to a receiver on 127.0.0.1, signed with its secret
# (HMAC-SHA256 of "timestamp.body"); each leg's CDR has the right direction, caller and callee,
# durations and hangup cause.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

bob_callflow 1002

# --- the bus: every message on the call events exchange, one JSON document a line
# No trailing "/" in the URL: amqp-consume would take the empty string for the vhost.
bus_url=$(amqp_url)
amqp-consume -u "${bus_url%/}" -e bugle.callevt -r '#' -x -- sh -c 'cat; echo' > "$T_DIR/bus.jsonl" 2>"$T_DIR/bus.err" &
cleanup_push "kill $!"

# --- the API: a token from the account's API key, then a webhook with a secret
api_port=$(sed -n 's/.*api: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T_DIR/cp-call.log" | tail -1)
API="http://127.0.0.1:$api_port/v2"
key=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
psql_q "UPDATE accounts SET api_key = '$key' WHERE id = '$acct'"
token=$(curl -sf -X PUT "$API/api_auth" -d "{\"data\":{\"api_key\":\"$key\"}}" | jq -r .auth_token)
check "an API token from the account's key" test -n "$token" -a "$token" != null

RPORT=$(free_port)
cat > "$T_DIR/receiver.py" <<'PY'
import json, sys, http.server
port, log = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        with open(log, "a") as f:
            f.write(json.dumps({"body": body, "ts": self.headers.get("X-Bugle-Timestamp"),
                                "sig": self.headers.get("X-Bugle-Signature")}) + "\n")
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
touch "$T_DIR/hooks.jsonl"
python3 "$T_DIR/receiver.py" "$RPORT" "$T_DIR/hooks.jsonl" > "$T_DIR/receiver.log" 2>&1 &
cleanup_push "kill $!"
wait_tcp 127.0.0.1 "$RPORT" 20 || fail "the webhook receiver did not start"

SECRET="call-events-$RANDOM-0123456789abcdef"
for ev in channel_create channel_answer channel_destroy; do
  code=$(curl -s -o "$T_DIR/wh-$ev.json" -w '%{http_code}' -X PUT "$API/accounts/$acct/webhooks" \
    -H "X-Auth-Token: $token" -d "{\"data\":{\"name\":\"e2e $ev\",\"uri\":\"http://127.0.0.1:$RPORT/$ev\",
      \"http_verb\":\"post\",\"hook\":\"$ev\",\"retries\":1,\"format\":\"json\",\"secret\":\"$SECRET\"}}")
  check "webhook $ev created through the API" test "$code" = 201
done
# The calls service reloads its webhooks on the documents' change events; give it that moment.
sleep 1

# --- three calls: answered, busy, cancelled
bob_answers answered callee
check "answered: alice's call to 1002 passes" alice_calls answered "$CALL_SCN/caller.xml" 1002
check "answered: bob's side passed" wait "$BOB"

bob_answers busy callee_busy
check "busy: alice gets bob's 486" alice_calls busy "$(refused 486)" 1002
check "busy: bob's side passed" wait "$BOB"

bob_answers cancel callee_ringing
check "cancel: alice CANCELs while bob rings" alice_calls cancel "$CALL_SCN/caller_cancel.xml" 1002
check "cancel: bob was CANCELled" wait "$BOB"

# --- CDRs: one per leg; the caller's leg is the call id, the callee's names it as other leg
# cdr CALL DIRECTION: the CDR fields of that leg, "|"-separated.
cdr() {
  psql_q "SELECT direction, data->>'caller_id_number', data->>'callee_id_number', hangup_cause,
                 data->>'hangup_code', (billing_seconds > 0)::text,
                 (duration_seconds >= billing_seconds)::text
          FROM cdrs WHERE account_id = '$acct' AND direction = '$2'
           AND (call_id = '$1' OR data->>'other_leg_call_id' = '$1')"
}
cdrs_in() { [ "$(psql_q "SELECT count(*) FROM cdrs WHERE account_id = '$acct' AND
                        (call_id = '$1' OR data->>'other_leg_call_id' = '$1')")" = 2 ]; }
for c in answered-1 busy-1 cancel-1; do
  check "$c: two CDRs stored (one per leg)" wait_for 15 cdrs_in "$c"
done
check "answered: caller's leg inbound, alice to 1002, NORMAL_CLEARING sip:200, billed" \
  test "$(cdr answered-1 inbound)" = "inbound|alice|1002|NORMAL_CLEARING|sip:200|true|true"
check "answered: the callee's leg outbound to bob, NORMAL_CLEARING, billed" \
  test "$(cdr answered-1 outbound)" = "outbound|alice|bob|NORMAL_CLEARING|sip:200|true|true"
check "answered: at least the 3 s alice talked are billed on her leg" \
  test "$(psql_q "SELECT billing_seconds >= 2 FROM cdrs WHERE account_id = '$acct' AND call_id = 'answered-1'")" = t
check "busy: caller's leg USER_BUSY sip:486, nothing billed" \
  test "$(cdr busy-1 inbound)" = "inbound|alice|1002|USER_BUSY|sip:486|false|true"
check "busy: the callee's leg USER_BUSY sip:486" \
  test "$(cdr busy-1 outbound)" = "outbound|alice|bob|USER_BUSY|sip:486|false|true"
check "cancel: caller's leg ORIGINATOR_CANCEL sip:487, nothing billed" \
  test "$(cdr cancel-1 inbound)" = "inbound|alice|1002|ORIGINATOR_CANCEL|sip:487|false|true"
check "cancel: the callee's leg ORIGINATOR_CANCEL sip:487" \
  test "$(cdr cancel-1 outbound)" = "outbound|alice|bob|ORIGINATOR_CANCEL|sip:487|false|true"
cdr_api() {
  curl -sf "$API/accounts/$acct/cdrs" -H "X-Auth-Token: $token" |
    jq -e '[.data[] | select(.call_id == "answered-1" or .data.other_leg_call_id == "answered-1")] | length == 2' >/dev/null
}
check "the API lists the answered call's two CDRs" cdr_api

# --- the bus
# events CALL: the Event-Name of each message about the call's legs, in order, deduplicated.
bus_events() {
  jq -r --arg c "$1" --arg a "$acct" 'objects | select(."Event-Category" == "call_event" and ."Account-ID" == $a
      and (."Call-ID" == $c or ."Other-Leg-Call-ID" == $c)) | "\(."Call-Direction") \(."Event-Name")"' \
    "$T_DIR/bus.jsonl" | sort | uniq | paste -sd,
}
destroyed_on_bus() { [[ "$(bus_events "$1")" == *"outbound CHANNEL_DESTROY"* ]] && [[ "$(bus_events "$1")" == *"inbound CHANNEL_DESTROY"* ]]; }
check "the bus carried every leg's CHANNEL_DESTROY" wait_for 15 destroyed_on_bus cancel-1
check "answered: CREATE, ANSWER, BRIDGE, DESTROY of both legs on the bus with the account id" \
  test "$(bus_events answered-1)" = "inbound CHANNEL_ANSWER,inbound CHANNEL_BRIDGE,inbound CHANNEL_CREATE,inbound CHANNEL_DESTROY,outbound CHANNEL_ANSWER,outbound CHANNEL_BRIDGE,outbound CHANNEL_CREATE,outbound CHANNEL_DESTROY"
check "busy: CREATE and DESTROY of both legs, no ANSWER" \
  test "$(bus_events busy-1)" = "inbound CHANNEL_CREATE,inbound CHANNEL_DESTROY,outbound CHANNEL_CREATE,outbound CHANNEL_DESTROY"
check "answered: the caller's CHANNEL_DESTROY says NORMAL_CLEARING" \
  test "$(jq -r 'objects | select(."Call-ID" == "answered-1" and ."Event-Name" == "CHANNEL_DESTROY") | ."Hangup-Cause"' "$T_DIR/bus.jsonl" | sort -u)" = NORMAL_CLEARING
check "the CDR notices went out on the bus" \
  test "$(jq -r --arg a "$acct" 'objects | select(.call_id == "answered-1" and .account_id == $a) | .call_id' "$T_DIR/bus.jsonl" | wc -l)" -ge 1

# --- the webhooks
hooks_for() { jq -r --arg c "$1" '.body | fromjson | select(.call_id == $c) | .hook_event' "$T_DIR/hooks.jsonl" | sort | paste -sd,; }
hooks_done() { [ "$(hooks_for cancel-1)" = channel_create,channel_destroy ]; }
check "the cancelled call's webhooks arrive" wait_for 15 hooks_done
check "answered: channel_create, channel_answer and channel_destroy posted for the caller's leg" \
  test "$(hooks_for answered-1)" = channel_answer,channel_create,channel_destroy
check "busy: channel_create and channel_destroy, no answer" test "$(hooks_for busy-1)" = channel_create,channel_destroy
verify() {
  python3 - "$SECRET" "$acct" "$T_DIR/hooks.jsonl" <<'PY'
import hmac, hashlib, json, sys, time
secret, acct, path = sys.argv[1].encode(), sys.argv[2], sys.argv[3]
n = 0
for line in open(path):
    r = json.loads(line)
    assert r["sig"] and r["ts"], ("unsigned request", r)
    want = hmac.new(secret, (r["ts"] + "." + r["body"]).encode(), hashlib.sha256).hexdigest()
    assert hmac.compare_digest(r["sig"], want), ("bad signature", r)
    assert abs(time.time() - int(r["ts"])) < 300, ("stale timestamp", r)
    b = json.loads(r["body"])
    assert b["account_id"] == acct, b
    if b["hook_event"] == "channel_destroy" and b["call_id"] == "answered-1":
        assert b["hangup_cause"] == "NORMAL_CLEARING" and b["billing_seconds"] >= 2, b
    n += 1
assert n >= 7, n
PY
}
check "every request's signature verifies with the secret, timestamps fresh, the account id set" verify

finish
