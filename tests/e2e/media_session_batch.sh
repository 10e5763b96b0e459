#!/usr/bin/env bash
# buglectl session batch over the real control channel: many offers and answers over one
# connection give one reply per line in the lines' order, each call its own ports; comments and
# blank lines are skipped; a failing line stops the reading with its line number and exit code,
# the lines before it having taken effect; a bad line is a usage error; an unreachable data
# plane is exit 3.
. "$(dirname "$0")/lib.sh"

netns_up
port=$(free_port)
start_dataplane dp-batch "$port" --set dataplane.hugepages=off --set media.rtp_port_min=33000 \
  --set media.rtp_port_max=33999 --set media.max_sessions=300
ctl() { "$BUILD/buglectl" --json --control "127.0.0.1:$port" "$@"; }
N=200
{
  echo "# $N calls, each an offer from A and the answer from B"
  for i in $(seq 1 $N); do
    echo "offer batch-$i a 192.0.2.10:$((20000 + i * 2)) PCMU/8000/0"
    echo ""
    echo "	answer   batch-$i b 192.0.2.11:$((30000 + i * 2)) PCMU/8000/0,telephone-event/8000/101"
  done
} > "$T_DIR/calls.txt"
check "a batch of $N offers and answers succeeds" bash -c "'$BUILD/buglectl' --json --control 127.0.0.1:$port session batch '$T_DIR/calls.txt' > '$T_DIR/replies.jsonl'"
check "one reply per request line" test "$(wc -l < "$T_DIR/replies.jsonl")" -eq $((2 * N))
check "the replies come in the lines' order" jq -se --argjson n $N \
  '[.[].call_id] == [range(1; $n + 1) | "batch-\(.)" | ., .]' "$T_DIR/replies.jsonl"
check "every leg got a port of its own in the range" jq -se \
  '[.[].local_port] | (unique | length) == length and all(. >= 33000 and . <= 33999)' "$T_DIR/replies.jsonl"
check "the answer's reply has both legs, B's address as sent" jq -se \
  '.[3].legs | length == 2 and (map(select(.tag == "b"))[0].remote_port == 30004)' "$T_DIR/replies.jsonl"
check "a session set up by the batch answers a query" ctl session query batch-$N
ctl dataplane stats > "$T_DIR/stats.json"
check "the data plane counts all $N sessions" jq -e --argjson n $N '.sessions_active == $n' "$T_DIR/stats.json"

# From stdin; line 3 fails (unknown session): lines 1-2 took effect; of the 100 deletes after
# it, only those already in flight (at most 64 requests at once) may have run: the last did not.
{ printf 'delete batch-1\nquery batch-2\nquery nope\n'; for i in $(seq 100 199); do echo "delete batch-$i"; done; } > "$T_DIR/bad.txt"
rc=0
"$BUILD/buglectl" --control "127.0.0.1:$port" session batch - < "$T_DIR/bad.txt" > "$T_DIR/bad.out" 2> "$T_DIR/bad.err" || rc=$?
check "a failing line ends the batch with exit 1" test "$rc" = 1
check "the error names the line and the reason" grep -q "line 3: .*nope" "$T_DIR/bad.err"
check "the line before it took effect" bash -c "! '$BUILD/buglectl' --control 127.0.0.1:$port session query batch-1 >/dev/null 2>&1"
check "the reading stopped: the last line was never sent" ctl session query batch-199
rc=0
echo "offer batch-x a not-an-address PCMU/8000/0" | ctl session batch - > /dev/null 2>&1 || rc=$?
check "a bad line is a usage error (exit 2)" test "$rc" = 2
rc=0
echo "query batch-2" | "$BUILD/buglectl" --timeout 1000 --control "127.0.0.1:$(free_port)" session batch - >/dev/null 2>&1 || rc=$?
check "an unreachable data plane is exit 3" test "$rc" = 3
check "the data plane is still running" daemon_alive "$T_DIR/dp-batch.pid" bugle-dataplane
finish
