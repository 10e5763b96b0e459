#!/usr/bin/env bash
# A RabbitMQ node of our own in DIR, listening on 127.0.0.1:PORT only (AMQP) with its
# distribution port at PORT+10000 on loopback (so PORT is at most 45535). Used by the stack and by the tests.
#   rabbitmq.sh start DIR [PORT] -> prints the AMQP URL on stdout once the node accepts clients
#   rabbitmq.sh stop DIR
#   rabbitmq.sh status DIR
#   rabbitmq.sh url DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

RABBIT_BIN=/usr/lib/rabbitmq/bin
[ -x "$RABBIT_BIN/rabbitmq-server" ] || { echo "rabbitmq.sh: rabbitmq-server not installed (run deploy/install-deps.sh)" >&2; exit 1; }

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: rabbitmq.sh start|stop|status|url DIR [PORT]" >&2; exit 2; }

node_env() {
  local port
  port=$(cat "$dir/port")
  export HOME="$dir"
  export RABBITMQ_NODENAME="bugle$port@localhost"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$port"
  export RABBITMQ_DIST_PORT=$((port + 10000))
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_PID_FILE="$dir/rabbit.pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

url() { echo "amqp://guest:guest@127.0.0.1:$(cat "$dir/port")/"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() {
  [ -f "$dir/port" ] || return 1
  node_env
  "$RABBIT_BIN/rabbitmq-diagnostics" -q -n "$RABBITMQ_NODENAME" check_port_listener "$(cat "$dir/port")" >/dev/null 2>&1
}

case "$cmd" in
start)
  # No PORT: the one this DIR used before, else a free one.
  port=${3:-}
  if [ -z "$port" ]; then
    if [ -f "$dir/port" ]; then port=$(cat "$dir/port"); else port=$(free_port_pair); fi
  fi
  # The distribution port is PORT+10000 and RabbitMQ's CLI tools take ports 10000 above that.
  if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 45535 ]; then
    echo "rabbitmq.sh: AMQP port $port out of range 1..45535 (distribution port is PORT+10000, CLI ports PORT+20000)" >&2
    exit 2
  fi
  mkdir -p "$dir/mnesia" "$dir/log"
  if [ -f "$dir/port" ] && [ "$(cat "$dir/port")" != "$port" ]; then
    echo "rabbitmq.sh: $dir was set up for port $(cat "$dir/port")" >&2; exit 1
  fi
  echo "$port" > "$dir/port"
  if port_open "$port" && running; then url; exit 0; fi
  echo "[]." > "$dir/enabled_plugins"
  echo "[]." > "$dir/advanced.config"
  : > "$dir/rabbitmq-env.conf"
  cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$port
loopback_users.guest = true
log.file.level = warning
log.console = false
vm_memory_high_watermark.relative = 0.2
CONF
  [ -f "$dir/.erlang.cookie" ] || { head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/.erlang.cookie"; chmod 400 "$dir/.erlang.cookie"; }
  node_env
  nohup setsid "$RABBIT_BIN/rabbitmq-server" >"$dir/log/console.log" 2>&1 < /dev/null &
  echo $! > "$dir/launcher.pid"
  for _ in $(seq 1 120); do
    if port_open "$port"; then url; exit 0; fi
    if ! kill -0 "$(cat "$dir/launcher.pid")" 2>/dev/null; then
      echo "rabbitmq.sh: node exited during start" >&2; tail -n 30 "$dir/log/console.log" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "rabbitmq.sh: node did not open port $port within 60 s" >&2; tail -n 30 "$dir/log/console.log" >&2
  exit 1
  ;;
stop)
  [ -f "$dir/port" ] || exit 0
  node_env
  "$RABBIT_BIN/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 || true
  if [ -f "$dir/launcher.pid" ]; then
    pid=$(cat "$dir/launcher.pid")
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/launcher.pid"
  fi
  ;;
status)
  running
  ;;
url)
  url
  ;;
*)
  echo "usage: rabbitmq.sh start|stop|status|url DIR [PORT]" >&2; exit 2 ;;
esac
