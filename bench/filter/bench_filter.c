/* bench-filter: how many flt_check() calls one core completes per second when requests come
 * from a million distinct sources in shuffled order (each source's state is a cache miss, as
 * under a spoofed-source flood), with a realistic mix of methods, User-Agents (some scanners)
 * and account ids on INVITEs. No packaged library implements this filter, so the peer is the
 * nearest packaged building block run on the same request stream: a per-source rate limiter
 * from DPDK's libraries (rte_hash + rte_meter srTCM, peer_rte_meter.c) with the filter's
 * density policy; it checks density only, so it does less per request than flt_check().
 *
 * Two figures each: flt_check() one request at a time, and with flt_prefetch() issued a few
 * requests ahead as a worker does over its RX burst; the peer one lookup at a time, and with
 * rte_hash's bulk lookup over bursts of 32. The burst figures are the headline.
 *
 * Usage: bench-filter [--quick] [--seconds S] [--sources N] [--table N]
 * Every loop is bounded by a check count and by wall-clock time.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flt-control.h"
#include "flt-counters.h"
#include "flt-policy.h"
#include "flt.h"
#include "peer_rte_meter.h"

#define GOAL_CHECKS_PER_SEC 10000000.0
#define ROUNDS 4		/* each source appears this many times in the request stream */
#define CHUNK 65536		/* checks between clock reads */
#define ACCOUNTS 1000
#define PREFETCH_AHEAD 16	/* within a worker burst of 32: prefetch this many requests ahead */

struct op {
	uint32_t ip;
	uint8_t method;
	uint8_t ua;
	uint16_t account;	/* ACCOUNTS: none */
};

struct bench_args {
	double seconds;
	uint32_t sources;
	uint32_t table;
};

static const char *const user_agents[] = {
	"Yealink SIP-T46S 66.86.0.15", "Grandstream GXP2170 1.0.11.23", "PolycomVVX-VVX_450-UA/6.4.3",
	"Zoiper rv2.10.20.3", "Linphone-Desktop/5.2.1 (belle-sip/5.2.0)", "Asterisk PBX 20.5.0",
	"FreeSWITCH-mod_sofia/1.10.11", "Cisco-SIPGateway/IOS-15.x", "MicroSIP/3.21.3", "Bria 6",
	"Obihai/OBi200-3.2.2", "friendly-scanner", "sipvicious 0.3.4", "", "", "",
};
#define UA_COUNT (sizeof(user_agents) / sizeof(user_agents[0]))

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64*: enough to shuffle a benchmark's inputs. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static int parse_args(int argc, char **argv, struct bench_args *a)
{
	a->seconds = 3.0;
	a->sources = 1u << 20;
	a->table = 1u << 20;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			a->seconds = 0.5;
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			a->seconds = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--sources") && i + 1 < argc) {
			a->sources = (uint32_t)strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--table") && i + 1 < argc) {
			a->table = (uint32_t)strtoul(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: %s [--quick] [--seconds S] [--sources N] [--table N]\n",
				argv[0]);
			return -1;
		}
	}
	if (a->seconds <= 0 || a->seconds > 60 || a->sources < 1 || a->sources > (1u << 24)) {
		fprintf(stderr, "bench-filter: --seconds 0..60, --sources 1..16777216\n");
		return -1;
	}
	return 0;
}

/* ROUNDS shuffled passes over `sources` distinct addresses, each request with its method,
 * agent and account drawn once here so the timed loop does nothing but check. */
static struct op *make_ops(uint32_t sources, size_t *count)
{
	size_t n = (size_t)sources * ROUNDS;
	struct op *ops = malloc(n * sizeof(*ops));
	uint64_t rng = 0x9e3779b97f4a7c15ull;

	if (!ops)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint64_t r = rng_next(&rng);
		unsigned pick = (unsigned)(r % 10);

		/* Distinct addresses: a fixed odd multiplier permutes the 32-bit space. */
		ops[i].ip = (uint32_t)(i % sources) * 2654435761u;
		ops[i].method = pick < 5 ? FLT_METHOD_OTHER : pick < 8 ? FLT_METHOD_REGISTER
								    : FLT_METHOD_INVITE;
		ops[i].ua = (uint8_t)((r >> 8) % UA_COUNT);
		ops[i].account = ops[i].method == FLT_METHOD_INVITE ? (uint16_t)((r >> 16) % (ACCOUNTS + 1))
								   : ACCOUNTS;
	}
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)(rng_next(&rng) % (i + 1));
		struct op t = ops[i];

		ops[i] = ops[j];
		ops[j] = t;
	}
	*count = n;
	return ops;
}

