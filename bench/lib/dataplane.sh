# Starting the data plane for a network benchmark; sourced (by bench/lib/prelude.sh), not run.
# Needs $repo, $build and deploy/lib/daemon.sh.

# bench_dataplane_start DIR NODE [ARG...]: bugle-dataplane from the example config with its
# control channel on a free loopback port (set in $ctl_port), no metrics listener, no
# hugepages, warnings only, plus ARGs (more --set overrides); pid and log in DIR (dp.pid,
# dp.log). Waits until the control channel answers; on failure prints the log's tail, returns 1.
# Stop it with daemon_stop DIR/dp.pid bugle-dataplane 20.
bench_dataplane_start() {
  local dir=$1 node=$2; shift 2
  ctl_port=$(bench_free_port)
  daemon_start "$dir/dp.pid" "$dir/dp.log" "$build/bugle-dataplane" -c "$repo/deploy/config/dataplane.ini" \
    --set "dataplane.node=$node" --set "control.listen=127.0.0.1:$ctl_port" --set metrics.listen= \
    --set log.level=warning --set dataplane.hugepages=off "$@"
  wait_tcp 127.0.0.1 "$ctl_port" 90 && return 0
  echo "$node: the data plane did not start" >&2
  tail "$dir/dp.log" >&2
  return 1
}
