/* Transcoding between two legs that share no audio codec, on top of mc_transcoder (one per
 * direction). Return convention: set-up returns a bugle_dp_Status (0 = OK) with a reason in
 * err; the packet call returns how many RTP packets it wrote (0 when none is due yet).
 */
#ifndef BUGLE_RELAY_XCODE_H
#define BUGLE_RELAY_XCODE_H

#include <stddef.h>
#include <stdint.h>

#include "relay-t.h"

#define RELAY_XCODE_MAX_OUT 4		/* output packets per input packet (ptime adaptation) */
#define RELAY_XCODE_PKT 1500		/* room for one output RTP packet plus an SRTP trailer */

/* Main lcore, once both legs are known and share no audio codec: a transcoder per direction
 * between each leg's first audio codec. A session that transcodes already keeps its
 * transcoders when the codecs are the same, and refuses a change (FAILED_PRECONDITION).
 * a, b: the legs' codec lists as they will be; now_ns: the relay clock (in-band DTMF
 * detectors replaced by a change are freed a grace period later). */
int relay_xcode_setup(struct relay_session *s, const struct relay_codec *a, uint8_t na,
		      const struct relay_codec *b, uint8_t nb, uint64_t now_ns, char *err,
		      size_t err_cap);

/* Main lcore, after the grace period (no worker can still use them). */
void relay_xcode_free(struct relay_session *s);

/* True when l's packets of payload type pt go through its transcoder. Worker lcores. */
static inline struct mc_transcoder *relay_xcode_for(const struct relay_leg *l, uint8_t pt)
{
	/* acquire: pairs with relay_xcode_setup's release store of the pointer. */
	struct mc_transcoder *t = __atomic_load_n(&l->xcode, __ATOMIC_ACQUIRE);
	return t && pt == l->xcode_in_pt ? t : NULL;
}

/* Worker of leg l: decodes one RTP packet (header already checked, hdr_len bytes), re-encodes,
 * and writes complete RTP packets for the other leg into out[], continuing l's output stream
 * (SSRC, sequence numbers). */
unsigned relay_xcode_input(struct relay_leg *l, struct mc_transcoder *t, const uint8_t *rtp,
			   uint16_t len, uint16_t hdr_len, uint64_t now_ns,
			   uint8_t out[][RELAY_XCODE_PKT], uint16_t *out_len);

#endif
