/* "Equal jitter" back-off: half the delay is fixed (the growth is guaranteed), half random. */
#include "dpclient_backoff.h"

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

void dpc_backoff_init(struct dpc_backoff *b, uint32_t min_ms, uint32_t max_ms, uint64_t seed)
{
	if (min_ms == 0)
		min_ms = 1;
	if (max_ms < min_ms)
		max_ms = min_ms;
	b->min_ms = min_ms;
	b->max_ms = max_ms;
	b->base_ms = min_ms;
	b->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
}

uint32_t dpc_backoff_next(struct dpc_backoff *b)
{
	uint32_t base = b->base_ms;
	uint32_t half = base / 2;
	uint32_t delay = half + (uint32_t)(xorshift64(&b->rng) % (uint64_t)(base - half + 1));

	b->base_ms = base > b->max_ms / 2 ? b->max_ms : base * 2;
	return delay;
}

void dpc_backoff_reset(struct dpc_backoff *b)
{
	b->base_ms = b->min_ms;
}