static uint64_t run_chunk(struct flt *f, const struct op *ops, size_t n_ops, size_t *pos,
			  uint64_t *clock_ns, char (*acct)[16], const uint8_t *acct_len, bool prefetch)
{
	uint64_t accepted = 0;

	for (int k = 0; k < CHUNK; k++) {
		const struct op *o = &ops[*pos];
		const char *ua = user_agents[o->ua];
		int has_acct = o->account < ACCOUNTS;

		/* 10 million requests per simulated second: each source comes back about every
		 * 100 ms, under the density and rate limits, so most checks run the full path. */
		*clock_ns += 100;
		if (prefetch)
			flt_prefetch(f, ops[(*pos + PREFETCH_AHEAD) % n_ops].ip);
		accepted += flt_check(f, *clock_ns, o->ip, (enum flt_method)o->method, ua, strlen(ua),
				      has_acct ? acct[o->account] : NULL,
				      has_acct ? acct_len[o->account] : 0) == FLT_ACCEPT;
		if (++*pos == n_ops)
			*pos = 0;
	}
	return accepted;
}

struct run {
	struct flt *f;
	const struct op *ops;
	size_t n_ops;
	size_t pos;
	uint64_t clock_ns;
	char (*acct)[16];
	const uint8_t *acct_len;
};

/* Checks per second over `seconds`, bounded also by a count far above one core's reach. */
static double measure(struct run *r, double seconds, bool prefetch, uint64_t *accepted,
		      uint64_t *checks)
{
	double t0 = now_s(), elapsed = 0;

	*accepted = 0;
	*checks = 0;
	while (elapsed < seconds && *checks < 2000000000ull) {
		*accepted += run_chunk(r->f, r->ops, r->n_ops, &r->pos, &r->clock_ns, r->acct,
				       r->acct_len, prefetch);
		*checks += CHUNK;
		elapsed = now_s() - t0;
	}
	return (double)*checks / elapsed;
}

/* The peer's checks per second over the same sources, bounded as measure() is. */
static double measure_peer(struct peer_meter *p, const uint32_t *ips, size_t n, double seconds,
			   bool bulk, uint64_t *accepted, uint64_t *checks)
{
	double t0 = now_s(), elapsed = 0;
	size_t pos = 0;

	*accepted = 0;
	*checks = 0;
	while (elapsed < seconds && *checks < 2000000000ull) {
		size_t k = n - pos < CHUNK ? n - pos : CHUNK;

		*accepted += peer_meter_run(p, ips + pos, k, bulk);
		*checks += k;
		pos = pos + k == n ? 0 : pos + k;
		elapsed = now_s() - t0;
	}
	return (double)*checks / elapsed;
}

/* The peer on the same stream of sources: checks/s with bulk lookups, 0 when DPDK could not
 * start (why in note). */
static double run_peer(const struct bench_args *a, const struct op *ops, size_t n_ops,
		       char *note, size_t notelen)
{
	struct flt_policy pol;
	uint32_t *ips = malloc(n_ops * sizeof(*ips));
	uint64_t accepted, checks;
	double plain = 0, bulk = 0;

	if (!ips) {
		snprintf(note, notelen, "out of memory");
		return 0;
	}
	for (size_t i = 0; i < n_ops; i++)
		ips[i] = ops[i].ip;
	flt_policy_defaults(&pol);	/* the policy flt_check() ran with */
	bool eal = peer_meter_eal_init(note, notelen) == 0;
	struct peer_meter *p = !eal ? NULL :
		peer_meter_create(a->table, pol.density_requests,
				  (double)pol.density_window_ms / 1e3, 100, note, notelen);
	if (p) {
		peer_meter_run(p, ips, a->sources, false);	/* warm-up: every source known */
		plain = measure_peer(p, ips, n_ops, a->seconds / 2, false, &accepted, &checks);
		bulk = measure_peer(p, ips, n_ops, a->seconds / 2, true, &accepted, &checks);
		printf("  peer rte_hash + rte_meter one at a time:  %.0f checks/s per core (%.1f ns/check)\n",
		       plain, 1e9 / plain);
		printf("  peer rte_hash + rte_meter bulk lookup:    %.0f checks/s per core (%.1f ns/check), "
		       "%.1f%% accepted, %llu refused (table full)\n",
		       bulk, 1e9 / bulk, 100.0 * (double)accepted / (double)checks,
		       (unsigned long long)peer_meter_full(p));
		peer_meter_destroy(p);
	}
	if (eal)
		peer_meter_eal_cleanup();
	free(ips);
	return bulk;
}

