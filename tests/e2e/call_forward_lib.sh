# Shared by the call forward tests (call_forward.sh, call_forward_more.sh), after call_lib.sh and
# call_trunks_lib.sh: charlie's device registered at 192.0.2.12:5072, callflows 1002 (bob's
# device, the one that forwards) and 1003 (charlie's), and the steps of a forwarded call.
# shellcheck shell=bash

new_device "$acct" charlie secret-c
check "charlie registers through the data plane" reg charlie secret-c 192.0.2.12 5072
bob_callflow 1002
callflow cf-1003 '{"numbers": ["1003"], "flow": {"module": "device", "data": {"id": "dev-charlie"}}}'

# forward JSON: bob's device call_forward object.
forward() { device_merge dev-bob "{\"call_forward\": $1}"; }

# charlie_answers NAME SCENARIO: charlie (192.0.2.12:5072) answers; $CHARLIE is its pid.
charlie_answers() {
  answers "$1" "$2" charlie 192.0.2.12 5072 43000
  CHARLIE=$ANSWERER
}

# calls_bob NAME: alice calls bob (1002, caller.xml) in the background; $ALICE is its pid.
calls_bob() { alice_calls_bg "$1" "$CALL_SCN/caller.xml" 1002; }

# answered_by LABEL NAME WHO PID [SECONDS]: alice's call NAME (calls_bob) was forwarded to WHO,
# whose sipp is PID: RTP flows between them within SECONDS (15), both calls passed.
answered_by() {
  local label=$1 name=$2 who=$3 pid=$4 secs=${5:-15}
  check "$label: RTP flows between alice and $who through the data plane" \
    wait_for "$secs" flowing "$name-1"
  check "$label: alice's call to bob is answered (by $who)" wait "$ALICE"
  check "$label: $who got the INVITE, answered and took the BYE" wait "$pid"
}

# at_charlies_contact NAME: charlie's INVITE of the call NAME went to its registered contact.
at_charlies_contact() { grep -q "^INVITE sip:[^ ]*192\\.0\\.2\\.12:5072" "$T_DIR/$1-charlie.msg"; }

# sent_forward_number IP MSG_FILE: the carrier at IP was sent the forward number of the tests
# (+1 555 765 4321) as the INVITE's request URI.
sent_forward_number() {
  grep -q "^INVITE sip:15557654321@${1//./\\.}:5080 SIP/2\\.0" "$2"
}
