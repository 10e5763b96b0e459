#!/usr/bin/env bash
# A PCMU-only softphone calls a G.722-only softphone through the whole stack: carol's baresip
# offers PCMU alone; dave's device document lists media.audio.codecs ["G722"] and his baresip
# knows only G.722, so his INVITE offers G.722 and carol is answered in PCMU. The data plane
# transcodes both ways: each phone's recording holds the other's tone (carol plays 440 Hz at
# 8 kHz, dave 1000 Hz at 16 kHz), and the transcode counters grew.
# It guards against taking telephone-event, which every baresip offers, for a codec both sides
# share: carol would then be answered in G.722, which she never offered, and hear nothing.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/baresip_lib.sh"

baresip_devices
device_merge dev-dave '{"media": {"audio": {"codecs": ["G722"]}}}'
dp_counters_mark relay_xcode_in relay_xcode_out relay_drop_xcode
baresip_pair ";audio_codecs=PCMU/8000/1" ";audio_codecs=G722/16000/1"

baresip_call carol dave 2002 8000 16000

# only_pt NAME START PT: that message's m=audio line lists payload type PT and, beside it,
# nothing but telephone-event (RFC 4733, which baresip always offers).
only_pt() {
  local msg pts p
  msg=$(baresip_message "$1" "$2")
  pts=$(grep -m1 '^m=audio [0-9]* RTP/AVP ' <<< "$msg" | tr -d '\r' | cut -d' ' -f4-) || return 1
  [[ " $pts " == *" $3 "* ]] || return 1
  for p in $pts; do
    [ "$p" = "$3" ] || grep -q "^a=rtpmap:$p telephone-event/" <<< "$msg" || return 1
  done
}
check "carol offered PCMU alone" only_pt carol 'INVITE sip:2002@' 0
check "carol was answered in PCMU" only_pt carol 'SIP/2.0 200' 0
check "dave was offered G.722 alone" only_pt dave 'INVITE sip:' 9
check "dave answered G.722" only_pt dave 'SIP/2.0 200' 9
check "carol heard dave's 1000 Hz tone (G.722 decoded, PCMU encoded by the data plane)" \
  baresip_heard carol 1000
check "dave heard carol's 440 Hz tone (PCMU decoded, G.722 encoded by the data plane)" \
  baresip_heard dave 440
check "the data plane decoded packets for transcoding (relay_xcode_in grew)" \
  dp_counter_grew relay_xcode_in 200
check "the data plane sent transcoded packets (relay_xcode_out grew)" \
  dp_counter_grew relay_xcode_out 200
check "the transcoder refused no packet" dp_counter_unchanged relay_drop_xcode

finish
