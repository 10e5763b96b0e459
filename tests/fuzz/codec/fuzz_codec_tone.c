/* Fuzz target: call-progress tone specs as an operator or a callflow would write them.
 *
 * The first byte picks the leg rate and amplitude for the generator; the rest is the spec text
 * (cut at the first NUL). Checked besides memory safety: a rejected spec gets a message; an
 * accepted one keeps every documented bound, prints back to text that parses to the same spec,
 * and its generator fills whole blocks unless the tone plays once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_tone.h"

#define MAX_TEXT 512
#define BLOCK 960 /* 20 ms at 48 kHz */
#define BLOCKS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_bounds(const struct mc_tone_spec *s)
{
	if (s->nseg < 1 || s->nseg > MC_TONE_MAX_SEGMENTS || (s->continuous && (s->nseg != 1 ||
	    s->repeat)))
		abort();
	for (unsigned i = 0; i < s->nseg; i++) {
		const struct mc_tone_segment *g = &s->seg[i];

		if (g->nfreqs < 1 || g->nfreqs > MC_TONE_MAX_FREQS || g->on_ms > MC_TONE_MAX_MS ||
		    g->off_ms > MC_TONE_MAX_MS || (s->continuous ? g->on_ms != 0 : g->on_ms == 0))
			abort();
		for (unsigned k = 0; k < g->nfreqs; k++)
			if (g->freqs[k] < 1 || g->freqs[k] > MC_TONE_MAX_HZ)
				abort();
	}
}

/* Writes the canonical text of a spec: the off part is written wherever it carries meaning. */
static void print_spec(const struct mc_tone_spec *s, char *out, size_t cap)
{
	size_t at = 0;

	for (unsigned i = 0; i < s->nseg; i++) {
		const struct mc_tone_segment *g = &s->seg[i];

		for (unsigned k = 0; k < g->nfreqs; k++)
			at += (size_t)snprintf(out + at, cap - at, "%s%u", k ? "+" : "", g->freqs[k]);
		if (!s->continuous)
			at += (size_t)snprintf(out + at, cap - at, "/%u", (unsigned)g->on_ms);
		if (i + 1 < s->nseg || s->repeat)
			at += (size_t)snprintf(out + at, cap - at, "/%u", (unsigned)g->off_ms);
		if (i + 1 < s->nseg)
			at += (size_t)snprintf(out + at, cap - at, ",");
	}
}

static bool same_spec(const struct mc_tone_spec *a, const struct mc_tone_spec *b)
{
	if (a->nseg != b->nseg || a->repeat != b->repeat || a->continuous != b->continuous)
		return false;
	for (unsigned i = 0; i < a->nseg; i++) {
		const struct mc_tone_segment *x = &a->seg[i], *y = &b->seg[i];

		if (x->nfreqs != y->nfreqs || x->on_ms != y->on_ms || x->off_ms != y->off_ms ||
		    memcmp(x->freqs, y->freqs, x->nfreqs * sizeof(x->freqs[0])))
			return false;
	}
	return true;
}

static void generate(const struct mc_tone_spec *spec, uint8_t sel)
{
	static const uint32_t rates[] = {8000, 16000, 48000, 44100};
	static int16_t pcm[BLOCK];
	struct mc_tone_gen g;
	uint32_t rate = rates[sel & 3];
	int16_t amp = (int16_t)(((sel >> 2) + 1) * 500);
	bool too_high = false;
	int rc;

	for (unsigned i = 0; i < spec->nseg; i++)
		for (unsigned k = 0; k < spec->seg[i].nfreqs; k++)
			too_high |= 2u * spec->seg[i].freqs[k] >= rate;
	rc = mc_tone_gen_init(&g, spec, rate, amp);
	if (rc != (too_high ? -EINVAL : 0))
		abort();
	if (rc)
		return;
	for (int b = 0; b < BLOCKS; b++) {
		size_t n = mc_tone_gen_read(&g, pcm, BLOCK);

		/* Only a tone that plays once may run dry. */
		if (n > BLOCK || (n < BLOCK && (spec->repeat || spec->continuous)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[MAX_TEXT + 1], again[MAX_TEXT * 2], err[128];
	struct mc_tone_spec spec, back;
	uint8_t sel;
	size_t len;

	if (size < 1)
		return 0;
	sel = data[0];
	len = size - 1 > MAX_TEXT ? MAX_TEXT : size - 1;
	memcpy(text, data + 1, len);
	text[len] = '\0';
	err[0] = '\0';
	if (mc_tone_parse(text, &spec, err, sizeof(err)) != 0) {
		if (!err[0])
			abort();
		return 0;
	}
	check_bounds(&spec);
	print_spec(&spec, again, sizeof(again));
	if (mc_tone_parse(again, &back, NULL, 0) != 0 || !same_spec(&spec, &back))
		abort();
	generate(&spec, sel);
	return 0;
}
