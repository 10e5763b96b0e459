/* What SRTP and SRTCP share around their chunk functions: a burst of any size cut into chunks of
 * BSRTP_BURST_MAX, and a one-packet call in a caller's buffer run as a chunk of one. Inline, so
 * the chunk function is called directly on the packet path.
 * Return convention: bsrtp_burst_chunks returns how many packets succeeded; bsrtp_one_packet
 * returns 0 or the packet's negative errno.
 */
#ifndef BUGLE_BSRTP_CHUNKS_H
#define BUGLE_BSRTP_CHUNKS_H

#include "bsrtp_counters.h"
#include "bsrtp_engine-t.h"

#include <stddef.h>
#include <stdint.h>

/* Runs at most BSRTP_BURST_MAX packets through the engine's slots; returns how many passed. */
typedef unsigned (*bsrtp_chunk_fn)(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n);

static inline unsigned bsrtp_burst_chunks(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts,
					  unsigned n, bsrtp_chunk_fn chunk)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i += BSRTP_BURST_MAX) {
		unsigned k = n - i < BSRTP_BURST_MAX ? n - i : BSRTP_BURST_MAX;

		ok += chunk(eng, pkts + i, k);
	}
	return ok;
}

/* cap is how far the packet may grow (protect); unprotect passes *len. */
static inline int bsrtp_one_packet(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf,
				   size_t *len, size_t cap, bsrtp_chunk_fn chunk)
{
	struct bsrtp_pkt p = { .ctx = ctx, .data = buf, .len = (uint32_t)*len,
			       .cap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap };

	if (*len > UINT16_MAX)
		return bsrtp_refuse(ctx, BSRTP_CTR_bad_header);
	chunk(eng, &p, 1);
	*len = p.len;
	return p.rc;
}

#endif
