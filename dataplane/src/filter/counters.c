/* The counter table's names and help, generated from FLT_COUNTERS; see flt-counters.h. */
#include "flt-counters.h"

#include "flt-instance.h"

static const struct {
	const char *name;
	const char *help;
} counter_info[FLT_COUNTER_COUNT] = {
#define FLT_COUNTER_INFO(nm, hlp) [FLT_C_##nm] = { #nm, hlp },
	FLT_COUNTERS(FLT_COUNTER_INFO)
#undef FLT_COUNTER_INFO
};

const char *flt_counter_name(enum flt_counter c)
{
	return (unsigned)c < FLT_COUNTER_COUNT ? counter_info[c].name : NULL;
}

const char *flt_counter_help(enum flt_counter c)
{
	return (unsigned)c < FLT_COUNTER_COUNT ? counter_info[c].help : NULL;
}

void flt_counters_read(const struct flt *f, uint64_t out[FLT_COUNTER_COUNT])
{
	for (int c = 0; c < FLT_COUNTER_COUNT; c++)
		out[c] = atomic_load_explicit(&f->counters[c], memory_order_relaxed);
}
