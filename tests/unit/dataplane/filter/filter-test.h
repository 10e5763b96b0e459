/* Helpers shared by the filter's unit tests: an instance with a fixed hash seed, counter reads
 * and time in readable units.
 *
 * Return convention: the helpers return what they compute; creation failures fail the test.
 */
#ifndef BUGLE_TEST_FILTER_H
#define BUGLE_TEST_FILTER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <cmocka.h>

#include "flt-control.h"
#include "flt-counters.h"
#include "flt-policy.h"
#include "flt.h"

#define MS(x) ((uint64_t)(x) * 1000000ull)
#define SEC(x) ((uint64_t)(x) * 1000000000ull)
/* Tests start well after zero so that "now - window" arithmetic is exercised honestly. */
#define T0 SEC(1000)

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static inline struct flt *test_filter_create(const struct flt_policy *p, uint32_t sources)
{
	struct flt_config cfg;
	struct flt *f;

	flt_config_defaults(&cfg);
	cfg.hash_seed = 0x5eed;
	if (sources)
		cfg.sources = sources;
	f = flt_create(&cfg, p);
	assert_non_null(f);
	return f;
}

/* A policy with every limit off, for tests that switch on the one they exercise. */
static inline void test_policy_open(struct flt_policy *p)
{
	flt_policy_defaults(p);
	p->density_requests = 0;
	for (int c = 0; c < FLT_METHOD_COUNT; c++)
		p->method_rate[c].per_sec = 0;
	p->ua_count = 0;
}

static inline uint64_t test_counter(const struct flt *f, enum flt_counter c)
{
	uint64_t v[FLT_COUNTER_COUNT];

	flt_counters_read(f, v);
	return v[c];
}

static inline enum flt_verdict test_check(struct flt *f, uint64_t now, uint32_t ip, enum flt_method m)
{
	return flt_check(f, now, ip, m, NULL, 0, NULL, 0);
}

#endif
