/* Tone specs (parsing, presets) and a phase-continuous multi-frequency cadence generator. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_tone.h"

static const struct {
	const char *name;
	const char *spec;
} presets[] = {
	{"ringback", "440+480/2000/4000"},
	{"ringback-uk", "400+450/400/200,400+450/400/2000"},
	{"ringback-eu", "425/1000/4000"},
	{"busy", "480+620/500/500"},
	{"busy-uk", "400/375/375"},
	{"busy-eu", "425/500/500"},
	{"beep", "1000/250"},
};

static int fail(char *err, size_t errlen, const char *what, const char *at)
{
	if (err && errlen)
		snprintf(err, errlen, "%s at \"%.16s\"", what, at);
	return -EINVAL;
}

/* Reads a decimal number in [lo, hi]; returns the end pointer or NULL. */
static const char *read_num(const char *p, unsigned long lo, unsigned long hi, uint32_t *out)
{
	if (*p < '0' || *p > '9')
		return NULL;
	char *end;
	unsigned long v = strtoul(p, &end, 10);
	if (end - p > 6 || v < lo || v > hi)
		return NULL;
	*out = (uint32_t)v;
	return end;
}

int mc_tone_parse(const char *text, struct mc_tone_spec *spec, char *err, size_t errlen)
{
	if (!text || !spec)
		return -EINVAL;
	memset(spec, 0, sizeof(*spec));
	const char *p = text;
	bool last_has_off = false, has_on = false;
	if (!*p)
		return fail(err, errlen, "empty tone spec", p);
	for (;;) {
		if (spec->nseg == MC_TONE_MAX_SEGMENTS)
			return fail(err, errlen, "too many segments", p);
		struct mc_tone_segment *s = &spec->seg[spec->nseg++];
		for (;;) {
			uint32_t f;
			const char *q = read_num(p, 1, MC_TONE_MAX_HZ, &f);
			if (!q)
				return fail(err, errlen, "expected a frequency in Hz (1-20000)", p);
			if (s->nfreqs == MC_TONE_MAX_FREQS)
				return fail(err, errlen, "too many frequencies", p);
			s->freqs[s->nfreqs++] = (uint16_t)f;
			p = q;
			if (*p != '+')
				break;
			p++;
		}
		has_on = *p == '/';
		last_has_off = false;
		if (has_on) {
			const char *q = read_num(p + 1, 1, MC_TONE_MAX_MS, &s->on_ms);
			if (!q)
				return fail(err, errlen, "expected an on time in ms (1-60000)", p + 1);
			p = q;
			if (*p == '/') {
				q = read_num(p + 1, 0, MC_TONE_MAX_MS, &s->off_ms);
				if (!q)
					return fail(err, errlen, "expected an off time in ms (0-60000)", p + 1);
				p = q;
				last_has_off = true;
			}
		} else if (*p == ',' || spec->nseg > 1) {
			return fail(err, errlen, "a segment of a cadence needs an on time", p);
		}
		if (*p == '\0')
			break;
		if (*p != ',')
			return fail(err, errlen, "unexpected character", p);
		if (!last_has_off)
			return fail(err, errlen, "only the last segment may omit its off time", p);
		p++;
	}
	spec->continuous = !has_on;
	spec->repeat = has_on && last_has_off;
	return 0;
}

int mc_tone_preset(const char *name, struct mc_tone_spec *spec)
{
	for (size_t i = 0; name && i < sizeof(presets) / sizeof(presets[0]); i++)
		if (strcmp(presets[i].name, name) == 0)
			return mc_tone_parse(presets[i].spec, spec, NULL, 0);
	return -ENOENT;
}

int mc_tone_gen_init(struct mc_tone_gen *g, const struct mc_tone_spec *spec, uint32_t rate,
                     int16_t amplitude)
{
	if (!g || !spec || spec->nseg == 0 || rate == 0 || amplitude <= 0)
		return -EINVAL;
	/* A cadence whose segments all round to zero samples would never advance the reader. */
	uint64_t cycle = 0;
	for (unsigned i = 0; i < spec->nseg; i++)
		cycle += ((uint64_t)spec->seg[i].on_ms + spec->seg[i].off_ms) * rate / 1000;
	if (cycle == 0 && !spec->continuous)
		return -EINVAL;
	for (unsigned i = 0; i < spec->nseg; i++)
		for (unsigned k = 0; k < spec->seg[i].nfreqs; k++)
			if (2u * spec->seg[i].freqs[k] >= rate)
				return -EINVAL;
	memset(g, 0, sizeof(*g));
	g->spec = *spec;
	g->rate = rate;
	g->amplitude = amplitude;
	return 0;
}

size_t mc_tone_gen_read(struct mc_tone_gen *g, int16_t *pcm, size_t n)
{
	size_t i = 0;
	while (i < n && !g->done) {
		const struct mc_tone_segment *s = &g->spec.seg[g->seg];
		uint64_t on = g->spec.continuous ? UINT64_MAX : (uint64_t)s->on_ms * g->rate / 1000;
		uint64_t len = on + (uint64_t)s->off_ms * g->rate / 1000;
		if (g->pos < on) {
			double amp = g->amplitude;
			double v = 0;
			for (unsigned k = 0; k < s->nfreqs; k++) {
				v += sin(g->phase[k]);
				g->phase[k] += 2.0 * M_PI * s->freqs[k] / g->rate;
				if (g->phase[k] >= 2.0 * M_PI)
					g->phase[k] -= 2.0 * M_PI;
			}
			long x = lrint(v * amp);
			pcm[i++] = (int16_t)(x > INT16_MAX ? INT16_MAX : (x < INT16_MIN ? INT16_MIN : x));
			g->pos++;
		} else if (g->pos < len) {
			pcm[i++] = 0;
			g->pos++;
		}
		if (g->pos >= len) {
			/* Each burst starts at phase zero so every "on" sounds the same. */
			memset(g->phase, 0, sizeof(g->phase));
			g->pos = 0;
			if (++g->seg == g->spec.nseg) {
				g->seg = 0;
				g->done = !g->spec.repeat;
			}
		}
	}
	return i;
}
