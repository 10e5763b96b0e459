/* Index estimation and replay windows. libsrtp2 keeps a few quirks that decide which packets it
 * accepts (the ROC is not guessed below index 2^15; SRTCP windows start at index 0); they are
 * reproduced on purpose so both ends agree packet for packet. */
#include "bsrtp_replay.h"

#define SEQ_MEDIAN (1 << 15)
#define SEQ_MAX (1 << 16)
#define WINDOW 128

int32_t bsrtp_rtp_estimate(uint64_t highest, uint16_t seq, uint64_t *index)
{
	/* Until the stream passes index 2^15 the ROC is taken as 0: guessing from a small index
	 * would wrongly give ROC 0xffffffff. */
	if (highest <= SEQ_MEDIAN) {
		*index = seq;
		return (int32_t)((int64_t)seq - (int64_t)highest);
	}
	uint32_t roc = (uint32_t)(highest >> 16);
	uint16_t local = (uint16_t)highest;
	int32_t diff = (int32_t)seq - (int32_t)local;
	if (local < SEQ_MEDIAN) {
		if (diff > SEQ_MEDIAN) {
			roc--;
			diff -= SEQ_MAX;
		}
	} else if (local - SEQ_MEDIAN > seq) {
		roc++;
		diff += SEQ_MAX;
	}
	*index = ((uint64_t)roc << 16) | seq;
	return diff;
}

int bsrtp_rtp_replay_check(const struct bsrtp_stream *st, int32_t delta)
{
	if (delta > 0)
		return 0;
	if (delta <= -WINDOW)
		return BSRTP_CTR_replay_old;
	if ((st->rtp_seen >> (unsigned)-delta) & 1)
		return BSRTP_CTR_replay_dup;
	return 0;
}

void bsrtp_rtp_replay_add(struct bsrtp_stream *st, int32_t delta)
{
	if (delta > 0) {
		st->rtp_index += (uint16_t)delta;
		st->rtp_seen = delta >= WINDOW ? 0 : st->rtp_seen << delta;
		st->rtp_seen |= 1;
	} else {
		st->rtp_seen |= (unsigned __int128)1 << (unsigned)-delta;
	}
}

int bsrtp_rtcp_replay_check(const struct bsrtp_stream *st, uint32_t index)
{
	if ((uint64_t)index >= (uint64_t)st->rtcp_start + WINDOW)
		return 0;
	if (index < st->rtcp_start)
		return BSRTP_CTR_replay_old;
	if ((st->rtcp_seen >> (index - st->rtcp_start)) & 1)
		return BSRTP_CTR_replay_dup;
	return 0;
}

void bsrtp_rtcp_replay_add(struct bsrtp_stream *st, uint32_t index)
{
	if (index < st->rtcp_start)
		return;
	uint32_t delta = index - st->rtcp_start;
	if (delta < WINDOW) {
		st->rtcp_seen |= (unsigned __int128)1 << delta;
		return;
	}
	/* Slide so that the new index is the window's last bit. */
	delta -= WINDOW - 1;
	st->rtcp_seen = delta >= WINDOW ? 0 : st->rtcp_seen >> delta;
	st->rtcp_seen |= (unsigned __int128)1 << (WINDOW - 1);
	st->rtcp_start += delta;
}
