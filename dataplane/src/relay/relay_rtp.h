/* The relay's per-datagram decision, independent of mbufs: find the leg by local port, check
 * the datagram, latch, rewrite in place, and say where it goes.
 * Return convention: relay_input returns RELAY_FORWARD when the datagram is to be sent as *fwd
 * says, RELAY_TRANSCODE when it is to go through relay_transcode, 0 when it was dropped (the
 * reason counted in ctr and, when a leg was found, in the leg's dropped count);
 * relay_transcode returns how many packets it wrote. Worker lcores; never allocates.
 */
#ifndef BUGLE_RELAY_RTP_H
#define BUGLE_RELAY_RTP_H

#include <stdint.h>

#include "relay-t.h"
#include "relay_xcode.h"

#define RELAY_FORWARD 1
#define RELAY_TRANSCODE 2

/* buf/len: the UDP payload that arrived at local_port from src_ip:src_port (network order ip,
 * host order port); cap: the bytes usable at buf (SRTP toward the other leg appends a tag).
 * Even local ports carry RTP, odd ones RTCP. fwd->len is the length to send. */
int relay_input(struct relay *r, struct relay_counters *ctr, uint16_t local_port, uint32_t src_ip,
		uint16_t src_port, uint8_t *buf, uint16_t len, uint16_t cap, uint64_t now_ns,
		struct relay_fwd *fwd);

/* After RELAY_TRANSCODE: the packets for the other leg (SRTP-protected when it uses SRTP),
 * each out_len[i] bytes in out[i]. */
unsigned relay_transcode(struct relay *r, struct relay_counters *ctr, const struct relay_fwd *fwd,
			 const uint8_t *rtp, uint16_t len, uint64_t now_ns,
			 uint8_t out[][RELAY_XCODE_PKT], uint16_t *out_len);

#endif
