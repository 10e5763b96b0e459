#!/usr/bin/env bash
# Call events, CDRs and webhooks end to end against the real PostgreSQL and RabbitMQ: a webhook
# created through the real API fires signed requests for a fake call driven through the calls
# service (calls-drive: the module with the real pool and bus; real SIP calls come with the
# call controller); the CDR lands in its month's partition and the events on the bus; a
# failing receiver sees the retries, then the hook switches itself off after 6 failures.
. "$(dirname "$0")/api_lib.sh"

DRIVE=$BUILD/calls-drive
[ -x "$DRIVE" ] || { echo "FAIL - $DRIVE is not built"; exit 1; }

api_start cp-wh
A=$API_cp_wh
sfx=$RANDOM$RANDOM
bootstrap "wh$sfx" "wh$sfx.example.net" admin secretpw
r=$(req PUT "$A/user_auth" "{\"data\":{\"credentials\":\"$(md5_of admin:secretpw)\",\"account_name\":\"wh$sfx\"}}")
TOKEN=$(jqb "$r" .auth_token)

# --- a receiver on loopback that records every request and answers 200 or 500
RPORT=$(free_port)
echo ok >"$T_DIR/mode"
cat >"$T_DIR/receiver.py" <<'PY'
import json, sys, http.server
port, log, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def _any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode()
        status = 200 if open(mode).read().strip() == "ok" else 500
        with open(log, "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path, "body": body,
                                "ts": self.headers.get("X-Bugle-Timestamp"),
                                "sig": self.headers.get("X-Bugle-Signature"),
                                "ct": self.headers.get("Content-Type"), "status": status}) + "\n")
        self.send_response(status); self.send_header("Content-Length", "0"); self.end_headers()
    do_POST = do_PUT = do_GET = _any
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
python3 "$T_DIR/receiver.py" "$RPORT" "$T_DIR/hooks.jsonl" "$T_DIR/mode" >"$T_DIR/receiver.log" 2>&1 &
RPID=$!
cleanup_push "kill $RPID"
wait_tcp 127.0.0.1 "$RPORT" 20 || { echo "FAIL - receiver did not start"; exit 1; }
touch "$T_DIR/hooks.jsonl"

SECRET="e2e-secret-$sfx-0123456789"
r=$(req PUT "$A/accounts/$ROOT_ID/webhooks" "{\"data\":{\"name\":\"e2e\",\"uri\":\"http://127.0.0.1:$RPORT/hook\",\"http_verb\":\"post\",\"hook\":\"all\",\"retries\":2,\"format\":\"json\",\"secret\":\"$SECRET\",\"custom_data\":{\"team\":\"e2e\"}}}")
check "the webhook is created through the API" [ "$(status_of "$r")" = 201 ]
WH=$(jqb "$r" .data.id)

drive() {  # drive CALL_ID EVENTS WAIT_HOOKS OUT
  "$DRIVE" --pg "$(pg_conninfo)" --amqp "$(amqp_url)" --account "$ROOT_ID" --call-id "$1" \
    --events "$2" --wait-hooks "$3" --timeout 60 --set calls.webhook_backoff_base_ms=100 \
    >"$4" 2>"$4.log"
}
requests_for() { jq -c --arg c "$1" 'select((.body | fromjson? // {}).call_id == $c)' "$T_DIR/hooks.jsonl"; }

# --- a whole call, receiver answering 200
CALL1="e2e-$sfx.1@host"
check "the driver settles (events, webhooks, CDR, bus)" drive "$CALL1" create,answer,destroy 1 "$T_DIR/drive1.out"
check "three webhooks delivered" grep -q '"webhooks_delivered":3' "$T_DIR/drive1.out"
check "three requests received" [ "$(requests_for "$CALL1" | wc -l)" = 3 ]
# Requests run concurrently, so they may arrive in any order (receivers order by timestamp).
check "one request each for create, answer and destroy" \
  [ "$(requests_for "$CALL1" | jq -r '.body | fromjson | .hook_event' | sort | paste -sd,)" = channel_answer,channel_create,channel_destroy ]
