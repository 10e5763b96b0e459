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

printf '\nBugle is up. Logs: /var/lib/bugle/log/. Stop it with: deploy/stack.sh down\n'
