# Shared by the media end-to-end tests that drive one data plane's relay through buglectl
# (sourced after lib.sh): the data plane on the test network, the ctl and peer helpers, the two
# endpoints A (192.0.2.10) and B (192.0.2.11) in bugle-pub, and the event watcher.
# shellcheck shell=bash

# media_dataplane NAME RTP_PORT_MIN [--set k=v ...]: the test network and a data plane without
# hugepages, its control port in $port and its RTP ports RTP_PORT_MIN to RTP_PORT_MIN + 99 (each
# test its own range). Picks A's and B's RTP ports ($a_port, $b_port) and has both endpoints
# announce themselves, so the data plane knows their MAC before the first packet to them.
media_dataplane() {
  local name=$1 rtp_min=$2 host
  shift 2
  netns_up
  port=$(free_port)
  start_dataplane "$name" "$port" --set dataplane.hugepages=off \
    --set "media.rtp_port_min=$rtp_min" --set "media.rtp_port_max=$((rtp_min + 99))" "$@"
  # shellcheck disable=SC2034  # a_port and b_port are for the sourcing test
  a_port=$((20000 + RANDOM % 10000 * 4)) b_port=$((a_port + 2))
  for host in 192.0.2.10 192.0.2.11; do
    in_pub arping -q -c 1 -w 2 -i bgl-pub1 -S "$host" 192.0.2.1 || true
  done
}

# media_prompt_dataplane NAME RTP_PORT_MIN: media_dataplane whose media.directory ($media) holds
# prompt.wav, 2 s of media_ops_prompt.py's test signal.
media_prompt_dataplane() {
  media="$T_DIR/media"
  mkdir -p "$media"
  python3 "$E2E_DIR/media_ops_prompt.py" make "$media/prompt.wav" 2
  media_dataplane "$1" "$2" --set "media.directory=$media"
}

ctl() { "$BUILD/buglectl" --json --control "127.0.0.1:$port" "$@"; }
peer() { in_pub "$BUILD/rtp-peer" "$@" 2>>"$T_DIR/rtp-peer.log"; }

# media_watch_events SECONDS: the data plane's events with their media-operation fields, one JSON
# object a line in $T_DIR/events.jsonl, for up to SECONDS; stopped at exit.
media_watch_events() {
  python3 "$E2E_DIR/media_ops_events.py" "127.0.0.1:$port" "$1" > "$T_DIR/events.jsonl" 2>&1 &
  events_pid=$!
  cleanup_push "kill $events_pid"
}
