/* Codec lists of a leg: validation of what the control plane sends, and the payload-type
 * mapping between two legs. Return convention: a bugle_dp_Status (0 = OK) with a reason in err;
 * the map builder returns how many audio codecs (not telephone-event) the legs share.
 */
#ifndef BUGLE_RELAY_CODECS_H
#define BUGLE_RELAY_CODECS_H

#include <stddef.h>

#include "dataplane.pb.h"
#include "relay-t.h"

/* Fills out[] (at most RELAY_MAX_CODECS) from the spec; a codec left unspecified with a static
 * payload type (0, 8, 9, 18) is inferred. INVALID_ARGUMENT for an impossible codec. */
int relay_codecs_parse(const bugle_dp_CodecSpec *in, size_t n, struct relay_codec *out,
		       uint8_t *n_out, char *err, size_t err_cap);

/* pt_out[from.pt] = to.pt for every codec of from that to also has (same codec and clock rate);
 * RELAY_PT_NONE for the rest. */
unsigned relay_codecs_map(const struct relay_codec *from, uint8_t n_from,
			  const struct relay_codec *to, uint8_t n_to, uint8_t pt_out[128]);

/* Name as in an SDP rtpmap ("PCMU", "telephone-event") or "?" */
const char *relay_codec_name(unsigned codec);

#endif
