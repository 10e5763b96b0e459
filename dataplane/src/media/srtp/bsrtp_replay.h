/* Packet index estimation and replay windows, with libsrtp2's exact semantics (its rdbx for
 * SRTP, its rdb for SRTCP; both windows 128 packets). Checks return 0 or a counter id.
 */
#ifndef BUGLE_BSRTP_REPLAY_H
#define BUGLE_BSRTP_REPLAY_H

#include <stdint.h>

#include "bsrtp-t.h"

/* RFC 3711 §3.3.1: the 48-bit index of a received SEQ given the stream's highest index; returns
 * the distance from that index (positive: newer). */
int32_t bsrtp_rtp_estimate(uint64_t highest, uint16_t seq, uint64_t *index);
/* 0 if the index at distance delta from the highest is new, else BSRTP_CTR_replay_old/_dup. */
int bsrtp_rtp_replay_check(const struct bsrtp_stream *st, int32_t delta);
void bsrtp_rtp_replay_add(struct bsrtp_stream *st, int32_t delta);

int bsrtp_rtcp_replay_check(const struct bsrtp_stream *st, uint32_t index);
void bsrtp_rtcp_replay_add(struct bsrtp_stream *st, uint32_t index);

#endif
