# Chart series for bench/run.sh; sourced, not run. A benchmark that steps its load prints one
# line per curve:
#   SERIES {"chart": NAME, "label": CURVE, "x": X-AXIS, "y": Y-AXIS, "points": [[x, y], ...]}
# and bench/run.sh draws every curve of a chart in bench/results/NAME.png.

# bench_series CHART LABEL X-AXIS Y-AXIS: reads "x y" lines on stdin, prints the SERIES line
# (points sorted by x; lines that are not two numbers are skipped).
bench_series() {
  jq -cRn --arg chart "$1" --arg curve "$2" --arg x "$3" --arg y "$4" '
    [inputs | split(" ") | select(length == 2) | map(tonumber? // null) | select(all(. != null))]
    | {chart: $chart, "label": $curve, x: $x, y: $y, points: sort_by(.[0])}' | sed 's/^/SERIES /'
}
