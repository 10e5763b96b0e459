/* Back-off and the failure window: pure arithmetic, so the schedule can be tested exactly. */
#include "calls-wh-policy.h"

uint64_t calls_wh_backoff_ms(unsigned retry, uint64_t base_ms, uint64_t cap_ms)
{
	if (retry == 0)
		return 0;
	uint64_t d = base_ms;
	for (unsigned i = 1; i < retry && d < cap_ms; i++)
		d *= 2;
	return d < cap_ms ? d : cap_ms;
}

bool calls_wh_window_failure(struct calls_wh_window *w, uint64_t now_ms, unsigned max,
			     uint64_t window_ms)
{
	w->at_ms[w->next] = now_ms;
	w->next = (w->next + 1) % CALLS_WH_WINDOW_SLOTS;
	if (w->count < CALLS_WH_WINDOW_SLOTS)
		w->count++;
	if (max == 0 || max > CALLS_WH_WINDOW_SLOTS || w->count < max)
		return false;
	/* The max-th most recent failure. */
	unsigned idx = (w->next + CALLS_WH_WINDOW_SLOTS - max) % CALLS_WH_WINDOW_SLOTS;
	return now_ms - w->at_ms[idx] <= window_ms;
}
