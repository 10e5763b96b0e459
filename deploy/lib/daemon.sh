# Start, stop and check our daemons by pid file. Sourced by stack.sh and the e2e tests.
# A pid file counts only while its process is alive and is the program named, so a stale file
# left by kill -9 or a reboot never blocks a restart.

# daemon_alive PIDFILE PROGRAM
daemon_alive() {
  local pidfile=$1 prog=$2 pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  grep -qa -- "$prog" "/proc/$pid/cmdline" 2>/dev/null
}

# daemon_start PIDFILE LOGFILE PROGRAM [ARGS...]: runs it in its own session, in the background.
daemon_start() {
  local pidfile=$1 logfile=$2; shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  setsid "$@" >>"$logfile" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

# daemon_stop PIDFILE PROGRAM [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 15).
daemon_stop() {
  local pidfile=$1 prog=$2 wait=${3:-15} pid i
  if daemon_alive "$pidfile" "$prog"; then
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "daemon: $prog did not stop in ${wait}s, killing" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# wait_tcp HOST PORT SECONDS: until something accepts connections there.
wait_tcp() {
  local host=$1 port=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# wait_for SECONDS COMMAND...: until the command succeeds.
wait_for() {
  local secs=$1 i; shift
  for ((i = 0; i < secs * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
