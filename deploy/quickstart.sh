#!/usr/bin/env bash
# From a fresh Debian machine to a running Bugle, as root:
#   installs the dependencies, builds, brings the whole stack up on this machine (test network,
#   PostgreSQL, RabbitMQ, data plane, control plane), then shows it working: the stack's status
#   and the data plane answering ARP and ping on its public address from the bugle-pub namespace.
# Stop everything with: deploy/stack.sh down
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
./deploy/install-deps.sh

step "build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

step "stack"
./deploy/stack.sh up

step "status"
./deploy/stack.sh status

step "the data plane answers on its public address 192.0.2.1 (from the bugle-pub namespace)"
ip netns exec bugle-pub arping -c 2 -w 5 -I bgl-pub1 192.0.2.1
ip netns exec bugle-pub ping -c 3 -i 0.2 192.0.2.1

step "the data plane over the control channel"
./build/buglectl --control 127.0.0.1:7010 dataplane status

step "a demo account, provisioned and read back through the REST API"
db=$(./deploy/lib/postgres.sh conninfo /var/lib/bugle/postgres)
if ! psql "$db" -Atc "SELECT 1 FROM accounts WHERE realm = 'demo.bugle.test'" 2>/dev/null | grep -q 1; then
  ./build/buglectl account create --name demo --realm demo.bugle.test --user admin \
    --password demo-password --db "$db"
fi
creds=$(printf '%s' 'admin:demo-password' | md5sum | cut -d' ' -f1)
auth=$(curl -sf -X PUT http://127.0.0.1:8000/v2/user_auth \
  -d "{\"data\":{\"credentials\":\"$creds\",\"account_realm\":\"demo.bugle.test\"}}")
token=$(jq -r .auth_token <<<"$auth")
account=$(jq -r .data.account_id <<<"$auth")
api="http://127.0.0.1:8000/v2/accounts/$account"
if [ "$(curl -sf "$api/devices" -H "X-Auth-Token: $token" | jq '.data | length')" = 0 ]; then
  curl -sf -X PUT "$api/devices" -H "X-Auth-Token: $token" \
    -d '{"data":{"name":"demo phone 1","sip":{"username":"demo1","password":"demo1-secret"}}}' >/dev/null
fi
curl -sf "$api/devices" -H "X-Auth-Token: $token" | jq '{devices: [.data[] | {id, name}]}'

printf '\nBugle is up. Logs: /var/lib/bugle/log/. Stop it with: deploy/stack.sh down\n'
