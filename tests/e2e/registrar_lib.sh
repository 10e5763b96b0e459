# Shared by the registrar end-to-end tests: an account and devices written straight into
# PostgreSQL in the document shape the REST API stores, and sipp runs against the control
# plane's SIP address.
# shellcheck shell=bash

SCN="$E2E_DIR/sipp-cp"

psql_q() { psql "$(pg_conninfo)" -v ON_ERROR_STOP=1 -Atqc "$1"; }

# new_account REALM: prints a fresh account id (32 hex digits); the account document carries the
# realm as the API writes it.
new_account() {
  local id realm=$1
  id=$(python3 -c 'import uuid; print(uuid.uuid4().hex)')
  psql_q "SELECT bugle_account_create('$id', NULL, 'e2e $realm', '$realm', NULL,
          jsonb_build_object('name', 'e2e $realm', 'realm', '$realm'))" >/dev/null
  echo "$id"
}

# new_device ACCOUNT USERNAME PASSWORD [EXPIRE_SECONDS]: a device document of type device.
new_device() {
  local acct=$1 user=$2 pass=$3 exp=${4:-}
  local sip="jsonb_build_object('username', '$user', 'password', '$pass')"
  [ -n "$exp" ] && sip="$sip || jsonb_build_object('expire_seconds', $exp)"
  psql_q "INSERT INTO documents (account_id, id, type, data) VALUES ('$acct', 'dev-$user', 'device',
          jsonb_build_object('name', '$user phone', 'enabled', true, 'sip', $sip))"
}

bindings() { psql_q "SELECT count(*) FROM registrations WHERE username = '$1' AND realm = '$2'"; }

# sipp_reg SCENARIO USER PASSWORD REALM EXPIRES [extra sipp args...]: one call from a free local
# port (extra -m / -p given later win), bounded in time; succeeds when every call passed.
sipp_reg() {
  local scn=$1 user=$2 pass=$3 realm=$4 exp=$5; shift 5
  timeout 60 sipp "$SIP_ADDR" -sf "$SCN/$scn.xml" -s "$user" -au "$user" -ap "$pass" \
    -key dom "$realm" -key exp "$exp" -i 127.0.0.1 -m 1 -timeout 20s -timeout_error \
    -trace_err -error_file "$T_DIR/sipp-$scn-$user.err" -nostdin -p "$(free_port)" "$@" \
    > "$T_DIR/sipp-$scn-$user.out" 2>&1
}
