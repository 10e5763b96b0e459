#!/bin/sh
# A throwaway RabbitMQ node in DIR, listening only on 127.0.0.1 (AMQP and Erlang distribution),
# on a free port chosen at the first start and kept for later starts (so clients reconnect to
# the same URL after a restart).
#
#   rabbit-throwaway.sh start DIR   start (or keep running) and print the amqp:// URL on stdout
#   rabbit-throwaway.sh stop DIR    stop if running; the data stay in DIR
#   rabbit-throwaway.sh url DIR
#
# Idempotent and bounded in time (RABBIT_THROWAWAY_WAIT_S, default 90 s for the start).
set -eu

RMQBIN=${RMQBIN:-/usr/lib/rabbitmq/bin}
WAIT_S=${RABBIT_THROWAWAY_WAIT_S:-90}

usage() { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# Listening sockets only: connections in TIME_WAIT from the previous run do not stop the node
# from listening again, and must not make it move to another port.
port_in_use() {
	ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

pick_port() {
	tries=0
	while [ $tries -lt 200 ]; do
		# Even ports 15000..24998; the distribution port is the next one.
		p=$((15000 + ($(od -An -N2 -tu2 /dev/urandom) % 5000) * 2))
		if ! port_in_use "$p" && ! port_in_use $((p + 1)); then
			echo "$p"
			return 0
		fi
		tries=$((tries + 1))
	done
	echo "rabbit-throwaway: no free port found" >&2
	return 1
}

[ -f "$dir/port" ] || pick_port >"$dir/port"
port=$(cat "$dir/port")
node="bugle$port@localhost"

# Everything the node and rabbitmqctl read lives in DIR (HOME holds the Erlang cookie).
export HOME="$dir"
export RABBITMQ_NODENAME="$node"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$port"
export RABBITMQ_DIST_PORT=$((port + 1))
export RABBITMQ_MNESIA_BASE="$dir/mnesia"
export RABBITMQ_LOG_BASE="$dir/log"
export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
export RABBITMQ_PID_FILE="$dir/rabbit.pid"
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_ADDRESS=127.0.0.1

url() { echo "amqp://guest:guest@127.0.0.1:$port/"; }

alive() {
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)
	[ "$state" != Z ]
}

node_pid() {
	[ -s "$dir/rabbit.pid" ] && head -1 "$dir/rabbit.pid"
}

running() {
	pid=$(node_pid) || return 1
	alive "$pid" && port_in_use "$port"
}

case "$cmd" in
start)
	if running; then
		url
		exit 0
	fi
	# Our node is not running but something else took its ports meanwhile: move.
	if port_in_use "$port" || port_in_use $((port + 1)); then
		pick_port >"$dir/port"
		port=$(cat "$dir/port")
		node="bugle$port@localhost"
		export RABBITMQ_NODENAME="$node" RABBITMQ_NODE_PORT="$port"
		export RABBITMQ_DIST_PORT=$((port + 1))
	fi
	touch "$dir/rabbitmq-env.conf"
	echo "[]." >"$dir/enabled_plugins"
	echo "[]." >"$dir/advanced.config"
	cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$port
loopback_users.guest = true
log.file.level = warning
CONF
	rm -f "$dir/rabbit.pid"
	mkdir -p "$dir/log"
	setsid "$RMQBIN/rabbitmq-server" >"$dir/server.out" 2>&1 </dev/null &
	deadline=$(($(date +%s) + WAIT_S))
	until running; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "rabbit-throwaway: node did not start within ${WAIT_S}s" >&2
			tail -n 20 "$dir/server.out" >&2
			exit 1
		fi
		sleep 0.3
	done
	# The port opens slightly before the node is fully booted.
	timeout "$WAIT_S" "$RMQBIN/rabbitmqctl" -q -n "$node" await_startup >/dev/null 2>&1 || true
	url
	;;
stop)
	pid=$(node_pid) || exit 0
	alive "$pid" || exit 0
	timeout 60 "$RMQBIN/rabbitmqctl" -q -n "$node" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
	i=0
	while alive "$pid" && [ $i -lt 100 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	alive "$pid" && kill -9 "$pid" 2>/dev/null || true
	rm -f "$dir/rabbit.pid"
	;;
url)
	url
	;;
*)
	usage
	;;
esac
