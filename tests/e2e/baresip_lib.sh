# Shared by the baresip end-to-end tests: the whole stack (call_lib.sh's data plane, control
# plane and account) and real baresip softphones in the bugle-pub namespace. Each phone has its
# own config directory under the test's directory, plays a sine tone (aufile) and records what
# it hears (the sndfile filter writes dump-*-dec.wav; the player is ALSA's null device, so no
# sound card is needed), takes commands through ctrl_tcp on the namespace's loopback, and quits
# by itself after a bounded lifetime. Its output is $T_DIR/baresip-NAME.log, shown on failure.
# Debian's baresip 1.0.0 has no aufile player, hence sndfile for the recording.
# shellcheck shell=bash
# baresip 1.0 (libre 1.1) refuses a 401 that also offers SHA-256: the registrar offers MD5 alone.
CALL_CP_SETTINGS=(--set sip.register_sha256=false)
. "$E2E_DIR/call_lib.sh"

BARESIP_AUDIO="$E2E_DIR/baresip_audio.py"
BARESIP_CTL="$E2E_DIR/baresip_ctl.py"
BARESIP_LIFETIME_S=60   # a phone quits by itself after this (-t), is killed 15 s later

# The process and ctrl_tcp port of each phone, by name.
declare -A BARESIP_PID=() BARESIP_CTL_PORT=()
BARESIP_COUNT=0

command -v baresip > /dev/null || { echo "baresip is not installed (deploy/install-deps.sh)"; exit 1; }

# baresip_start NAME USER PASSWORD IP TONE_HZ [ACCOUNT_PARAMS]: a phone for device USER of
# $realm at IP:5060, registering through the data plane (192.0.2.1:5060 as outbound proxy).
# ACCOUNT_PARAMS are added to its account line, e.g. ";answermode=auto;mediaenc=srtp-mand" or
# ";audio_codecs=G722/16000/1". The 30 s tone WAV is at the codec's rate (16 kHz for a G.722
# phone, else 8 kHz): baresip 1.0's aufile does not resample.
baresip_start() {
  local name=$1 user=$2 pass=$3 ip=$4 hz=$5 params=${6:-}
  # Each phone its own ctrl_tcp port and RTP port range.
  local dir="$T_DIR/baresip-$name" rate=8000 ctl_port=$((4440 + BARESIP_COUNT))
  local rtp=$((20000 + 20 * BARESIP_COUNT))
  BARESIP_COUNT=$((BARESIP_COUNT + 1))
  case "$params" in *audio_codecs=G722*) rate=16000 ;; esac
  mkdir -p "$dir"
  "$BARESIP_AUDIO" tone "$dir/tone.wav" "$hz" "$rate" 30
  cat > "$dir/config" <<EOF
poll_method		epoll
sip_listen		$ip:5060
net_interface		$ip
rtp_ports		$rtp-$((rtp + 19))
rtp_timeout		0
call_local_timeout	30
call_max_calls		1
audio_source		aufile,$dir/tone.wav
audio_player		alsa,null
audio_alert		alsa,null
module_path		/usr/lib/baresip/modules
module			g711.so
module			g722.so
module			aufile.so
module			alsa.so
module			sndfile.so
module			srtp.so
module_app		account.so
module_app		menu.so
module_app		ctrl_tcp.so
ctrl_tcp_listen		127.0.0.1:$ctl_port
snd_path		$dir
EOF
  printf '<sip:%s@%s>;auth_pass=%s;outbound="sip:192.0.2.1:5060";regint=300%s\n' \
    "$user" "$realm" "$pass" "$params" > "$dir/accounts"
  # ip netns exec and timeout exec in turn (no function or subshell in between): $! is timeout,
  # which passes SIGTERM on to baresip.
  ip netns exec bugle-pub timeout -k 5 $((BARESIP_LIFETIME_S + 15)) baresip -f "$dir" -s -t "$BARESIP_LIFETIME_S" \
    > "$T_DIR/baresip-$name.log" 2> "$dir/status.txt" < /dev/null &
  BARESIP_PID[$name]=$!
  BARESIP_CTL_PORT[$name]=$ctl_port
  cleanup_push "kill ${BARESIP_PID[$name]} 2>/dev/null || true"
  wait_for 20 baresip_cmd "$name" reginfo > /dev/null ||
    { echo "baresip $name did not open its control port"; return 1; }
}

# dp_counters_mark NAME...: remembers those counters' values now, for the two checks below.
declare -A DP_COUNTER_MARK=()
dp_counters_mark() { local n; for n in "$@"; do DP_COUNTER_MARK[$n]=$(dp_counter "$n"); done; }
# dp_counter_grew NAME BY: the counter grew by more than BY since it was marked.
dp_counter_grew() { test "$(dp_counter "$1")" -gt $((${DP_COUNTER_MARK[$1]:?not marked} + $2)); }
# dp_counter_unchanged NAME: the counter has not moved since it was marked.
dp_counter_unchanged() { test "$(dp_counter "$1")" = "${DP_COUNTER_MARK[$1]:?not marked}"; }

# baresip_devices: devices carol (secret-c) and dave (secret-d) in the account, and 2002 rings
# dave's device.
baresip_devices() {
  new_device "$acct" carol secret-c
  new_device "$acct" dave secret-d
  callflow cf-2002 '{"numbers": ["2002"], "flow": {"module": "device", "data": {"id": "dev-dave"}}}'
}

