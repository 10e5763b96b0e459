#!/usr/bin/env bash
# deploy/stack.sh brings the whole stack up on one machine, reports it as JSON, is idempotent,
# recovers a component killed with -9, and takes everything down again.
. "$(dirname "$0")/lib.sh"

. "$REPO/deploy/lib/free-port.sh"
# RabbitMQ needs its AMQP port low enough for the distribution and CLI ports above it.
export BUGLE_STATE_DIR="$T_DIR/state" BUGLE_PG_PORT=$(free_port) BUGLE_AMQP_PORT=$(free_port_pair)
export BUGLE_CONTROL_PORT=$(free_port) BUGLE_API_PORT=$(free_port) BUGLE_BUILD_DIR="$BUILD"
stack() { "$REPO/deploy/stack.sh" "$@"; }
cleanup_push "'$REPO/deploy/stack.sh' down"
# The daemons log inside the state directory; show them if the test fails.
cleanup_push "cp '$T_DIR'/state/log/*.log '$T_DIR'/ 2>/dev/null"

check "stack up" stack up
stack status > "$T_DIR/status.json" || true
check "status: postgres, rabbitmq, both daemons up and the control channel connected" \
  jq -e '.postgres.up and .rabbitmq.up and .dataplane.up and .controlplane.up and .control_channel_connected and .network.up' "$T_DIR/status.json"
check "the data plane answers ping on 192.0.2.1" in_pub ping -c 2 -W 2 192.0.2.1

dp_pid=$(cat "$BUGLE_STATE_DIR/run/dataplane.pid"); cp_pid=$(cat "$BUGLE_STATE_DIR/run/controlplane.pid")
check "stack up a second time" stack up
check "a second up leaves the running daemons alone" \
  bash -c "[ $dp_pid = \$(cat '$BUGLE_STATE_DIR/run/dataplane.pid') ] && [ $cp_pid = \$(cat '$BUGLE_STATE_DIR/run/controlplane.pid') ]"

kill -9 "$cp_pid"
sleep 0.5
check "status fails while the control plane is dead" bash -c "! '$REPO/deploy/stack.sh' status >/dev/null"
check "stack up after kill -9 restarts it" stack up
check "the restarted control plane is connected again, the data plane untouched" \
  bash -c "'$REPO/deploy/stack.sh' status | jq -e '.control_channel_connected' >/dev/null && [ $dp_pid = \$(cat '$BUGLE_STATE_DIR/run/dataplane.pid') ]"

cp_pid=$(cat "$BUGLE_STATE_DIR/run/controlplane.pid")
check "stack down" stack down
check "status fails once down" bash -c "! '$REPO/deploy/stack.sh' status >/dev/null"
check "no daemon left running" bash -c "! kill -0 $dp_pid 2>/dev/null && ! kill -0 $cp_pid 2>/dev/null"
check "the test network is gone" bash -c "! ip netns list | grep -qw bugle-pub"
finish
