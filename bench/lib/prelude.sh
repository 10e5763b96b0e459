# What every network benchmark script starts with; sourced with its name and arguments:
#   . "$repo/bench/lib/prelude.sh" NAME "$@"
# Loads the daemon helpers (deploy/lib/daemon.sh), the shared network set-up
# (bench/lib/twin-netns.sh), the chart series (bench/lib/series.sh) and the data plane's start
# (bench/lib/dataplane.sh), and sets build (default:
# the source tree's build/) and quick (0 or 1) from --build DIR and --quick; any other option
# is an error (exit 2). Needs $repo.
. "$repo/deploy/lib/daemon.sh"
. "$repo/bench/lib/twin-netns.sh"
. "$repo/bench/lib/series.sh"
. "$repo/bench/lib/dataplane.sh"

bench_name=$1; shift
build=$repo/build
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
  --build) build=$2; shift ;;
  --quick) quick=1 ;;
  *) echo "$bench_name/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
