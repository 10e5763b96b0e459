# A CPU budget for the relay under test: the kernel's CFS bandwidth control (the cgroup cpu
# controller) lets the processes in one group run at most PCT % of each 10 ms period, on
# cgroup v2 (cpu.max) or v1 (cpu.cfs_quota_us), whichever holds the cpu controller. Sourced by
# run.sh, not run.
#   cpu_budget_init NAME   creates the group; returns 1 (and says why) when there is no cpu controller
#   cpu_budget_add PID     moves that process, every thread, into the group
#   cpu_budget_set PCT     PCT % of a CPU; "max": no limit
#   cpu_budget_throttled   periods the group was throttled in so far
#   cpu_budget_remove      moves what is left to the parent group and removes the group
CPU_BUDGET_PERIOD_US=10000
cpu_budget_dir=
cpu_budget_v=

cpu_budget_init() {
  local v2=/sys/fs/cgroup v1=/sys/fs/cgroup/cpu
  if [ -f "$v2/cgroup.controllers" ] && grep -qw cpu "$v2/cgroup.controllers"; then
    grep -qw cpu "$v2/cgroup.subtree_control" || echo +cpu > "$v2/cgroup.subtree_control" || return 1
    cpu_budget_dir=$v2/$1 cpu_budget_v=2
  elif [ -f "$v1/cpu.cfs_quota_us" ]; then
    cpu_budget_dir=$v1/$1 cpu_budget_v=1
  else
    echo "cpu budget: no cgroup cpu controller on this host" >&2
    return 1
  fi
  mkdir -p "$cpu_budget_dir"
  cpu_budget_set max
}

cpu_budget_add() { echo "$1" > "$cpu_budget_dir/cgroup.procs"; }

cpu_budget_set() {
  local quota=max
  [ "$1" = max ] || quota=$(($1 * CPU_BUDGET_PERIOD_US / 100))
  if [ "$cpu_budget_v" = 2 ]; then
    echo "$quota $CPU_BUDGET_PERIOD_US" > "$cpu_budget_dir/cpu.max"
  else
    echo "$CPU_BUDGET_PERIOD_US" > "$cpu_budget_dir/cpu.cfs_period_us"
    [ "$quota" = max ] && quota=-1
    echo "$quota" > "$cpu_budget_dir/cpu.cfs_quota_us"
  fi
}

cpu_budget_throttled() { awk '$1 == "nr_throttled" { print $2 }' "$cpu_budget_dir/cpu.stat"; }

cpu_budget_remove() {
  [ -n "$cpu_budget_dir" ] && [ -d "$cpu_budget_dir" ] || return 0
  local pid
  for pid in $(cat "$cpu_budget_dir/cgroup.procs" 2>/dev/null); do
    echo "$pid" > "$cpu_budget_dir/../cgroup.procs" 2>/dev/null || true
  done
  rmdir "$cpu_budget_dir" 2>/dev/null || true
}
