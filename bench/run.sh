#!/usr/bin/env bash
# The bench harness: runs Bugle's benchmarks, each beside a peer measured in the same run, and
# writes bench/results/latest.md (a table), latest.json and, where a benchmark gives a series,
# PNG charts.
#   bench/run.sh [--quick] [--build DIR] [NAME...]     (no NAME: all of them)
# Every benchmark prints "RESULT {json}" lines with name, metric, unit, bugle, peer_name, peer,
# ratio, goal; this script only runs them and collects those lines. Each run is bounded in time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$repo/build
quick=0
names=()
while [ $# -gt 0 ]; do
  case "$1" in
  --quick) quick=1 ;;
  --build) build=$2; shift ;;
  -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
  -*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  *) names+=("$1") ;;
  esac
  shift
done

# name | command (relative to the build tree unless it starts with bench/) | time limit, seconds
BENCHES=(
  "sip_parse|bench/sip_parse/bench-sip-parse|120"
  "filter|bench/filter/bench-filter|120"
  "srtp|bench/srtp/bench-srtp|180"
  "transcode|bench/transcode/bench-transcode|300"
  "relay|bench/relay/bench-relay|60"
  "relay_veth|bench/relay_veth/run.sh|900"
  "sip_forward|bench/sip_forward/run.sh|240"
  "flood|bench/flood/run.sh|150"
)

known() { local b; for b in "${BENCHES[@]}"; do [ "${b%%|*}" = "$1" ] && return 0; done; return 1; }
if [ ${#names[@]} -eq 0 ]; then
  for b in "${BENCHES[@]}"; do names+=("${b%%|*}"); done
fi
for n in "${names[@]}"; do known "$n" || { echo "bench/run.sh: no benchmark named $n" >&2; exit 2; }; done

if [ ! -d "$build/bench" ]; then
  echo "bench/run.sh: building into $build" >&2
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j"$(nproc)" >/dev/null
fi

out=$here/results
mkdir -p "$out"
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
failed=0
total=${#names[@]}
i=0
for n in "${names[@]}"; do
  i=$((i + 1))
  for b in "${BENCHES[@]}"; do
    [ "${b%%|*}" = "$n" ] || continue
    rest=${b#*|}; cmd=${rest%%|*}; limit=${rest##*|}
    printf '[%d/%d] %s ...\n' "$i" "$total" "$n" >&2
    args=()
    [ $quick -eq 1 ] && args+=(--quick)
    log="$out/$n.log"
    if [ "${cmd%.sh}" != "$cmd" ]; then
      run=("$repo/$cmd" --build "$build")
    else
      run=("$build/$cmd")
    fi
    if timeout "$limit" "${run[@]}" "${args[@]}" > "$log" 2>&1; then
      grep '^RESULT ' "$log" | sed 's/^RESULT //' >> "$raw" || true
      printf '[%d/%d] %s done\n' "$i" "$total" "$n" >&2
    else
      echo "[$i/$total] $n FAILED (see $log)" >&2
      failed=1
    fi
  done
done

machine=$(printf '%s, %s cores, %s GiB, %s' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
  "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" "$(uname -r)")
when=$(date -u +%Y-%m-%dT%H:%M:%SZ)
jq -s --arg machine "$machine" --arg when "$when" --argjson quick "$quick" \
  '{machine: $machine, date: $when, quick: ($quick == 1), results: .}' "$raw" > "$out/latest.json"

{
  echo "# Bugle benchmark report"
  echo
  echo "Machine: $machine. Date: $when.$( [ $quick -eq 1 ] && echo ' Quick run.')"
  echo
  echo "| benchmark | metric | Bugle | peer | peer value | ratio | goal |"
  echo "|---|---|---|---|---|---|---|"
  jq -r '.results[] | "| \(.name) | \(.metric) (\(.unit)) | \(.bugle) | \(.peer_name // "—") | \(.peer // "—") | \(if .ratio == null then "—" else (.ratio * 100 | round / 100 | tostring) + "x" end) | \(.goal // "—") |"' "$out/latest.json"
} > "$out/latest.md"
cat "$out/latest.md"
exit $failed
