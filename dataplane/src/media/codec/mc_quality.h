/* Per-leg quality maths, independent of codecs so the relay uses it too. Update calls return 1
 * when the packet counts, 0 when validation or duplicate detection sets it aside; value getters
 * return the value. */
#ifndef MC_QUALITY_H
#define MC_QUALITY_H

#include "mc_quality-t.h"

/* Starts tracking a source whose first packet carries seq (RFC 3550 A.1 probation of 2). */
void mc_seq_init(struct mc_seq_state *s, uint16_t seq);
/* Accounts one received packet (the one passed to init included). */
int mc_seq_update(struct mc_seq_state *s, uint16_t seq);
uint32_t mc_seq_extended_max(const struct mc_seq_state *s);
uint32_t mc_seq_expected(const struct mc_seq_state *s);
/* Cumulative loss clamped to the 24-bit signed range of an RTCP report block. */
int32_t mc_seq_cumulative_lost(const struct mc_seq_state *s);
/* Loss fraction (x/256) since the previous call, as in an RTCP report block; moves the interval. */
uint8_t mc_seq_fraction_lost(struct mc_seq_state *s);

void mc_jitter_init(struct mc_jitter_state *j);
/* arrival is the receive time converted to the stream's RTP clock units. */
void mc_jitter_update(struct mc_jitter_state *j, uint32_t arrival, uint32_t rtp_ts);
/* Jitter in RTP clock units, as an RTCP report carries it. */
uint32_t mc_jitter_value(const struct mc_jitter_state *j);
/* Converts a nanosecond clock reading to RTP clock units (wrapping like an RTP timestamp). */
uint32_t mc_jitter_ns_to_ticks(uint64_t ns, uint32_t clock_rate);

/* Transmission rating factor R of the simplified E-model. */
double mc_emodel_r(const struct mc_emodel_input *in);
/* MOS-CQE from R (G.107 Annex B). */
double mc_emodel_mos(double r);

#endif
