/* Packet-loss concealment for codecs that have none of their own (G.711, G.722): spandsp's
 * pitch-repeating PLC.
 *
 * spandsp 0.0.6 rotates its history with an overlapping memcpy when a loss starts while its
 * write pointer is in the first half of the buffer (any frame shorter than PLC_HISTORY_LEN). So
 * good frames go to our own linear copy of the history, which is handed to spandsp in one piece
 * (leaving its pointer at 0) right before the first fill-in of a loss. The first good frame after
 * a loss still goes through plc_rx, which blends it with the concealment. */
#include <errno.h>
#include <spandsp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mc_codec_impl.h"

struct mc_plc {
	plc_state_t *plc;
	bool concealing;                 /* the last call was a fill-in */
	int16_t history[PLC_HISTORY_LEN]; /* the latest good samples, oldest first */
};

int mc_codec_plc_create(struct mc_codec *c)
{
	struct mc_plc *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->plc = plc_init(NULL);
	if (!p->plc) {
		free(p);
		return -ENOMEM;
	}
	c->plc = p;
	return 0;
}

void mc_codec_plc_record(struct mc_codec *c, int16_t *pcm, size_t n)
{
	struct mc_plc *p = c->plc;
	if (p->concealing) {
		plc_rx(p->plc, pcm, (int)n); /* smooths pcm into the concealed audio */
		p->concealing = false;
	}
	if (n >= PLC_HISTORY_LEN) {
		memcpy(p->history, pcm + n - PLC_HISTORY_LEN, sizeof(p->history));
	} else {
		memmove(p->history, p->history + n, (PLC_HISTORY_LEN - n) * sizeof(*pcm));
		memcpy(p->history + PLC_HISTORY_LEN - n, pcm, n * sizeof(*pcm));
	}
}

int mc_codec_plc_fill(struct mc_codec *c, int16_t *pcm, size_t n)
{
	struct mc_plc *p = c->plc;
	if (!p->concealing) {
		int16_t copy[PLC_HISTORY_LEN];
		memcpy(copy, p->history, sizeof(copy));
		plc_rx(p->plc, copy, PLC_HISTORY_LEN);
		p->concealing = true;
	}
	return plc_fillin(p->plc, pcm, (int)n);
}

void mc_codec_plc_destroy(struct mc_codec *c)
{
	struct mc_plc *p = c->plc;
	if (p) {
		plc_free(p->plc);
		free(p);
	}
	c->plc = NULL;
}
