# Shared by the api_* end-to-end tests: a bootstrap account, a control plane with a known API
# port, and curl wrappers that print the HTTP status then the body.
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# api_start NAME: starts a control plane; sets API_<NAME>=http://127.0.0.1:PORT/v2
api_start() {
  local name=$1 port; port=$(free_port); shift
  # No test network here: SIP listens on loopback, no data plane is reachable.
  start_controlplane "$name" "127.0.0.1:1" --set "api.listen=127.0.0.1:$port" \
    --set "sip.listen=127.0.0.1:$(free_port)" "$@"
  wait_tcp 127.0.0.1 "$port" 60 || { echo "control plane $name did not open its API"; return 1; }
  printf -v "API_${name//-/_}" '%s' "http://127.0.0.1:$port/v2"
}

# req METHOD URL [BODY] [extra curl args...]: prints "STATUS BODY" on one line.
req() {
  local m=$1 url=$2 body=${3:-}; shift 3 2>/dev/null || shift $#
  local args=(-s -o "$T_DIR/body" -w '%{http_code}' -X "$m" -H 'Content-Type: application/json')
  [ -n "${TOKEN:-}" ] && args+=(-H "X-Auth-Token: $TOKEN")
  [ -n "$body" ] && args+=(--data-binary "$body")
  local code; code=$(curl "${args[@]}" "$@" "$url")
  echo "$code $(cat "$T_DIR/body")"
}
status_of() { echo "${1%% *}"; }
body_of() { echo "${1#* }"; }
jqb() { body_of "$1" | jq -r "$2"; }

# bootstrap NAME REALM USER PASS: the first account through buglectl; sets ROOT_ID
bootstrap() {
  local out
  out=$(BUGLE_DB=$(pg_conninfo) "$BUILD/buglectl" --json account create --name "$1" --realm "$2" --user "$3" --password "$4")
  ROOT_ID=$(echo "$out" | jq -r .account_id)
  ROOT_API_KEY=$(echo "$out" | jq -r .api_key)
}

md5_of() { printf '%s' "$1" | md5sum | cut -d' ' -f1; }
