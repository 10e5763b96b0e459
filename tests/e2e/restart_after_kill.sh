#!/usr/bin/env bash
# Both daemons come back cleanly after kill -9: the data plane restarts on the same ports and
# control address, the control plane reconnects by itself, and a restarted control plane finds
# its migrations applied and connects again.
. "$(dirname "$0")/lib.sh"

netns_up
port=$(free_port)
start_dataplane dp-kill "$port"
start_controlplane cp-kill "127.0.0.1:$port" --set dataplane.heartbeat_ms=200
connected='dps == [true]'
check "connected at start" wait_for 60 cp_status cp-kill "$connected"

kill -9 "$(cat "$T_DIR/dp-kill.pid")"
check "the control plane notices the data plane is gone" wait_for 15 cp_status cp-kill 'dps == [false]'
start_dataplane dp-kill "$port"
check "the data plane restarts after kill -9 and answers ping" in_pub ping -c 2 -W 2 192.0.2.1
check "the control plane reconnects by itself" wait_for 30 cp_status cp-kill "$connected"

kill -9 "$(cat "$T_DIR/cp-kill.pid")"
rm -f "$T_DIR/cp-kill.status.json"
start_controlplane cp-kill "127.0.0.1:$port" --set dataplane.heartbeat_ms=200
check "a control plane restarted after kill -9 connects again" wait_for 60 cp_status cp-kill "$connected and dep(\"postgres\") and dep(\"rabbitmq\")"
n_files=$(ls "$REPO"/schemas/sql/*.sql | wc -l)
applied=$(psql "$(pg_conninfo)" -Atc "select count(*) || '/' || count(distinct version) from schema_migrations")
check "each of the $n_files migrations is recorded exactly once (got $applied)" [ "$applied" = "$n_files/$n_files" ]
finish
