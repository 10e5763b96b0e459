/* In-band DTMF detection and generation around spandsp's 8 kHz dtmf_rx / dtmf_tx. */
#include <errno.h>
#include <spandsp.h>
#include <stdlib.h>
#include <string.h>

#include "mc_dtmf_inband.h"
#include "mc_resample.h"
#include "mc_rfc4733.h"

#define DTMF_RATE 8000
#define DTMF_CHUNK 80 /* 10 ms: the time resolution of reported durations */

struct mc_dtmf_detector {
	dtmf_rx_state_t *rx;        /* RO after create */
	struct mc_resampler *rs;    /* leg rate -> 8 kHz */
	size_t in_chunk;            /* RO: 10 ms at the leg rate */
	uint64_t pos;               /* 8 kHz samples fed so far */
	char digit;                 /* digit sounding now, or 0 */
	uint64_t digit_start;
	unsigned nrep;              /* reports queued by the callback during one push */
	struct mc_dtmf_report rep[MC_DTMF_INBAND_QUEUE];
	uint64_t dropped;
	int16_t buf[DTMF_CHUNK + 8];
};

/* Called from inside dtmf_rx: a non-zero code starts a digit, zero ends it. */
static void on_tone(void *user, int code, int level, int delay)
{
	struct mc_dtmf_detector *d = user;
	(void)level;
	(void)delay;
	if (code) {
		d->digit = (char)code;
		d->digit_start = d->pos;
		return;
	}
	if (!d->digit)
		return;
	if (d->nrep < MC_DTMF_INBAND_QUEUE) {
		d->rep[d->nrep++] = (struct mc_dtmf_report){
			.digit = d->digit,
			.duration_ms = (uint32_t)((d->pos - d->digit_start) * 1000 / DTMF_RATE),
			.start_ts = (uint32_t)d->digit_start,
		};
	} else {
		d->dropped++;
	}
	d->digit = 0;
}

struct mc_dtmf_detector *mc_dtmf_detector_create(uint32_t rate)
{
	struct mc_dtmf_detector *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->rx = dtmf_rx_init(NULL, NULL, NULL);
	d->rs = mc_resampler_create(rate, DTMF_RATE, MC_RESAMPLE_QUALITY_DEFAULT);
	d->in_chunk = rate / 100;
	if (!d->rx || !d->rs || rate < DTMF_RATE || rate > 6 * DTMF_RATE) {
		mc_dtmf_detector_destroy(d);
		return NULL;
	}
	dtmf_rx_set_realtime_callback(d->rx, on_tone, d);
	return d;
}

void mc_dtmf_detector_destroy(struct mc_dtmf_detector *d)
{
	if (!d)
		return;
	if (d->rx)
		dtmf_rx_free(d->rx);
	mc_resampler_destroy(d->rs);
	free(d);
}

int mc_dtmf_detector_push(struct mc_dtmf_detector *d, const int16_t *pcm, size_t n,
                          struct mc_dtmf_report *rep, unsigned cap)
{
	if (!d || (!pcm && n))
		return -EINVAL;
	for (size_t off = 0; off < n; off += d->in_chunk) {
		size_t len = n - off < d->in_chunk ? n - off : d->in_chunk;
		int m = mc_resampler_process(d->rs, pcm + off, len, d->buf,
		                             sizeof(d->buf) / sizeof(d->buf[0]));
		if (m < 0)
			return m;
		dtmf_rx(d->rx, d->buf, m);
		d->pos += (uint64_t)m;
	}
	unsigned out = d->nrep < cap ? d->nrep : cap;
	memcpy(rep, d->rep, out * sizeof(*rep));
	d->dropped += d->nrep - out;
	d->nrep = 0;
	return (int)out;
}

struct mc_dtmf_generator {
	dtmf_tx_state_t *tx;     /* RO after create */
	struct mc_resampler *rs; /* 8 kHz -> leg rate */
	int busy;                /* dtmf_tx still has digits or gaps to play */
	int16_t buf[DTMF_CHUNK];
	int16_t out[DTMF_CHUNK * 6 + 8];
	size_t out_len;          /* leg-rate samples in out not yet handed out */
	size_t out_pos;
};

struct mc_dtmf_generator *mc_dtmf_generator_create(uint32_t rate)
{
	if (rate % DTMF_RATE || rate / DTMF_RATE > 6)
		return NULL;
	struct mc_dtmf_generator *g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->tx = dtmf_tx_init(NULL);
	g->rs = mc_resampler_create(DTMF_RATE, rate, MC_RESAMPLE_QUALITY_DEFAULT);
	if (!g->tx || !g->rs) {
		mc_dtmf_generator_destroy(g);
		return NULL;
	}
	return g;
}

void mc_dtmf_generator_destroy(struct mc_dtmf_generator *g)
{
	if (!g)
		return;
	if (g->tx)
		dtmf_tx_free(g->tx);
	mc_resampler_destroy(g->rs);
	free(g);
}

int mc_dtmf_generator_queue(struct mc_dtmf_generator *g, const char *digits, uint32_t on_ms,
                            uint32_t off_ms)
{
	if (!g || !digits || on_ms < 20 || on_ms > 10000 || off_ms > 10000)
		return -EINVAL;
	for (const char *p = digits; *p; p++)
		if (mc_dtmf_event_from_digit(*p) < 0 || *p == '!')
			return -EINVAL;
	dtmf_tx_set_timing(g->tx, (int)on_ms, (int)off_ms);
	if (dtmf_tx_put(g->tx, digits, -1) != 0)
		return -ENOSPC;
	g->busy = 1;
	return 0;
}

int mc_dtmf_generator_busy(const struct mc_dtmf_generator *g)
{
	return g->busy || g->out_pos < g->out_len;
}

int mc_dtmf_generator_read(struct mc_dtmf_generator *g, int16_t *pcm, size_t n)
{
	size_t done = 0;
	while (done < n) {
		if (g->out_pos == g->out_len) {
			if (!g->busy)
				break;
			int m = dtmf_tx(g->tx, g->buf, DTMF_CHUNK);
			if (m < DTMF_CHUNK)
				g->busy = 0; /* dtmf_tx returns short once its queue is played out */
			if (m <= 0)
				break;
			int r = mc_resampler_process(g->rs, g->buf, (size_t)m, g->out,
			                             sizeof(g->out) / sizeof(g->out[0]));
			if (r < 0)
				return r;
			g->out_len = (size_t)r;
			g->out_pos = 0;
		}
		size_t take = g->out_len - g->out_pos;
		if (take > n - done)
			take = n - done;
		memcpy(pcm + done, g->out + g->out_pos, take * sizeof(*pcm));
		g->out_pos += take;
		done += take;
	}
	return (int)done;
}
