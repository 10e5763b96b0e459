# Shared by the operator CLI tests (ops_cli.sh, ops_drain.sh), after call_lib.sh: an API key
# of the test account for buglectl ($KEY), 1002 ringing bob, and the checks they share.
# shellcheck shell=bash

OPS_SCN="$E2E_DIR/sipp-ops"
KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
psql_q "UPDATE accounts SET api_key = '$KEY' WHERE id = '$acct'"
bob_callflow 1002

# saved_to FILE COMMAND...: runs COMMAND with its output in FILE; its exit code is COMMAND's.
saved_to() { local f=$1; shift; "$@" > "$f"; }

# refused_503: alice (192.0.2.12:5072, not registered) calls 1002 and is answered 503.
refused_503() {
  in_pub env -C "$T_DIR" timeout 30 sipp 192.0.2.1:5060 -sf "$OPS_SCN/caller_503.xml" -s alice \
    -key dom "$realm" -key to 1002 -cid_str 'refused-%u' -i 192.0.2.12 -p 5072 -m 1 \
    -timeout 20s -timeout_error -trace_err -trace_msg -message_file "$T_DIR/refused.msg" \
    -error_file "$T_DIR/refused.err" -nostdin > "$T_DIR/refused.out" 2>&1
}

# new_call_refused WHAT: a draining control plane refuses a new INVITE with 503 and says when
# to retry; two checks named after WHAT.
new_call_refused() {
  check "$1: a new INVITE is refused 503" refused_503
  check "$1: the 503 says when to retry" grep -q '^Retry-After: [0-9]' "$T_DIR/refused.msg"
}
