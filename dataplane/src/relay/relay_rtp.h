/* The relay's per-datagram decision, independent of mbufs: find the leg by local port, check
 * the datagram, latch, rewrite in place, and say where it goes.
 * Return convention: 1 when the datagram is to be sent as *fwd says, 0 when it was dropped
 * (the reason counted in ctr and, when a leg was found, in the leg's dropped count).
 * Worker lcores; never allocates.
 */
#ifndef BUGLE_RELAY_RTP_H
#define BUGLE_RELAY_RTP_H

#include <stdint.h>

#include "relay-t.h"

/* buf/len: the UDP payload that arrived at local_port from src_ip:src_port (network order ip,
 * host order port). Even local ports carry RTP, odd ones RTCP. */
int relay_input(struct relay *r, struct relay_counters *ctr, uint16_t local_port, uint32_t src_ip,
		uint16_t src_port, uint8_t *buf, uint16_t len, uint64_t now_ns,
		struct relay_fwd *fwd);

#endif
