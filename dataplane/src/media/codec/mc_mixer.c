/* Conference mixing with per-leg exclusion (mix-minus) at a common 16 kHz rate. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mc_decode_path.h"
#include "mc_mixer.h"
#include "mc_sample_ring.h"

/* One conference leg. Created by join on the control side; used by the mixing worker. */
struct mixer_leg {
	struct mc_decode_path *dec;
	struct mc_encode_path *enc;
	struct mc_sample_ring in;   /* 16 kHz audio waiting to be mixed */
	int16_t own[MC_MIXER_TICK_SAMPLES]; /* this tick's contribution */
	unsigned nout;
	struct mc_encoded_frame out[MC_MIXER_OUT_QUEUE];
};

struct mc_mixer {
	unsigned max_legs;                /* RO */
	struct mixer_leg **legs;          /* NULL slots are free */
	struct mc_mixer_stats stats;
	int32_t sum[MC_MIXER_TICK_SAMPLES];
	int16_t mix[MC_MIXER_TICK_SAMPLES];
	int16_t pcm[MC_DECODE_PATH_MAX_OUT];
};

struct mc_mixer *mc_mixer_create(unsigned max_legs)
{
	if (max_legs == 0 || max_legs > MC_MIXER_MAX_LEGS)
		return NULL;
	struct mc_mixer *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->legs = calloc(max_legs, sizeof(*m->legs));
	if (!m->legs) {
		free(m);
		return NULL;
	}
	m->max_legs = max_legs;
	return m;
}

static void leg_free(struct mixer_leg *l)
{
	if (!l)
		return;
	mc_decode_path_destroy(l->dec);
	mc_encode_path_destroy(l->enc);
	free(l);
}

void mc_mixer_destroy(struct mc_mixer *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->max_legs; i++)
		leg_free(m->legs[i]);
	free(m->legs);
	free(m);
}

int mc_mixer_join(struct mc_mixer *m, const struct mc_mixer_leg_cfg *cfg)
{
	if (!m || !cfg || !cfg->codec)
		return -EINVAL;
	unsigned slot = 0;
	while (slot < m->max_legs && m->legs[slot])
		slot++;
	if (slot == m->max_legs)
		return -ENOSPC;
	struct mixer_leg *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	struct mc_decode_path_cfg dc = {
		.codec = cfg->codec, .params = cfg->params, .out_rate = MC_MIXER_RATE,
		.resample_quality = -1,
	};
	struct mc_encode_path_cfg ec = {
		.codec = cfg->codec, .params = cfg->params, .in_rate = MC_MIXER_RATE,
		.ptime_ms = cfg->ptime_ms, .ts_base = cfg->ts_base, .resample_quality = -1,
	};
	l->dec = mc_decode_path_create(&dc);
	l->enc = mc_encode_path_create(&ec);
	if (!l->dec || !l->enc) {
		leg_free(l);
		return -EINVAL;
	}
	m->legs[slot] = l;
	return (int)slot;
}

static struct mixer_leg *leg_get(struct mc_mixer *m, int leg)
{
	if (!m || leg < 0 || (unsigned)leg >= m->max_legs)
		return NULL;
	return m->legs[leg];
}

int mc_mixer_leave(struct mc_mixer *m, int leg)
{
	struct mixer_leg *l = leg_get(m, leg);
	if (!l)
		return -ENOENT;
	leg_free(l);
	m->legs[leg] = NULL;
	return 0;
}

int mc_mixer_put_pcm(struct mc_mixer *m, int leg, const int16_t *pcm, size_t n)
{
	struct mixer_leg *l = leg_get(m, leg);
	if (!l || (!pcm && n))
		return -EINVAL;
	m->stats.input_drops += n - mc_sample_ring_push(&l->in, pcm, n);
	return 0;
}

int mc_mixer_put(struct mc_mixer *m, int leg, const uint8_t *payload, size_t len, uint16_t seq,
                 uint32_t ts)
{
	struct mixer_leg *l = leg_get(m, leg);
	if (!l)
		return -ENOENT;
	uint32_t skip;
	int n = mc_decode_path_push(l->dec, payload, len, seq, ts, m->pcm,
	                            sizeof(m->pcm) / sizeof(m->pcm[0]), &skip);
	if (n < 0)
		return n;
	/* A resync gap is not replayed: the mixer's own clock already moved on. */
	return mc_mixer_put_pcm(m, leg, m->pcm, (size_t)n);
}

static int16_t saturate(int32_t v)
{
	return (int16_t)(v > INT16_MAX ? INT16_MAX : (v < INT16_MIN ? INT16_MIN : v));
}

int mc_mixer_tick(struct mc_mixer *m)
{
	int mixed = 0;
	memset(m->sum, 0, sizeof(m->sum));
	for (unsigned i = 0; i < m->max_legs; i++) {
		struct mixer_leg *l = m->legs[i];
		if (!l)
			continue;
		if (!mc_sample_ring_pop(&l->in, l->own, MC_MIXER_TICK_SAMPLES)) {
			memset(l->own, 0, sizeof(l->own));
			m->stats.underruns++;
		}
		for (unsigned k = 0; k < MC_MIXER_TICK_SAMPLES; k++)
			m->sum[k] += l->own[k];
	}
	for (unsigned i = 0; i < m->max_legs; i++) {
		struct mixer_leg *l = m->legs[i];
		if (!l)
			continue;
		/* Mix-minus: everyone but this leg, saturated once at the end. */
		for (unsigned k = 0; k < MC_MIXER_TICK_SAMPLES; k++)
			m->mix[k] = saturate(m->sum[k] - l->own[k]);
		unsigned room = MC_MIXER_OUT_QUEUE - l->nout;
		int r = mc_encode_path_push(l->enc, m->mix, MC_MIXER_TICK_SAMPLES, l->out + l->nout, room);
		if (r > 0)
			l->nout += (unsigned)r;
		if (room == 0)
			m->stats.output_drops++;
		mixed++;
	}
	m->stats.ticks++;
	return mixed;
}

int mc_mixer_take(struct mc_mixer *m, int leg, struct mc_encoded_frame *out, unsigned cap)
{
	struct mixer_leg *l = leg_get(m, leg);
	if (!l || (!out && cap))
		return -EINVAL;
	unsigned n = l->nout < cap ? l->nout : cap;
	memcpy(out, l->out, n * sizeof(*out));
	memmove(l->out, l->out + n, (l->nout - n) * sizeof(*out));
	l->nout -= n;
	return (int)n;
}

const struct mc_mixer_stats *mc_mixer_stats(const struct mc_mixer *m)
{
	return &m->stats;
}
