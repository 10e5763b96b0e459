/* The peer of bench-filter: a per-source rate limiter built the way DPDK's own libraries offer
 * it, an rte_hash from source address to an rte_meter srTCM token bucket (RFC 2697) with the
 * filter's density policy as its committed rate and burst. It limits request density only (no
 * methods, User-Agents or accounts), so it does less per check than flt_check(). */
#include "peer_rte_meter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_meter.h>

struct peer_meter {
	struct rte_hash *sources;
	struct rte_meter_srtcm *meters;	/* one per slot of the hash, by key position */
	struct rte_meter_srtcm_profile profile;
	uint64_t cycles;		/* simulated TSC clock */
	uint64_t cycles_per_step;
	uint32_t capacity;
	uint64_t full;			/* sources refused because the table was full */
};

int peer_meter_eal_init(char *err, size_t errlen)
{
	/* No devices, no hugepages, no shared files (a data plane may run beside it): only the
	 * memory rte_hash needs. */
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "bench-filter-%d", (int)getpid());
	char *args[] = { "bench-filter", "--no-huge", "-m", "1024", "--no-shconf", "--file-prefix",
			 prefix, "--no-pci", "--no-telemetry", "-l", "0", "--log-level", "*:error",
			 NULL };
	int argc = (int)(sizeof(args) / sizeof(args[0])) - 1;
	if (rte_eal_init(argc, args) < 0) {
		snprintf(err, errlen, "rte_eal_init: %s", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

void peer_meter_eal_cleanup(void)
{
	rte_eal_cleanup();
}

struct peer_meter *peer_meter_create(uint32_t capacity, uint32_t requests, double window_s,
				     uint64_t step_ns, char *err, size_t errlen)
{
	struct peer_meter *p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct rte_hash_parameters hp = {
		.name = "bench-filter-peer",
		.entries = capacity,
		.key_len = sizeof(uint32_t),
		.hash_func = rte_jhash,
		.socket_id = 0,
		/* Every key fits even when its cuckoo buckets are full. */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	p->sources = rte_hash_create(&hp);
	p->meters = calloc(capacity, sizeof(*p->meters));
	/* One "byte" per request: the committed rate is requests per second. */
	struct rte_meter_srtcm_params mp = {
		.cir = (uint64_t)((double)requests / window_s + 0.5),
		.cbs = requests,
		.ebs = 0,
	};
	int rc = 0;
	if (!p->sources || !p->meters ||
	    (rc = rte_meter_srtcm_profile_config(&p->profile, &mp)) != 0) {
		snprintf(err, errlen, "set-up failed: %s",
			 !p->sources ? rte_strerror(rte_errno) : rc ? strerror(-rc) : "no memory");
		peer_meter_destroy(p);
		return NULL;
	}
	p->capacity = capacity;
	p->cycles_per_step = rte_get_tsc_hz() * step_ns / 1000000000ull;
	if (p->cycles_per_step == 0)
		p->cycles_per_step = 1;
	p->cycles = rte_get_tsc_hz();	/* one second in */
	return p;
}

void peer_meter_destroy(struct peer_meter *p)
{
	if (!p)
		return;
	rte_hash_free(p->sources);
	free(p->meters);
	free(p);
}

/* The meter of the source whose key sits at position pos (new sources get a full bucket). */
static bool meter_accepts(struct peer_meter *p, int32_t pos, bool fresh)
{
	struct rte_meter_srtcm *m = &p->meters[pos];
	if (fresh)
		rte_meter_srtcm_config(m, &p->profile);
	return rte_meter_srtcm_color_blind_check(m, &p->profile, p->cycles, 1) == RTE_COLOR_GREEN;
}

static bool check_one(struct peer_meter *p, const uint32_t *ip)
{
	p->cycles += p->cycles_per_step;
	int32_t pos = rte_hash_lookup(p->sources, ip);
	bool fresh = false;
	if (pos < 0) {
		pos = rte_hash_add_key(p->sources, ip);
		if (pos < 0 || (uint32_t)pos >= p->capacity) {
			p->full++;
			return false;	/* no room to track it: refused, as the filter does */
		}
		fresh = true;
	}
	return meter_accepts(p, pos, fresh);
}

uint64_t peer_meter_run(struct peer_meter *p, const uint32_t *ips, size_t n, bool bulk)
{
	uint64_t accepted = 0;
	if (!bulk) {
		for (size_t i = 0; i < n; i++)
			accepted += check_one(p, &ips[i]);
		return accepted;
	}
	/* A worker's RX burst: look the burst's sources up together (rte_hash hides the memory
	 * latency across the keys), then meter each. */
	const void *keys[PEER_METER_BURST];
	int32_t pos[PEER_METER_BURST];
	for (size_t i = 0; i < n; i += PEER_METER_BURST) {
		uint32_t k = (uint32_t)RTE_MIN((size_t)PEER_METER_BURST, n - i);
		for (uint32_t j = 0; j < k; j++)
			keys[j] = &ips[i + j];
		if (rte_hash_lookup_bulk(p->sources, keys, k, pos) < 0) {
			for (uint32_t j = 0; j < k; j++)
				accepted += check_one(p, &ips[i + j]);
			continue;
		}
		for (uint32_t j = 0; j < k; j++) {
			p->cycles += p->cycles_per_step;
			bool fresh = false;
			if (pos[j] < 0) {	/* a miss, or a key added earlier in this burst */
				pos[j] = rte_hash_lookup(p->sources, keys[j]);
				if (pos[j] < 0) {
					pos[j] = rte_hash_add_key(p->sources, keys[j]);
					fresh = true;
				}
				if (pos[j] < 0 || (uint32_t)pos[j] >= p->capacity) {
					p->full++;
					continue;
				}
			}
			accepted += meter_accepts(p, pos[j], fresh);
		}
	}
	return accepted;
}

uint64_t peer_meter_full(const struct peer_meter *p)
{
	return p->full;
}
