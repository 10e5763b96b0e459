#!/usr/bin/env bash
# Calls nobody takes, through the whole stack: a busy callee (486 reaches the caller, and a
# callflow's "sip:486" child runs instead when there is one), a callee that rings out (the
# control plane CANCELs it after the device's timeout and the "no_answer" child runs), and a
# caller that CANCELs while the callee rings (487 to the caller, CANCEL to the callee). No
# media session outlives any of them.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/call_lib.sh"

bob_callflow 1002
callflow cf-1003 '{"numbers": ["1003"], "flow": {"module": "device", "data": {"id": "dev-bob", "timeout": 3},
  "children": {"no_answer": {"module": "response", "data": {"code": 410, "message": "No Answer Branch"}}}}}'
callflow cf-1004 '{"numbers": ["1004"], "flow": {"module": "device", "data": {"id": "dev-bob"},
  "children": {"sip:486": {"module": "response", "data": {"code": 600, "message": "Busy Branch"}}}}}'

bob_answers busy callee_busy
check "busy: alice gets bob's 486" alice_calls busy "$(refused 486)" 1002
check "busy: bob's 486 was ACKed" wait "$BOB"
check "busy: no media session left" wait_for 10 no_session busy-1

bob_answers busybranch callee_busy
check "busy with a sip:486 child: alice gets the child's 600" \
  alice_calls busybranch "$(refused 600)" 1004
check "busy with a sip:486 child: bob's 486 was ACKed" wait "$BOB"

bob_answers noanswer callee_ringing
check "no answer: after 3 s the no_answer child answers alice 410" \
  alice_calls noanswer "$(refused 410)" 1003
check "no answer: bob was CANCELled (200, 487, ACK)" wait "$BOB"
check "no answer: no media session left" wait_for 10 no_session noanswer-1

bob_answers cancel callee_ringing
check "cancel: alice CANCELs while bob rings and gets 200 and 487" \
  alice_calls cancel "$CALL_SCN/caller_cancel.xml" 1002
check "cancel: bob was CANCELled (200, 487, ACK)" wait "$BOB"
check "cancel: no media session left" wait_for 10 no_session cancel-1

finish
