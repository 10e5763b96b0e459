#!/usr/bin/env bash
# The bench harness: runs Bugle's benchmarks, each beside a peer measured in the same run, and
# writes bench/results/latest.md (a table with the machine described above it), latest.json and
# a PNG chart (gnuplot) for each benchmark that steps its load.
#   bench/run.sh [--quick] [--build DIR] [NAME...]     (no NAME: all of them; --list: the names)
# Every benchmark prints, on stdout or stderr, "RESULT {json}" lines with name, metric, unit,
# bugle, peer_name, peer, ratio, goal (and peer_note when there is no peer figure), and may print
# "SERIES {json}" lines (bench/lib/series.sh) for its chart. This script only runs them, each
# bounded in time and stopped with everything it started on Ctrl-C, and collects those lines.
# With --quick each gets --quick and BENCH_QUICK=1. A benchmark whose script is not there yet is
# reported "missing"; the exit status is non-zero when one failed or was missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$repo/build
quick=0
names=()

# name | command (relative to the build tree unless it starts with bench/) | time limit, seconds
BENCHES=(
  "sip_parse|bench/sip_parse/bench-sip-parse|120"
  "filter|bench/filter/bench-filter|120"
  "srtp|bench/srtp/bench-srtp|180"
  "transcode|bench/transcode/bench-transcode|300"
  "relay|bench/relay/bench-relay|60"
  "relay_veth|bench/relay_veth/run.sh|2700"
  "sip_forward|bench/sip_forward/run.sh|240"
  "flood|bench/flood/run.sh|240"
  "api|bench/api/run.sh|420"
  "calls|bench/calls/run.sh|600"
)
# After the time limit a benchmark gets SIGTERM, then this long to clean up before SIGKILL.
CLEANUP_S=60

while [ $# -gt 0 ]; do
  case "$1" in
  --quick) quick=1 ;;
  --build) build=$2; shift ;;
  --list) for b in "${BENCHES[@]}"; do echo "${b%%|*}"; done; exit 0 ;;
  -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
  -*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  *) names+=("$1") ;;
  esac
  shift
done
build=$(cd "$build" 2>/dev/null && pwd || echo "$build")