verify() {
  requests_for "$CALL1" | python3 -c '
import hmac, hashlib, json, sys, time
secret = sys.argv[1].encode()
for line in sys.stdin:
    r = json.loads(line)
    want = hmac.new(secret, (r["ts"] + "." + r["body"]).encode(), hashlib.sha256).hexdigest()
    assert r["sig"] == want, ("bad signature", r)
    assert abs(time.time() - int(r["ts"])) < 300, "stale timestamp"
    assert r["ct"] == "application/json" and r["method"] == "POST"
    b = json.loads(r["body"])
    assert b["team"] == "e2e" and b["caller_id_number"] == "1001" and b["call_direction"] == "inbound"
    if b["hook_event"] == "channel_destroy":
        assert b["hangup_code"] == "sip:200" and b["billing_seconds"] >= 3, b
' "$SECRET"
}
check "signatures verify with the secret and bodies carry the KAZOO fields" verify
check "CHANNEL_CREATE heard on the bus" grep -q "^BUS callevt call.CHANNEL_CREATE." "$T_DIR/drive1.out"
check "CHANNEL_DESTROY heard on the bus with Hangup-Cause" \
  grep -q '^BUS callevt call.CHANNEL_DESTROY.*"Hangup-Cause":"NORMAL_CLEARING"' "$T_DIR/drive1.out"
check "the CDR notice heard on the bus" grep -q "^BUS callevt cdr.$ROOT_ID." "$T_DIR/drive1.out"
row=$(psql "$(pg_conninfo)" -Atc "SELECT tableoid::regclass, direction, billing_seconds, data->>'hangup_code', data->>'media_server' FROM cdrs WHERE call_id = '$CALL1'")
check "one CDR row in this month's partition" [ "$(echo "$row" | cut -d'|' -f1-2)" = "cdrs_$(date -u +%Y%m)|inbound" ]
check "the CDR has billing seconds and the hangup code" [ "$(echo "$row" | cut -d'|' -f4)" = sip:200 ] && [ "$(echo "$row" | cut -d'|' -f3)" -ge 3 ]
r=$(req GET "$A/accounts/$ROOT_ID/cdrs")
check "the API lists the CDR" [ "$(jqb "$r" "[.data[] | select(.call_id == \"$CALL1\")] | length")" = 1 ]

# --- the receiver fails: 2 events x (1 + 2 retries) = 6 failures, then the hook is off
echo fail >"$T_DIR/mode"
CALL2="e2e-$sfx.2@host"
check "the driver settles with a failing receiver" drive "$CALL2" create,destroy 1 "$T_DIR/drive2.out"
check "six attempts reached the receiver" [ "$(requests_for "$CALL2" | wc -l)" = 6 ]
check "the driver disabled the hook" grep -q '"webhooks_disabled":1' "$T_DIR/drive2.out"
ok_doc() {
  local d; d=$(req GET "$A/accounts/$ROOT_ID/webhooks/$WH")
  [ "$(jqb "$d" .data.enabled)" = false ] && jqb "$d" .data.disabled_reason | grep -q "6 failures within 60 seconds"
}
check "the webhook document says enabled=false with a disabled_reason" ok_doc
grep -q "webhook $ROOT_ID/$WH .* disabled" "$T_DIR/drive2.out.log" && ok "the disable is logged" || fail "the disable is logged"

# --- a disabled hook stays quiet
echo ok >"$T_DIR/mode"
CALL3="e2e-$sfx.3@host"
check "the driver settles with the hook disabled" drive "$CALL3" create 0 "$T_DIR/drive3.out"
check "no request for a disabled hook" [ "$(requests_for "$CALL3" | wc -l)" = 0 ]

stop_clean cp-wh || fail "control plane clean exit"
finish
