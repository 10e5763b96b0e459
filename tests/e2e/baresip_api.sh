# The REST API of call_lib.sh's control plane for the baresip tests: the test account gets an
# API key, api_auth turns it into a token, api_get reads a resource.
# shellcheck shell=bash

BARESIP_API_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
psql_q "UPDATE accounts SET api_key = '$BARESIP_API_KEY' WHERE id = '$acct'"
check "the control plane's API answers" wait_tcp 127.0.0.1 "$CALL_API_PORT" 30
BARESIP_TOKEN=$(curl -sf -m 10 -X PUT -H 'Content-Type: application/json' \
  --data-binary "{\"data\":{\"api_key\":\"$BARESIP_API_KEY\"}}" "$CALL_API/api_auth" |
  jq -r '.auth_token // empty') || true
check "api_auth gives a token for the test account" test -n "$BARESIP_TOKEN"

# api_get PATH: GET $CALL_API/PATH with the token; prints the body, fails on an HTTP error.
api_get() { curl -sf -m 10 -H "X-Auth-Token: $BARESIP_TOKEN" "$CALL_API$1"; }
