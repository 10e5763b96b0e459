/* Sample ring used to cut decoded audio into output packets of another duration. */
#include <string.h>

#include "mc_sample_ring.h"

void mc_sample_ring_reset(struct mc_sample_ring *r)
{
	r->head = 0;
	r->count = 0;
}

size_t mc_sample_ring_push(struct mc_sample_ring *r, const int16_t *in, size_t n)
{
	size_t room = MC_SAMPLE_RING_CAP - r->count;
	if (n > room)
		n = room;
	size_t tail = (r->head + r->count) % MC_SAMPLE_RING_CAP;
	size_t first = MC_SAMPLE_RING_CAP - tail;
	if (first > n)
		first = n;
	memcpy(r->buf + tail, in, first * sizeof(*in));
	memcpy(r->buf, in + first, (n - first) * sizeof(*in));
	r->count += (uint32_t)n;
	return n;
}

size_t mc_sample_ring_pop(struct mc_sample_ring *r, int16_t *out, size_t n)
{
	if (n > r->count)
		return 0;
	size_t first = MC_SAMPLE_RING_CAP - r->head;
	if (first > n)
		first = n;
	memcpy(out, r->buf + r->head, first * sizeof(*out));
	memcpy(out + first, r->buf, (n - first) * sizeof(*out));
	r->head = (uint32_t)((r->head + n) % MC_SAMPLE_RING_CAP);
	r->count -= (uint32_t)n;
	return n;
}
