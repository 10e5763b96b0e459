#!/usr/bin/env bash
# The rest of call forward, through the whole stack. bob's device forwards; alice calls bob
# (1002):
# - to an outside number, with two carrier resources: the cheaper one's gateway answers 503,
#   the forwarded leg fails over to the second carrier, which answers; RTP flows;
# - to 1100, a callflow starting with temporal_route (no rule holds: its "_" child) that rings
#   charlie's device: the engine walks it as KAZOO's loopback does, charlie answers;
# - require_keypress, to charlie (1003): charlie answers, the data plane plays it the prompt,
#   charlie sends RFC 4733 "1" (which cuts the prompt short): alice is bridged to charlie with
#   RTP; charlie presses "5", or nothing: its leg gets a BYE and alice, bridged to nobody,
#   gets 480; with substitute false bob rings meanwhile and answers later: charlie's "5" hangs
#   up charlie only, and alice is bridged to bob.
. "$(dirname "$0")/lib.sh"
# The data plane's media directory holds the prompt a forwarded party hears before its key.
mkdir -p "$T_DIR/media"
python3 "$E2E_DIR/media_ops_prompt.py" make "$T_DIR/media/forward_accept.wav" 2
CALL_DP_SETTINGS=(--set "media.directory=$T_DIR/media")
. "$E2E_DIR/call_lib.sh"
. "$E2E_DIR/call_trunks_lib.sh"
. "$E2E_DIR/call_forward_lib.sh"
python3 "$E2E_DIR/media_ops_events.py" "127.0.0.1:$DP_PORT" 300 > "$T_DIR/events.jsonl" 2>&1 &
cleanup_push "kill $! 2>/dev/null || true"
# prompt_ended CALL_ID INTERRUPTED: the data plane reported the prompt on the call's leg b
# finished, cut short by a key (true) or played out (false).
prompt_ended() {
  jq -se --arg c "$1" --argjson i "$2" \
    'map(select(.kind == 3 and .call_id == $c and .leg_tag == "b" and .interrupted == $i)) | length == 1' \
    "$T_DIR/events.jsonl" > /dev/null
}

callflow cf-1100 '{"numbers": ["1100"], "flow": {"module": "temporal_route",
  "data": {"rules": []}, "children": {"_": {"module": "set_cid",
  "data": {"caller_id_name": "Via 1100"}, "children": {"_": {"module": "device",
  "data": {"id": "dev-charlie"}}}}}}}'
resource res-cheap '{"name": "cheap", "weight_cost": 10, "rules": ["^\\+?1\\d{10}$"],
  "gateways": [{"server": "192.0.2.13", "port": 5080}]}'
resource res-dear '{"name": "dear", "weight_cost": 20, "rules": ["^\\+?1\\d{10}$"],
  "gateways": [{"server": "192.0.2.14", "port": 5080}]}'

# --- to an outside number: the first carrier refuses 503, the second answers
forward '{"enabled": true, "number": "+1 555 765 4321", "require_keypress": false}'
carrier fo1 "$CALL_SCN/carrier_refuses.xml" 192.0.2.13 5080 45000
c1=$CARRIER
carrier fo2 "$CALL_SCN/callee.xml" 192.0.2.14 5080 45100
calls_bob fo
answered_by failover fo "the second carrier" "$CARRIER"
check "failover: the first carrier got the forward's INVITE and answered 503" wait "$c1"
check "failover: the first carrier was sent the forward number" \
  sent_forward_number 192.0.2.13 "$T_DIR/fo1.msg"
check "failover: the second carrier was sent the forward number" \
  sent_forward_number 192.0.2.14 "$T_DIR/fo2.msg"
check "failover: counted once" [ "$(cp_counter forward_failovers)" = 1 ]

# --- to a callflow that starts with temporal_route: walked to charlie's device
forward '{"enabled": true, "number": "1100", "require_keypress": false}'
charlie_answers walk callee
calls_bob walk
answered_by walk walk charlie "$CHARLIE"
check "walk: the INVITE went to charlie's registered contact" at_charlies_contact walk

