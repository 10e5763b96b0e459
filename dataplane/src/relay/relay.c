/* Everything the relay needs is allocated here, once, at start-up; after that sessions come from
 * the free list and ports from the port ring. */
#include "relay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "dataplane.pb.h"
#include "relay_counters.h"
#include "relay_index.h"
#include "relay_mediaop.h"
#include "relay_ports.h"
#include "relay_session.h"
#include "relay_srtp.h"
#include "relay_xcode.h"

struct relay *relay_new(const struct relay_config *cfg, char *err, size_t err_cap)
{
	if (cfg->max_sessions == 0 || cfg->max_sessions > (UINT32_MAX / 4)) {
		snprintf(err, err_cap, "media.max_sessions must be 1..%u", UINT32_MAX / 4);
		return NULL;
	}
	struct relay *r = aligned_alloc(RTE_CACHE_LINE_SIZE,
					RTE_ALIGN_CEIL(sizeof(*r), RTE_CACHE_LINE_SIZE));
	if (!r) {
		snprintf(err, err_cap, "out of memory for the relay");
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->cfg = *cfg;
	if (relay_ports_init(&r->ports, cfg->port_min, cfg->port_max) < 0) {
		snprintf(err, err_cap, "media.rtp_port_min..max (%u..%u) holds no RTP/RTCP pair",
			 cfg->port_min, cfg->port_max);
		free(r);
		return NULL;
	}
	size_t sess_bytes = RTE_ALIGN_CEIL(sizeof(*r->sessions) * cfg->max_sessions,
					   RTE_CACHE_LINE_SIZE);
	r->sessions = aligned_alloc(RTE_CACHE_LINE_SIZE, sess_bytes);
	if (r->sessions)
		memset(r->sessions, 0, sess_bytes);	/* before any relay_free below reads it */
	r->port_map = calloc(r->ports.n_pairs, sizeof(*r->port_map));
	if (!r->sessions || !r->port_map || relay_index_init(&r->index, cfg->max_sessions) < 0) {
		snprintf(err, err_cap, "out of memory for %u sessions", cfg->max_sessions);
		relay_free(r);
		return NULL;
	}
	if (relay_srtp_engines_init(r, err, err_cap)) {
		relay_free(r);
		return NULL;
	}
	size_t ctx_bytes = sizeof(*r->srtp_ctxs) * 2 * RELAY_LEGS * cfg->max_sessions;
	r->srtp_ctxs = aligned_alloc(RTE_CACHE_LINE_SIZE, ctx_bytes);
	if (!r->srtp_ctxs) {
		snprintf(err, err_cap, "out of memory for the SRTP contexts of %u sessions",
			 cfg->max_sessions);
		relay_free(r);
		return NULL;
	}
	memset(r->srtp_ctxs, 0, ctx_bytes);
	for (uint32_t i = 0; i < cfg->max_sessions; i++) {
		r->sessions[i].next_free = i + 1 < cfg->max_sessions ? i + 1 : UINT32_MAX;
		for (unsigned k = 0; k < RELAY_LEGS; k++)
			r->sessions[i].leg[k].srtp_ctx = &r->srtp_ctxs[2 * (i * RELAY_LEGS + k)];
	}
	if (relay_media_new(r, err, err_cap)) {
		relay_free(r);
		return NULL;
	}
	r->free_head = 0;
	uint64_t hz = rte_get_tsc_hz();
	r->ns_per_tsc = hz ? 1e9 / (double)hz : 0;
	return r;
}

void relay_free(struct relay *r)
{
	if (!r)
		return;
	/* Transcoders are the only per-session heap objects (made by the codec library). */
	for (uint32_t i = 0; r->sessions && i < r->cfg.max_sessions; i++)
		relay_xcode_free(&r->sessions[i]);
	relay_media_free(r);
	relay_srtp_engines_fini(r);
	relay_ports_fini(&r->ports);
	relay_index_fini(&r->index);
	free(r->port_map);
	free(r->srtp_ctxs);
	free(r->sessions);
	free(r);
}

uint64_t relay_clock_ns(const struct relay *r)
{
	if (r->ns_per_tsc > 0)
		return (uint64_t)((double)rte_rdtsc() * r->ns_per_tsc);
	/* No EAL (tests, tools): the TSC rate is unknown. */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct relay_counters *relay_lcore_counters(struct relay *r)
{
	unsigned id = rte_lcore_id();
	return &r->ctr[id < RTE_MAX_LCORE ? id : RTE_MAX_LCORE];
}

uint64_t relay_counter_sum(const struct relay *r, unsigned id)
{
	uint64_t sum = 0;
	if (id >= RELAY_CTR_COUNT)
		return 0;
	for (unsigned i = 0; i <= RTE_MAX_LCORE; i++)
		sum += relay_ctr_read(&r->ctr[i], id);
	return sum;
}

uint32_t relay_sessions_active(const struct relay *r)
{
	return r->n_live;
}

uint32_t relay_sessions_max(const struct relay *r)
{
	return r->cfg.max_sessions;
}

static void check_timeout(struct relay *r, struct relay_session *s, struct relay_leg *l,
			  uint64_t now, relay_event_fn emit, void *arg)
{
	uint64_t last = __atomic_load_n(&l->last_rx_ns, __ATOMIC_RELAXED);
	if (last < l->armed_ns)
		last = l->armed_ns;
	uint64_t limit = (uint64_t)l->timeout_s * 1000000000u;
	if (now <= last || now - last < limit) {
		l->timed_out = false;	/* media (re)started: a new silence is reported again */
		return;
	}
	if (l->timed_out)
		return;
	l->timed_out = true;
	relay_ctr_inc(relay_lcore_counters(r), RELAY_CTR_media_timeouts);
	if (emit)
		emit(arg, bugle_dp_EventKind_EVENT_MEDIA_TIMEOUT, s->call_id, l->tag);
}

void relay_tick(struct relay *r, uint64_t now_ns, relay_event_fn emit, void *arg)
{
	for (uint32_t i = 0; i < r->cfg.max_sessions; i++) {
		struct relay_session *s = &r->sessions[i];
		if (s->state == RELAY_SESSION_LIVE) {
			check_timeout(r, s, &s->leg[0], now_ns, emit, arg);
			if (s->answered)
				check_timeout(r, s, &s->leg[1], now_ns, emit, arg);
			for (unsigned k = 0; k < RELAY_LEGS; k++)
				if (s->leg[k].inband_retired)
					relay_media_inband_reap(&s->leg[k], now_ns);
		} else if (s->state == RELAY_SESSION_RETIRING && now_ns - s->retire_ns >= RELAY_GRACE_NS) {
			relay_session_reclaim(r, i);
		}
	}
}