entry() { local b; for b in "${BENCHES[@]}"; do [ "${b%%|*}" = "$1" ] && { echo "$b"; return 0; }; done; return 1; }
if [ ${#names[@]} -eq 0 ]; then
  for b in "${BENCHES[@]}"; do names+=("${b%%|*}"); done
fi
for n in "${names[@]}"; do entry "$n" >/dev/null || { echo "bench/run.sh: no benchmark named $n" >&2; exit 2; }; done
for tool in jq gnuplot; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is not installed (deploy/install-deps.sh)" >&2; exit 1; }
done

if [ ! -d "$build/bench" ]; then
  echo "bench/run.sh: building into $build" >&2
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j"$(nproc)" >/dev/null
fi

out=$here/results
mkdir -p "$out"
work=$(mktemp -d /tmp/bugle-bench-run.XXXXXX)
child=
# Ctrl-C or SIGTERM: the running benchmark gets SIGTERM (through timeout, to its whole process
# group) and its own clean-up runs before this script leaves.
on_signal() {
  trap '' INT TERM
  echo "bench/run.sh: interrupted, stopping ${current:-}" >&2
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null
  exit 130
}
trap on_signal INT TERM
trap 'rm -rf "$work"' EXIT

# status_row NAME TEXT: a row for a benchmark that gave no figure.
status_row() { jq -cn --arg n "$1" --arg t "$2" '{name: $n, status: $t}' >> "$work/status"; }

# collect NAME LOG TAG JQ-FILTER FILE: a benchmark's TAG lines (RESULT, SERIES) into FILE; a line
# that is not JSON is reported and left out, never taken for a figure.
collect() {
  local n=$1 log=$2 tag=$3 filter=$4 file=$5 line
  { grep -h "^$tag " "$log" || true; } | sed "s/^$tag //" | while IFS= read -r line; do
    jq -ec --arg n "$n" "$filter" <<<"$line" 2>/dev/null ||
      echo "bench/run.sh: $n printed a $tag line that is not JSON: $line" >&2
  done >> "$file"
}

started=$(date +%s)
elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
failed=0
total=${#names[@]}
i=0
: > "$work/results"; : > "$work/series"; : > "$work/status"
for n in "${names[@]}"; do
  i=$((i + 1))
  b=$(entry "$n"); rest=${b#*|}; cmd=${rest%%|*}; limit=${rest##*|}
  current=$n
  log="$out/$n.log"
  if [ "${cmd#bench/}" != "$cmd" ] && [ "${cmd%.sh}" != "$cmd" ]; then
    path=$repo/$cmd; run=(bash "$path" --build "$build")
  else
    path=$build/$cmd; run=("$path")
  fi
  if [ ! -f "$path" ]; then
    printf '[%d/%d] %s missing: %s does not exist (yet) (%s)\n' "$i" "$total" "$n" "${path#"$repo"/}" "$(elapsed "$started")" >&2
    status_row "$n" "missing: ${path#"$repo"/} does not exist (yet)"
    failed=1
    continue
  fi
  printf '[%d/%d] %s ... (%s)\n' "$i" "$total" "$n" "$(elapsed "$started")" >&2
  t0=$(date +%s)
  args=(); env=()
  [ $quick -eq 1 ] && { args+=(--quick); env+=(BENCH_QUICK=1); }
  env "${env[@]}" timeout -k "$CLEANUP_S" "$limit" "${run[@]}" "${args[@]}" > "$log" 2>&1 &
  child=$!
  rc=0; wait "$child" || rc=$?
  child=
  collect "$n" "$log" RESULT '. + {bench: $n}' "$work/results"
  # Points as [x, y] pairs or {x, y} objects; names and axes default when a benchmark leaves
  # them out.
  collect "$n" "$log" SERIES '. + {bench: $n, chart: (.chart // $n), label: (.label // .name // .metric // $n),
    x: ((.x | strings) // .x_label // "load"), y: ((.y | strings) // .y_label // "loss"),
    points: [(.points // [])[] | if type == "array" then .[0:2] elif type == "object" then [.x, .y] else empty end
             | select(all(type == "number"))]}' "$work/series"
  if [ $rc -eq 0 ]; then
    printf '[%d/%d] %s done in %s (%s)\n' "$i" "$total" "$n" "$(elapsed "$t0")" "$(elapsed "$started")" >&2
  else
    why="exit status $rc"; [ $rc -eq 124 ] || [ $rc -eq 137 ] && why="over its ${limit}s limit"
    printf '[%d/%d] %s FAILED: %s, see %s (%s)\n' "$i" "$total" "$n" "$why" "${log#"$repo"/}" "$(elapsed "$started")" >&2
    status_row "$n" "FAILED ($why): see bench/results/$n.log"
    failed=1
  fi
done
current=

# ---- the machine and the peers' versions ----
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
mem=$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)
dpdk=$(pkg-config --modversion libdpdk 2>/dev/null || pkg_version dpdk)
machine=$(jq -n --arg cpu "$cpu" --arg cores "$(nproc)" --arg mem "$mem" --arg kernel "$(uname -r)" \
  --arg dpdk "$dpdk" --arg os "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")" \
  '{cpu: $cpu, cores: ($cores | tonumber), memory_gib: ($mem | tonumber), kernel: $kernel, os: $os, dpdk: $dpdk}')
peers=$(for p in libosip2-dev kamailio rtpengine-daemon libsrtp2-dev libavcodec-dev libspandsp-dev \
  libbcg729-dev nginx-light wrk sip-tester postgresql rabbitmq-server; do
  printf '%s\t%s\n' "$p" "$(pkg_version "$p")"; done | jq -Rn '[inputs | split("\t") | {(.[0]): .[1]}] | add')
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
wall=$(($(date +%s) - started))

jq -n --argjson machine "$machine" --argjson peers "$peers" --arg when "$when" \
  --argjson quick "$quick" --argjson wall "$wall" \
  --slurpfile results "$work/results" --slurpfile series "$work/series" --slurpfile status "$work/status" \
  '{date: $when, quick: ($quick == 1), wall_seconds: $wall, machine: $machine, peer_versions: $peers,
    results: $results, not_run: $status, series: $series}' > "$out/latest.json"

# ---- charts: one PNG per chart name, one curve per label ----
charts=()
while IFS= read -r chart; do
  [ -n "$chart" ] || continue
  png="$out/$chart.png"
  plot=$work/$chart.gp
  xl=$(jq -r --arg c "$chart" 'first(.series[] | select(.chart == $c) | .x)' "$out/latest.json")
  yl=$(jq -r --arg c "$chart" 'first(.series[] | select(.chart == $c) | .y)' "$out/latest.json")
  {
    echo "set terminal pngcairo size 900,540 noenhanced"
    echo "set output '$png'"
    echo "set title '$chart$( [ $quick -eq 1 ] && echo ' (quick run)'), $when'"
    echo "set xlabel '$xl'"; echo "set ylabel '$yl'"
    # Some room around the points so that none sits on the border; the key under the plot.
    echo "set grid"; echo "set key below"; echo "set yrange [0:*]"
    echo "set offsets graph 0.03, graph 0.03, graph 0.05, 0"
    printf 'plot '
    jq -r --arg c "$chart" '[.series[] | select(.chart == $c)] | to_entries
      | map("\u0027-\u0027 using 1:2 with linespoints pointsize 1.5 linewidth 2 title \u0027\(.value.label)\u0027") | join(", ")' "$out/latest.json"
    jq -r --arg c "$chart" '.series[] | select(.chart == $c) | ((.points[] | "\(.[0]) \(.[1])"), "e")' "$out/latest.json"
  } > "$plot"
  if gnuplot "$plot" 2> "$work/gnuplot.err"; then
    charts+=("$chart")
  else
    echo "bench/run.sh: gnuplot failed for $chart: $(head -n 3 "$work/gnuplot.err")" >&2
  fi
done < <(jq -r '[.series[] | select(.points | length > 0) | .chart] | unique[]' "$out/latest.json")

# ---- the report ----
{
  echo "# Bugle benchmark report"
  echo
  echo "$when$( [ $quick -eq 1 ] && echo ', quick run'), ${wall} s in all (\`bench/run.sh$( [ $quick -eq 1 ] && echo ' --quick')\`)."
  echo
  jq -r '.machine | "Machine: \(.cpu), \(.cores) cores, \(.memory_gib) GiB, Linux \(.kernel), \(.os), DPDK \(.dpdk)."' "$out/latest.json"
  echo
  jq -r '"Peers (Debian package versions): " + (.peer_versions | to_entries | map("\(.key) \(.value)") | join(", ")) + "."' "$out/latest.json"
  echo
  echo "| benchmark | metric | Bugle | peer | peer value | ratio | goal |"
  echo "|---|---|---|---|---|---|---|"
  jq -r 'def num: if type == "number" then (if . >= 100 then round elif . >= 1 then (. * 100 | round / 100) else (. * 10000 | round / 10000) end | tostring) else tostring end;
    (.results[] | "| \(.name) | \(.metric) (\(.unit)) | \(.bugle | num) | \(.peer_name // "none") | \(if .peer == null then (.peer_note // "—") else (.peer | num) end) | \(if .ratio == null then "—" else (.ratio * 100 | round / 100 | tostring) + "x" end) | \(.goal // "—") |"),
    (.not_run[] | "| \(.name) | \(.status) | — | — | — | — | — |")' "$out/latest.json"
  if [ ${#charts[@]} -gt 0 ]; then
    echo
    echo "Charts (load against loss or latency):"
    for c in "${charts[@]}"; do echo "- $c: ![$c]($c.png)"; done
  fi
} > "$out/latest.md"
cat "$out/latest.md"
exit $failed
