# Shared by the call tests: the whole stack on the test network (data plane with its edge in
# front of one control plane), an account with devices alice and bob, both registered from
# bugle-pub through the data plane, and helpers to run sipp devices there.
# shellcheck shell=bash
. "$E2E_DIR/registrar_lib.sh"

CALL_SCN="$E2E_DIR/sipp-call"
netns_up
DP_PORT=$(free_port)
ctl() { "$BUILD/buglectl" --json --control "127.0.0.1:$DP_PORT" "$@"; }
# dp_counter NAME: a data-plane counter summed over the workers (0 when absent).
dp_counter() {
  ctl dataplane stats | jq --arg n "$1" '[.counters[] | select(.name == $n) | .value] | add // 0'
}
edge_replies() { dp_counter edge_health_replies; }

# CALL_DP_SETTINGS: extra --set arguments a test gives the data plane (an array, may be unset).
start_dataplane dp-call "$DP_PORT" --set dispatcher.nodes=198.51.100.2:5060 \
  ${CALL_DP_SETTINGS[@]+"${CALL_DP_SETTINGS[@]}"}
CALL_API_PORT=$(free_port)   # the node's REST API (channels, CDRs): $CALL_API
CALL_API="http://127.0.0.1:$CALL_API_PORT/v2"
# CALL_CP_SETTINGS: extra --set arguments a test gives the control plane (an array, may be unset).
start_controlplane cp-call "127.0.0.1:$DP_PORT" --set "api.listen=127.0.0.1:$CALL_API_PORT" \
  ${CALL_CP_SETTINGS[@]+"${CALL_CP_SETTINGS[@]}"}
check "the control plane reports postgres and the data plane up" \
  wait_for 60 cp_status cp-call "dep(\"postgres\") and dp(\"127.0.0.1:$DP_PORT\")"
check "the edge sees the control plane answer its probes" \
  wait_for 30 bash -c "$(declare -f ctl dp_counter edge_replies); BUILD='$BUILD' DP_PORT=$DP_PORT; [ \$(edge_replies) -gt 0 ]"

realm="call-$RANDOM.e2e.bugle.test"
acct=$(new_account "$realm")
new_device "$acct" alice secret-a
new_device "$acct" bob secret-b

# callflow ID JSON: a callflow document as the API stores it.
callflow() { psql_q "INSERT INTO documents (account_id, id, type, data) VALUES ('$acct', '$1', 'callflow', '$2')"; }

# reg USER PASSWORD IP PORT: one REGISTER with digest through the data plane.
reg() {
  in_pub timeout 30 sipp 192.0.2.1:5060 -sf "$SCN/reg_ok.xml" -s "$1" -au "$1" -ap "$2" \
    -key dom "$realm" -key exp 300 -i "$3" -p "$4" -m 1 -timeout 20s -timeout_error \
    -trace_err -error_file "$T_DIR/reg-$1.err" -nostdin > "$T_DIR/reg-$1.out" 2>&1
}
check "alice registers through the data plane" reg alice secret-a 192.0.2.10 5070
check "bob registers through the data plane" reg bob secret-b 192.0.2.11 5071

# One second of PCMU silence: sipp streams it (rtp_stream) from its working directory.
python3 -c "import sys; sys.stdout.buffer.write(b'\xff' * 8000)" > "$T_DIR/silence.ulaw"

# answers NAME SCENARIO USER IP PORT MEDIA_PORT: a device runs a callee scenario in the
# background for one call; $ANSWERER is its pid.
answers() {
  in_pub env -C "$T_DIR" timeout 60 sipp -sf "$CALL_SCN/$2.xml" -s "$3" -i "$4" -p "$5" \
    -m 1 -mp "$6" -timeout 50s -timeout_error -trace_err -trace_msg \
    -message_file "$T_DIR/$1-$3.msg" -error_file "$T_DIR/$1-$3.err" -nostdin \
    > "$T_DIR/$1-$3.out" 2>&1 &
  ANSWERER=$!
  cleanup_push "kill $ANSWERER 2>/dev/null || true"
  sleep 0.5
}

# bob_answers NAME SCENARIO: bob (192.0.2.11:5071) answers; $BOB is its pid.
bob_answers() {
  answers "$1" "$2" bob 192.0.2.11 5071 42000
  BOB=$ANSWERER
}

# alice_calls NAME SCENARIO NUMBER [sipp args...]: alice (192.0.2.10:5070) dials NUMBER with the
# call id NAME-1, in the foreground; succeeds when sipp's call passed.
alice_calls() {
  local name=$1 scn=$2 number=$3; shift 3
  in_pub env -C "$T_DIR" timeout 60 sipp 192.0.2.1:5060 -sf "$scn" -s alice -au alice \
    -ap secret-a -key dom "$realm" -key to "$number" -cid_str "$name-%u" -i 192.0.2.10 \
    -p 5070 -mp 41000 -m 1 -timeout 50s -timeout_error -trace_err -trace_msg \
    -message_file "$T_DIR/$name-caller.msg" -error_file "$T_DIR/$name-caller.err" -nostdin \
    "$@" > "$T_DIR/$name-caller.out" 2>&1
}

# refused CODE: caller_refused.xml expecting CODE, in the test directory.
refused() {
  sed "s/EXPECTED_CODE/$1/" "$CALL_SCN/caller_refused.xml" > "$T_DIR/caller_refused_$1.xml"
  echo "$T_DIR/caller_refused_$1.xml"
}

# cp_counter NAME: the call module's counter NAME from the control plane's metrics (0 when
# absent).
cp_counter() {
  curl -s "http://127.0.0.1:$CALL_API_PORT/metrics" |
    awk -v n="bugle_controlplane_call_$1_total" '$1 == n { v = $2 } END { print v + 0 }'
}

# no_session CALL_ID: the data plane holds no media session for the call (any more).
no_session() { ! ctl session query "$1" > /dev/null 2>&1; }

# device_merge DEVICE_ID JSON: merges JSON into the account's device document.
device_merge() {
  psql_q "UPDATE documents SET data = data || '$2'
          WHERE account_id = '$acct' AND id = '$1'" > /dev/null
}

# bob_callflow NUMBER: callflow cf-NUMBER rings bob's device.
bob_callflow() {
  callflow "cf-$1" "{\"numbers\": [\"$1\"],
    \"flow\": {\"module\": \"device\", \"data\": {\"id\": \"dev-bob\"}}}"
}

# alice_calls_bg NAME SCENARIO NUMBER [sipp args...]: alice_calls in the background; $ALICE is
# its pid (check its result with `wait "$ALICE"`).
alice_calls_bg() {
  alice_calls "$@" &
  ALICE=$!
  cleanup_push "kill $ALICE 2>/dev/null || true"
}

# flowing CALL_ID: RTP goes both ways on two legs of the call's media session (the session is
# left in $T_DIR/CALL_ID.json).
flowing() {
  ctl session query "$1" > "$T_DIR/$1.json" 2>/dev/null &&
    jq -e '([.legs[] | select(.rx_packets > 20 and .tx_packets > 20)] | length) == 2' \
      "$T_DIR/$1.json" > /dev/null
}

# two_legs_flowing CALL_ID: flowing, and those two legs are all the session has.
two_legs_flowing() { flowing "$1" && jq -e '(.legs | length) == 2' "$T_DIR/$1.json" > /dev/null; }

# no_internal_address FILE...: each file is there with something in it, and none names the
# internal subnet (198.51.100.0/24): what reaches the devices must not.
no_internal_address() {
  local f
  for f in "$@"; do [ -s "$f" ] || return 1; done
  ! grep -q '198\.51\.100\.' "$@"
}
