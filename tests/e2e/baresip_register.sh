#!/usr/bin/env bash
# Registration of real baresip softphones through the data plane: a phone with the right
# password is registered and listed by GET /v2/accounts/{ID}/registrations with its own address;
# a phone with a wrong password is refused and never listed; quitting the registered phone
# unregisters it (Expires: 0), and the API lists no binding any more.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/baresip_lib.sh"
. "$E2E_DIR/baresip_api.sh"

baresip_devices

# regs_of USER: the account's bindings of USER as the API lists them, one contact a line.
regs_of() { api_get "/accounts/$acct/registrations" | jq -r --arg u "$1" '.data[] | select(.username == $u) | .contact'; }
listed() { regs_of "$1" | grep -q "@$2:5060"; }
not_listed() { [ -z "$(regs_of "$1")" ]; }

baresip_start carol carol secret-c 192.0.2.12 440
baresip_start dave dave wrong-password 192.0.2.13 1000

check "carol's baresip registers with the right password (200 after the challenge)" \
  wait_for 20 baresip_registered carol
check "the API lists carol's binding at her phone's address" wait_for 10 listed carol 192.0.2.12
check "dave's baresip is refused with the wrong password" \
  wait_for 20 baresip_logged dave '(: |\} +)403 Forbidden'
never_registered() { ! baresip_registered "$1"; }
check "dave's baresip never got a 200" never_registered dave
check "the API lists no binding for dave" not_listed dave

check "carol's baresip quits when told to" baresip_quit carol
check "on quitting, carol's baresip unregistered (REGISTER with expires=0)" \
  baresip_logged carol '^Contact: .*;expires=0'
check "quitting unregistered carol: the API lists no binding for her" wait_for 10 not_listed carol
check "the registrar removed the binding from PostgreSQL too" \
  test "$(bindings carol "$realm")" = 0
baresip_quit dave || fail "dave's baresip quits when told to"

finish