int main(int argc, char **argv)
{
	struct bench_args a;
	struct flt_config cfg;
	static char acct[ACCOUNTS][16];
	static uint8_t acct_len[ACCOUNTS];
	uint64_t counters[FLT_COUNTER_COUNT];
	uint64_t accepted, checks, plain_checks;
	struct run r = { .clock_ns = 1000000000ull, .acct = acct, .acct_len = acct_len };
	double plain, burst;

	if (parse_args(argc, argv, &a) < 0)
		return 2;
	flt_config_defaults(&cfg);
	cfg.sources = a.table;
	cfg.accounts = 2048;
	r.f = flt_create(&cfg, NULL);
	r.ops = make_ops(a.sources, &r.n_ops);
	if (!r.f || !r.ops) {
		fprintf(stderr, "bench-filter: setup failed: %s\n", strerror(errno ? errno : ENOMEM));
		return 1;
	}
	for (int i = 0; i < ACCOUNTS; i++) {
		acct_len[i] = (uint8_t)snprintf(acct[i], sizeof(acct[i]), "acct-%05d", i);
		if (flt_account_limit_set(r.f, r.clock_ns, acct[i], acct_len[i], 50) < 0) {
			fprintf(stderr, "bench-filter: account table too small\n");
			return 1;
		}
	}

	/* Warm-up: one pass over the sources so the table holds them. */
	for (size_t i = 0; i < a.sources / CHUNK + 1; i++)
		run_chunk(r.f, r.ops, r.n_ops, &r.pos, &r.clock_ns, acct, acct_len, false);

	plain = measure(&r, a.seconds / 2, false, &accepted, &plain_checks);
	burst = measure(&r, a.seconds / 2, true, &accepted, &checks);

	flt_counters_read(r.f, counters);
	printf("bench-filter: %u distinct sources, table %u slots, %llu + %llu checks\n", a.sources,
	       a.table, (unsigned long long)plain_checks, (unsigned long long)checks);
	printf("  verdicts: %.1f%% accepted;", 100.0 * (double)accepted / (double)checks);
	for (int c = 0; c < FLT_COUNTER_COUNT; c++)
		if (counters[c] && c != FLT_C_accepted)
			printf(" %s=%llu", flt_counter_name((enum flt_counter)c),
			       (unsigned long long)counters[c]);
	printf("\n");
	printf("  bugle flt_check one at a time:        %.0f checks/s per core (%.1f ns/check)\n",
	       plain, 1e9 / plain);
	printf("  bugle flt_check with burst prefetch:  %.0f checks/s per core (%.1f ns/check)\n",
	       burst, 1e9 / burst);
	char note[256] = "";
	double peer = run_peer(&a, r.ops, r.n_ops, note, sizeof(note));
	printf("  goal: %.0f checks/s per core\n", GOAL_CHECKS_PER_SEC);
	if (peer > 0)
		printf("RESULT {\"name\":\"filter_check\",\"metric\":\"checks_per_second_per_core\","
		       "\"unit\":\"checks/s\",\"bugle\":%.0f,\"peer_name\":\"DPDK rte_hash + "
		       "rte_meter srTCM per source (density only)\",\"peer\":%.0f,\"ratio\":%.2f,"
		       "\"goal\":%.0f}\n",
		       burst, peer, burst / peer, GOAL_CHECKS_PER_SEC);
	else
		printf("RESULT {\"name\":\"filter_check\",\"metric\":\"checks_per_second_per_core\","
		       "\"unit\":\"checks/s\",\"bugle\":%.0f,\"peer_name\":\"DPDK rte_hash + "
		       "rte_meter srTCM per source (density only)\",\"peer\":null,"
		       "\"peer_note\":\"the peer did not run: %s\",\"ratio\":null,\"goal\":%.0f}\n",
		       burst, note, GOAL_CHECKS_PER_SEC);
	flt_destroy(r.f);
	free((void *)r.ops);
	return 0;
}
