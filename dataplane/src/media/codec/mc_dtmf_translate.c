/* DTMF translation between RFC 4733 events and in-band tones. */
#include <errno.h>
#include <stdlib.h>

#include "mc_dtmf_inband.h"
#include "mc_dtmf_translate.h"
#include "mc_rfc4733.h"

static uint32_t clamp_ms(uint32_t ms)
{
	return ms < MC_DTMF_MIN_MS ? MC_DTMF_MIN_MS : (ms > MC_DTMF_MAX_MS ? MC_DTMF_MAX_MS : ms);
}

struct mc_dtmf_to_inband {
	struct mc_rfc4733_detector det;
	struct mc_dtmf_generator *gen; /* RO pointer after create */
};

struct mc_dtmf_to_inband *mc_dtmf_to_inband_create(uint32_t event_clock, uint32_t out_rate)
{
	struct mc_dtmf_to_inband *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->gen = mc_dtmf_generator_create(out_rate);
	if (!t->gen || mc_rfc4733_detector_init(&t->det, event_clock) < 0) {
		mc_dtmf_to_inband_destroy(t);
		return NULL;
	}
	return t;
}

void mc_dtmf_to_inband_destroy(struct mc_dtmf_to_inband *t)
{
	if (!t)
		return;
	mc_dtmf_generator_destroy(t->gen);
	free(t);
}

int mc_dtmf_to_inband_event(struct mc_dtmf_to_inband *t, const uint8_t *payload, size_t len,
                            uint32_t ts, struct mc_dtmf_report rep[2])
{
	int n = mc_rfc4733_detector_push(&t->det, payload, len, ts, rep);
	for (int i = 0; i < n; i++) {
		char digits[2] = {rep[i].digit, '\0'};
		if (rep[i].digit == '!') /* flash has no tone */
			continue;
		int r = mc_dtmf_generator_queue(t->gen, digits, clamp_ms(rep[i].duration_ms),
		                                MC_DTMF_GAP_MS);
		if (r < 0)
			return r;
	}
	return n;
}

int mc_dtmf_to_inband_fill(struct mc_dtmf_to_inband *t, int16_t *pcm, size_t n)
{
	if (!mc_dtmf_generator_busy(t->gen))
		return 0;
	return mc_dtmf_generator_read(t->gen, pcm, n);
}

struct mc_dtmf_to_rfc4733 {
	struct mc_dtmf_detector *det; /* RO pointer after create */
	uint32_t event_clock;
	uint32_t ptime_ms;
	uint8_t volume;
	uint64_t dropped; /* digits whose train did not fit the caller's array */
};

struct mc_dtmf_to_rfc4733 *mc_dtmf_to_rfc4733_create(uint32_t in_rate, uint32_t event_clock,
                                                     uint32_t ptime_ms, uint8_t volume)
{
	if (event_clock == 0 || ptime_ms < 10 || volume > 63)
		return NULL;
	struct mc_dtmf_to_rfc4733 *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->det = mc_dtmf_detector_create(in_rate);
	t->event_clock = event_clock;
	t->ptime_ms = ptime_ms;
	t->volume = volume;
	if (!t->det) {
		free(t);
		return NULL;
	}
	return t;
}

void mc_dtmf_to_rfc4733_destroy(struct mc_dtmf_to_rfc4733 *t)
{
	if (!t)
		return;
	mc_dtmf_detector_destroy(t->det);
	free(t);
}

int mc_dtmf_to_rfc4733_push(struct mc_dtmf_to_rfc4733 *t, const int16_t *pcm, size_t n,
                            uint32_t ts_end, struct mc_rfc4733_packet *out, unsigned cap)
{
	struct mc_dtmf_report rep[MC_DTMF_INBAND_QUEUE];
	int nd = mc_dtmf_detector_push(t->det, pcm, n, rep, MC_DTMF_INBAND_QUEUE);
	if (nd < 0)
		return nd;
	unsigned made = 0;
	for (int i = 0; i < nd; i++) {
		uint32_t ms = clamp_ms(rep[i].duration_ms);
		/* The digit ended at about ts_end; its event timestamp is when it began. */
		uint32_t start = ts_end - (uint32_t)((uint64_t)ms * t->event_clock / 1000);
		int r = mc_rfc4733_train(rep[i].digit, ms, t->volume, t->event_clock, t->ptime_ms, start,
		                         out + made, cap - made);
		if (r < 0) {
			t->dropped++;
			continue;
		}
		made += (unsigned)r;
	}
	return (int)made;
}