# baresip_pair CAROL_PARAMS DAVE_PARAMS: after baresip_devices, carol's phone (192.0.2.12,
# 440 Hz) and dave's (192.0.2.13, 1000 Hz, answering by himself) with those account parameters,
# both registered.
baresip_pair() {
  baresip_start dave dave secret-d 192.0.2.13 1000 ";answermode=auto$2"
  baresip_start carol carol secret-c 192.0.2.12 440 "$1"
  check "dave's baresip registers" wait_for 20 baresip_registered dave
  check "carol's baresip registers" wait_for 20 baresip_registered carol
}

# baresip_cmd NAME COMMAND [PARAMS]: a ctrl_tcp command (dial, hangup, quit, reginfo, ...);
# prints baresip's answer, fails when baresip refuses it or does not answer within 5 s.
baresip_cmd() {
  local name=$1; shift
  in_pub "$BARESIP_CTL" "${BARESIP_CTL_PORT[$name]}" "$@"
}

# baresip_logged NAME REGEX: the phone's log has a line matching REGEX (extended).
baresip_logged() { grep -Eq -- "$2" "$T_DIR/baresip-$1.log"; }

# baresip_registered NAME: the phone logged a 200 to its REGISTER.
baresip_registered() { baresip_logged "$1" '\{[0-9]+/UDP/v4\} +200 OK'; }

# baresip_quit NAME: ask the phone to quit (it hangs up and unregisters) and wait 15 s at most
# for it to exit; kill it if it does not.
baresip_quit() {
  local name=$1 pid=${BARESIP_PID[$1]} i
  baresip_cmd "$name" quit > /dev/null 2>&1 || true
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    echo "baresip $name did not quit within 15 s"
    return 1
  fi
  wait "$pid" 2>/dev/null || true
}

# baresip_recording NAME: the WAV of what the phone heard on its (only) call.
baresip_recording() { compgen -G "$T_DIR/baresip-$1/dump-*-dec.wav" | head -n 1; }

# baresip_heard_bytes NAME: bytes of audio recorded so far (0 before the call).
baresip_heard_bytes() {
  local f; f=$(baresip_recording "$1")
  if [ -n "$f" ]; then stat -c %s "$f"; else echo 0; fi
}

# baresip_hears NAME SECONDS RATE: the phone has recorded SECONDS of audio at RATE Hz.
baresip_hears() { [ "$(baresip_heard_bytes "$1")" -gt $(($2 * $3 * 2)) ]; }

# baresip_heard NAME HZ: the phone's recording holds at least 2 s of the tone HZ.
baresip_heard() {
  local f; f=$(baresip_recording "$1")
  [ -n "$f" ] || { echo "baresip $1 recorded nothing"; return 1; }
  "$BARESIP_AUDIO" heard "$f" "$2" 2
}

# baresip_call CALLER CALLEE NUMBER CALLER_RATE CALLEE_RATE: CALLER dials NUMBER in $realm, both
# phones report the call established, both record 3 s of what they hear (at their codec's
# rate), CALLER hangs up, both report the call terminated, and both phones quit. Each step is a
# check with a bounded wait; the recordings are left for baresip_heard.
baresip_call() {
  local caller=$1 callee=$2 number=$3 caller_rate=$4 callee_rate=$5
  check "$caller dials $number" baresip_cmd "$caller" dial "sip:$number@$realm"
  check "$callee answers: the call is established on $callee's side" \
    wait_for 20 baresip_logged "$callee" 'Call established'
  check "the call is established on $caller's side" \
    wait_for 20 baresip_logged "$caller" 'Call established'
  check "$caller hears 3 s of audio" wait_for 20 baresip_hears "$caller" 3 "$caller_rate"
  check "$callee hears 3 s of audio" wait_for 20 baresip_hears "$callee" 3 "$callee_rate"
  check "$caller hangs up" baresip_cmd "$caller" hangup
  check "the call ends on $callee's side (BYE relayed)" \
    wait_for 15 baresip_logged "$callee" 'Call with .* terminated'
  check "the call ends on $caller's side" wait_for 15 baresip_logged "$caller" 'Call with .* terminated'
  check "$caller's baresip quits" baresip_quit "$caller"
  check "$callee's baresip quits" baresip_quit "$callee"
}

# baresip_message NAME START: the first SIP message of an INVITE transaction (CSeq ... INVITE) in
# the phone's trace whose start line begins with START ("INVITE sip:", "SIP/2.0 200"), as baresip
# printed it (the trace header "UDP a -> b" opens each message).
baresip_message() {
  awk -v s="$2" '
    function done() {
      if (!found && index(first, s) == 1 && msg ~ /\nCSeq: [0-9]+ INVITE/) { printf "%s", msg; found = 1 }
    }
    /^(UDP|TCP|TLS) [^ ]+ -> [^ ]+\r?$/ { done(); msg = ""; first = ""; on = 1; next }
    on && first == "" { first = $0 }
    on { msg = msg "\n" $0 }
    END { done() }' "$T_DIR/baresip-$1.log"
}

# baresip_sdp NAME START: the m=audio line of that message.
baresip_sdp() { local m; m=$(baresip_message "$1" "$2"); grep -m1 '^m=audio' <<< "$m"; }