# keypress_pcap DIGIT: keypress.pcap in the test directory, what callee_keypress.xml plays: the
# RFC 4733 events of DIGIT (payload type 101; none when DIGIT is empty), then 4 s of PCMU
# silence, one SSRC, 20 ms apart.
keypress_pcap() {
  python3 - "$1" "$T_DIR/keypress.pcap" <<'PY'
import struct, sys
digit, out = sys.argv[1], sys.argv[2]
pkts, ts_rtp, seq, t = [], 8000, 1, 0.0
def rtp(pt, marker, payload):
    global seq
    seq += 1
    return struct.pack('!BBHII', 0x80, (0x80 if marker else 0) | pt, seq & 0xffff,
                       ts_rtp & 0xffffffff, 0x4b455931) + payload
if digit:
    code = '0123456789*#'.index(digit)
    for k in range(10):
        end = 0x80 if k >= 7 else 0
        pkts.append((t, rtp(101, k == 0, struct.pack('!BBH', code, end | 10, 160 * min(k + 1, 8)))))
        t += 0.02
    ts_rtp += 1600
for k in range(200):
    pkts.append((t, rtp(0, k == 0, b'\xff' * 160)))
    t += 0.02
    ts_rtp += 160
with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for when, p in pkts:
        udp = struct.pack('!HHHH', 6000, 6002, 8 + len(p), 0) + p
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                         bytes([192, 0, 2, 12]), bytes([192, 0, 2, 1])) + udp
        frame = b'\x00\x11\x22\x33\x44\x55' * 2 + b'\x08\x00' + ip
        f.write(struct.pack('<IIII', int(when), int((when % 1) * 1e6), len(frame), len(frame)))
        f.write(frame)
PY
}

# charlie_keys NAME DIGIT: charlie answers the call NAME with callee_keypress.xml and sends
# DIGIT (nothing when empty); $CHARLIE is its pid.
charlie_keys() {
  keypress_pcap "$2"
  charlie_answers "$1" callee_keypress
}

# refused_after_key LABEL NAME DIGIT: charlie answers the forwarded call NAME and sends DIGIT
# (nothing when empty): charlie is not bridged, alice gets 480 and charlie's leg a BYE.
refused_after_key() {
  charlie_keys "$2" "$3"
  check "$1: alice is not bridged to charlie: 480" alice_calls "$2" "$(refused 480)" 1002
  check "$1: charlie's leg got a BYE from us" wait "$CHARLIE"
}

# --- require_keypress: charlie presses 1 and is bridged (after the key)
forward '{"enabled": true, "number": "1003", "require_keypress": true}'
charlie_keys key1 1
calls_bob key1
answered_by "keypress 1" key1 charlie "$CHARLIE" 20
check "keypress 1: the prompt played to charlie's leg, cut short by the key" \
  wait_for 5 prompt_ended key1-1 true
check "keypress 1: asked once, accepted once" \
  [ "$(cp_counter keypress_asked) $(cp_counter keypress_accepted)" = "1 1" ]

# --- charlie presses 5: its leg is hung up, alice is bridged to nobody
refused_after_key "keypress 5" key5 5
check "keypress 5: refused once" [ "$(cp_counter keypress_refused)" = 1 ]

# --- charlie presses nothing: after the timeout its leg is hung up
refused_after_key "no key" key0 ""
check "no key: the prompt played out on charlie's leg" wait_for 5 prompt_ended key0-1 false
check "no key: refused twice in all, accepted still once" \
  [ "$(cp_counter keypress_refused) $(cp_counter keypress_accepted)" = "2 1" ]

# --- substitute false: charlie presses 5 and is hung up, bob keeps ringing and answers
forward '{"enabled": true, "number": "1003", "substitute": false, "require_keypress": true}'
charlie_keys both5 5
bob_answers both5 callee_slow
calls_bob both5
answered_by "keypress 5, bob rings too" both5 bob "$BOB" 20
check "keypress 5, bob rings too: charlie's leg got a BYE from us" wait "$CHARLIE"
check "keypress 5, bob rings too: none accepted by key" [ "$(cp_counter keypress_accepted)" = 1 ]

finish
