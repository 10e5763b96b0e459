/* The control side of sessions. Everything here runs on the main lcore; what workers read is
 * published as described in relay-t.h: build, then release-store the port map entry or the
 * leg's generation. A request is validated completely before anything is changed, so a refused
 * request leaves the session as it was. */
#include "relay_session.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mc_quality.h"
#include "relay_addr.h"
#include "relay_codecs.h"
#include "relay_counters.h"
#include "relay_index.h"
#include "relay_mediaop.h"
#include "relay_ports.h"
#include "relay_srtp.h"
#include "relay_xcode.h"
#include "relay.h"

/* A leg spec after validation. */
struct leg_parsed {
	uint32_t ip;			/* network order; 0 = hold (0.0.0.0) */
	uint16_t port;
	bool on_hold;
	struct relay_codec codecs[RELAY_MAX_CODECS];
	uint8_t n_codecs;
	struct relay_srtp_keys srtp;
};

/* cur: the leg the spec changes, NULL for a new one. */
static int parse_leg(const bugle_dp_LegSpec *spec, bool has, const struct relay_leg *cur,
		     struct leg_parsed *p, char *err, size_t err_cap)
{
	if (!has) {
		snprintf(err, err_cap, "the request has no leg");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	if (!spec->leg_tag[0]) {
		snprintf(err, err_cap, "the leg has no tag");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	struct in_addr a;
	if (inet_pton(AF_INET, spec->remote_ip, &a) != 1) {
		snprintf(err, err_cap, "leg '%s': remote_ip '%s' is not an IPv4 address",
			 spec->leg_tag, spec->remote_ip);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	if (spec->remote_port > 65535 || (a.s_addr != 0 && spec->remote_port == 0)) {
		snprintf(err, err_cap, "leg '%s': remote_port %u is not a UDP port", spec->leg_tag,
			 spec->remote_port);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	p->ip = a.s_addr;
	p->port = (uint16_t)spec->remote_port;
	p->on_hold = a.s_addr == 0 || spec->direction != bugle_dp_MediaDirection_DIRECTION_SENDRECV;
	char cerr[160];
	int st = relay_codecs_parse(spec->codecs, spec->codecs_count, p->codecs, &p->n_codecs, cerr,
				    sizeof(cerr));
	if (st) {
		snprintf(err, err_cap, "leg '%s': %s", spec->leg_tag, cerr);
		return st;
	}
	return relay_srtp_parse(spec, cur, &p->srtp, err, err_cap);
}

static void store_pt_map(uint8_t dst[128], const uint8_t src[128])
{
	for (unsigned i = 0; i < 128; i++)
		__atomic_store_n(&dst[i], src[i], __ATOMIC_RELAXED);
}

/* Writes the MAIN fields of a leg from a validated spec (the generation bump publishes them). */
static void leg_configure(const struct relay *r, struct relay_leg *l, const bugle_dp_LegSpec *spec,
			  const struct leg_parsed *p, uint64_t now)
{
	snprintf(l->tag, sizeof(l->tag), "%s", spec->leg_tag);
	l->symmetric = spec->symmetric;
	l->on_hold = p->on_hold;
	l->timeout_s = spec->timeout_s ? spec->timeout_s
				       : (p->on_hold ? r->cfg.hold_timeout_s : r->cfg.timeout_s);
	memcpy(l->codecs, p->codecs, sizeof(l->codecs));
	l->n_codecs = p->n_codecs;
	l->clock_rate = p->codecs[0].clock_rate;
	l->armed_ns = now;
	l->timed_out = false;
	__atomic_store_n(&l->remote, relay_addr_pack(p->ip, p->port), __ATOMIC_RELAXED);
}

static void leg_publish_change(struct relay_leg *l)
{
	/* release: a worker that loads the new gen with acquire sees every field written above. */
	__atomic_store_n(&l->gen, l->gen + 1, __ATOMIC_RELEASE);
}

/* Clears what workers write; only on a leg no worker can reach (before publication). */
static void leg_reset_rx(struct relay_leg *l)
{
	size_t off = offsetof(struct relay_leg, seen_gen);
	memset((char *)l + off, 0, sizeof(*l) - off);
	l->seen_gen = __atomic_load_n(&l->gen, __ATOMIC_RELAXED) - 1;	/* arm on first packet */
}

static unsigned shared_maps(const struct relay_codec *a, uint8_t na, const struct relay_codec *b,
			    uint8_t nb, uint8_t map_ab[128], uint8_t map_ba[128])
{
	unsigned n = relay_codecs_map(a, na, b, nb, map_ab);
	relay_codecs_map(b, nb, a, na, map_ba);
	return n;
}

/* ---- replies ---- */

static void ip_text(uint32_t ip, char *buf, size_t cap)
{
	struct in_addr a = { .s_addr = ip };
	if (!inet_ntop(AF_INET, &a, buf, (socklen_t)cap))
		snprintf(buf, cap, "0.0.0.0");
}

static uint32_t leg_mos_x100(const struct relay_leg *l, uint64_t rx, uint64_t lost,
			     uint32_t jitter_us)
{
	if (rx == 0)
		return 0;
	/* Delay is not measured by a relay; the E-model gets the usual dejitter estimate: a
	 * 20 ms frame plus a buffer of twice the jitter. G.711 with PLC (G.113: Ie 0, Bpl 25.1). */
	struct mc_emodel_input in = {
		.delay_ms = 20.0 + 2.0 * jitter_us / 1000.0,
		.loss_pct = 100.0 * (double)lost / (double)(rx + lost),
		.burst_r = 1,
		.ie = 0,
		.bpl = 25.1,
	};
	(void)l;
	return (uint32_t)(mc_emodel_mos(mc_emodel_r(&in)) * 100.0 + 0.5);
}

static void fill_leg_stats(const struct relay *r, const struct relay_session *s, unsigned k,
			   bugle_dp_LegStats *o)
{
	const struct relay_leg *l = &s->leg[k];
	const struct relay_leg *peer = &s->leg[k ^ 1];
	snprintf(o->leg_tag, sizeof(o->leg_tag), "%s", l->tag);
	ip_text(r->cfg.public_ip, o->local_ip, sizeof(o->local_ip));
	o->local_port = l->local_port;
	uint64_t latched = __atomic_load_n(&l->latched, __ATOMIC_RELAXED);
	uint64_t remote = latched ? latched : __atomic_load_n(&l->remote, __ATOMIC_RELAXED);
	ip_text(relay_addr_ip(remote), o->remote_ip, sizeof(o->remote_ip));
	o->remote_port = relay_addr_port(remote);
	o->latched = latched != 0;
	o->rx_packets = __atomic_load_n(&l->rx_packets, __ATOMIC_RELAXED);
	o->rx_bytes = __atomic_load_n(&l->rx_bytes, __ATOMIC_RELAXED);
	o->tx_packets = __atomic_load_n(&peer->fwd_packets, __ATOMIC_RELAXED);
	o->tx_bytes = __atomic_load_n(&peer->fwd_bytes, __ATOMIC_RELAXED);
	o->lost = __atomic_load_n(&l->lost, __ATOMIC_RELAXED);
	o->dropped = __atomic_load_n(&l->dropped, __ATOMIC_RELAXED);
	o->ssrc = __atomic_load_n(&l->ssrc, __ATOMIC_RELAXED);
	uint32_t ticks = __atomic_load_n(&l->jitter_ticks, __ATOMIC_RELAXED);
	o->jitter_us = l->clock_rate ? (uint32_t)((uint64_t)ticks * 1000000u / l->clock_rate) : 0;
	o->mos_x100 = leg_mos_x100(l, o->rx_packets, o->lost, o->jitter_us);
	o->timed_out = l->timed_out;
}

static void add_codecs(bugle_dp_SessionReply *out, const struct relay_leg *l, const uint8_t *only)
{
	for (uint8_t i = 0; i < l->n_codecs && out->codecs_count < RELAY_MAX_CODECS; i++) {
		const struct relay_codec *c = &l->codecs[i];
		bool transcoded = l->xcode && c->pt == l->xcode_in_pt;
		if (only && only[c->pt] == RELAY_PT_NONE && !transcoded)
			continue;
		bugle_dp_CodecSpec *o = &out->codecs[out->codecs_count++];
		o->codec = (bugle_dp_Codec)c->codec;
		o->payload_type = c->pt;
		o->clock_rate = c->clock_rate;
		o->channels = c->channels;
		o->ptime_ms = c->ptime_ms;
	}
}

/* focus: the leg whose port goes into the SDP of this reply; codecs_of/only: its codec list. */
static void fill_reply(const struct relay *r, const struct relay_session *s, unsigned focus,
		       const struct relay_leg *codecs_of, const uint8_t *only,
		       bugle_dp_SessionReply *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->call_id, sizeof(out->call_id), "%s", s->call_id);
	ip_text(r->cfg.public_ip, out->local_ip, sizeof(out->local_ip));
	out->local_port = s->leg[focus].local_port;
	const struct relay_leg *fl = &s->leg[focus];
	if (fl->srtp_out_on) {
		out->has_srtp = true;
		out->srtp.suite = (bugle_dp_SrtpSuite)fl->srtp_out_suite;
		out->srtp.master_key_salt.size = fl->srtp_out_key_len;
		memcpy(out->srtp.master_key_salt.bytes, fl->srtp_out_key, fl->srtp_out_key_len);
	}
	if (codecs_of)
		add_codecs(out, codecs_of, only);
	for (unsigned k = 0; k < RELAY_LEGS; k++)
		fill_leg_stats(r, s, k, &out->legs[out->legs_count++]);
}

/* ---- offer / answer / update ---- */

static struct relay_session *find(struct relay *r, const char *call_id, char *err, size_t err_cap)
{
	int32_t i = relay_index_find(&r->index, r->sessions, call_id);
	if (i < 0) {
		snprintf(err, err_cap, "no session with call-id '%s'", call_id);
		return NULL;
	}
	return &r->sessions[i];
}

static void publish_port(struct relay *r, uint16_t port, uint32_t leg_id_plus_1)
{
	int32_t pair = relay_ports_pair(&r->ports, port);
	/* release: pairs with the worker's acquire load in relay_rtp_lookup. */
	__atomic_store_n(&r->port_map[pair], leg_id_plus_1, __ATOMIC_RELEASE);
}

static int update_leg(struct relay *r, struct relay_session *s, unsigned k,
		      const bugle_dp_LegSpec *spec, const struct leg_parsed *p, uint64_t now,
		      char *err, size_t err_cap)
{
	uint8_t map_ab[128], map_ba[128];
	if (s->answered || k == 1) {
		const struct relay_leg *o = &s->leg[k ^ 1];
		const struct relay_codec *a = k == 0 ? p->codecs : o->codecs;
		const struct relay_codec *b = k == 0 ? o->codecs : p->codecs;
		uint8_t na = k == 0 ? p->n_codecs : o->n_codecs, nb = k == 0 ? o->n_codecs : p->n_codecs;
		int st;
		if (!shared_maps(p->codecs, p->n_codecs, o->codecs, o->n_codecs, map_ab, map_ba)) {
			/* No codec in common: each direction goes through a transcoder. */
			if ((st = relay_xcode_setup(s, a, na, b, nb, now, err, err_cap)))
				return st;
		} else if (s->leg[0].xcode) {
			snprintf(err, err_cap, "the session transcodes: changing it to a shared codec "
				 "is not supported; delete and offer it again");
			return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
		} else {
			/* DTMF translation when only one leg has telephone-event. */
			relay_media_translate_setup(s, a, na, b, nb, now);
		}
	}
	struct relay_leg *l = &s->leg[k];
	int st = relay_srtp_apply(r, l, &p->srtp, err, err_cap);
	if (st)
		return st;
	leg_configure(r, l, spec, p, now);
	if (s->answered || k == 1) {
		store_pt_map(l->pt_out, map_ab);
		store_pt_map(s->leg[k ^ 1].pt_out, map_ba);
		leg_publish_change(&s->leg[k ^ 1]);
	}
	leg_publish_change(l);
	return bugle_dp_Status_STATUS_OK;
}

int relay_session_offer(struct relay *r, const bugle_dp_SessionOfferRequest *req, uint64_t now_ns,
			bugle_dp_SessionReply *out, char *err, size_t err_cap)
{
	struct leg_parsed p;
	if (!req->call_id[0]) {
		snprintf(err, err_cap, "the offer has no call_id");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	int32_t existing = relay_index_find(&r->index, r->sessions, req->call_id);
	int st = parse_leg(&req->from_leg, req->has_from_leg,
			   existing >= 0 ? &r->sessions[existing].leg[0] : NULL, &p, err, err_cap);
	if (st)
		return st;
	if (existing >= 0) {
		/* A retransmitted or repeated offer from the same leg re-negotiates it. */
		struct relay_session *s = &r->sessions[existing];
		if (strcmp(s->leg[0].tag, req->from_leg.leg_tag) != 0) {
			snprintf(err, err_cap, "call-id '%s' already has a session offered by leg '%s'",
				 req->call_id, s->leg[0].tag);
			return bugle_dp_Status_STATUS_ALREADY_EXISTS;
		}
		st = update_leg(r, s, 0, &req->from_leg, &p, now_ns, err, err_cap);
		if (!st)
			fill_reply(r, s, 1, &s->leg[0], NULL, out);
		return st;
	}
	struct relay_counters *ctr = relay_lcore_counters(r);
	if (r->cfg.draining && atomic_load_explicit(r->cfg.draining, memory_order_relaxed)) {
		relay_ctr_inc(ctr, RELAY_CTR_offers_refused_draining);
		snprintf(err, err_cap, "the node is draining: no new media sessions");
		return bugle_dp_Status_STATUS_UNAVAILABLE;
	}
	if (r->free_head == UINT32_MAX) {
		relay_ctr_inc(ctr, RELAY_CTR_offers_refused_table_full);
		snprintf(err, err_cap,
			 "session table full: %u of %u sessions in use (%u deleted, freed within 1 s); "
			 "raise media.max_sessions", r->n_live, r->cfg.max_sessions, r->n_retiring);
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	if (r->ports.count < RELAY_LEGS) {
		relay_ctr_inc(ctr, RELAY_CTR_offers_refused_no_ports);
		snprintf(err, err_cap,
			 "RTP ports exhausted: %u of %u port pairs in %u-%u in use; widen "
			 "media.rtp_port_min/max", r->ports.n_pairs - r->ports.count, r->ports.n_pairs,
			 r->ports.base, r->ports.base + 2 * r->ports.n_pairs - 1);
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	uint32_t idx = r->free_head;
	struct relay_session *s = &r->sessions[idx];
	r->free_head = s->next_free;
	s->state = RELAY_SESSION_LIVE;
	s->answered = false;
	snprintf(s->call_id, sizeof(s->call_id), "%s", req->call_id);
	snprintf(s->account_id, sizeof(s->account_id), "%s", req->account_id);
	relay_index_add(&r->index, r->sessions, s->call_id, idx);	/* cannot fail: 2x sized */
	for (unsigned k = 0; k < RELAY_LEGS; k++) {
		struct relay_leg *l = &s->leg[k];
		memset(l->tag, 0, sizeof(l->tag));
		l->index = (uint8_t)k;
		l->local_port = relay_ports_alloc(&r->ports);
		l->n_codecs = 0;
		l->remote = 0;
		l->srtp_in_on = l->srtp_out_on = false;
		memset(l->pt_out, RELAY_PT_NONE, sizeof(l->pt_out));
		leg_reset_rx(l);
	}
	st = relay_srtp_apply(r, &s->leg[0], &p.srtp, err, err_cap);
	leg_configure(r, &s->leg[0], &req->from_leg, &p, now_ns);
	s->leg[1].armed_ns = now_ns;
	for (unsigned k = 0; k < RELAY_LEGS; k++)
		publish_port(r, s->leg[k].local_port, idx * RELAY_LEGS + k + 1);
	r->n_live++;
	relay_ctr_inc(ctr, RELAY_CTR_sessions_created);
	fill_reply(r, s, 1, &s->leg[0], NULL, out);
	return st;	/* an SRTP engine failure still leaves a session to delete */
}

int relay_session_answer(struct relay *r, const bugle_dp_SessionAnswerRequest *req,
			 uint64_t now_ns, bugle_dp_SessionReply *out, char *err, size_t err_cap)
{
	struct leg_parsed p;
	struct relay_session *s = find(r, req->call_id, err, err_cap);
	if (!s)
		return bugle_dp_Status_STATUS_NOT_FOUND;
	int st = parse_leg(&req->to_leg, req->has_to_leg, s->answered ? &s->leg[1] : NULL, &p, err,
			   err_cap);
	if (st)
		return st;
	if (!strcmp(req->to_leg.leg_tag, s->leg[0].tag)) {
		snprintf(err, err_cap, "leg tag '%s' is the offerer's", req->to_leg.leg_tag);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	st = update_leg(r, s, 1, &req->to_leg, &p, now_ns, err, err_cap);
	if (st)
		return st;
	s->answered = true;
	fill_reply(r, s, 0, &s->leg[0], s->leg[0].pt_out, out);
	return bugle_dp_Status_STATUS_OK;
}

int relay_session_update(struct relay *r, const bugle_dp_SessionUpdateRequest *req,
			 uint64_t now_ns, bugle_dp_SessionReply *out, char *err, size_t err_cap)
{
	struct leg_parsed p;
	if (!req->has_leg || !req->leg.leg_tag[0]) {
		snprintf(err, err_cap, "the update names no leg");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	struct relay_session *s = find(r, req->call_id, err, err_cap);
	if (!s)
		return bugle_dp_Status_STATUS_NOT_FOUND;
	unsigned k;
	if (!strcmp(s->leg[0].tag, req->leg.leg_tag))
		k = 0;
	else if (s->answered && !strcmp(s->leg[1].tag, req->leg.leg_tag))
		k = 1;
	else {
		snprintf(err, err_cap, "session '%s' has no leg '%s'", req->call_id, req->leg.leg_tag);
		return bugle_dp_Status_STATUS_NOT_FOUND;
	}
	int st = parse_leg(&req->leg, req->has_leg, &s->leg[k], &p, err, err_cap);
	if (st)
		return st;
	st = update_leg(r, s, k, &req->leg, &p, now_ns, err, err_cap);
	if (!st)
		fill_reply(r, s, k ^ 1, &s->leg[k], s->answered ? s->leg[k].pt_out : NULL, out);
	return st;
}

int relay_session_delete(struct relay *r, const bugle_dp_SessionDeleteRequest *req,
			 uint64_t now_ns, bugle_dp_SessionReply *out, char *err, size_t err_cap)
{
	int32_t idx = relay_index_find(&r->index, r->sessions, req->call_id);
	if (idx < 0) {
		snprintf(err, err_cap, "no session with call-id '%s'", req->call_id);
		return bugle_dp_Status_STATUS_NOT_FOUND;
	}
	struct relay_session *s = &r->sessions[idx];
	for (unsigned k = 0; k < RELAY_LEGS; k++)
		publish_port(r, s->leg[k].local_port, 0);
	fill_reply(r, s, 0, NULL, NULL, out);	/* final counters */
	relay_index_del(&r->index, r->sessions, s->call_id);
	s->state = RELAY_SESSION_RETIRING;
	s->retire_ns = now_ns;
	r->n_live--;
	r->n_retiring++;
	relay_ctr_inc(relay_lcore_counters(r), RELAY_CTR_sessions_deleted);
	return bugle_dp_Status_STATUS_OK;
}

int relay_session_query(struct relay *r, const bugle_dp_SessionQueryRequest *req,
			bugle_dp_SessionReply *out, char *err, size_t err_cap)
{
	struct relay_session *s = find(r, req->call_id, err, err_cap);
	if (!s)
		return bugle_dp_Status_STATUS_NOT_FOUND;
	fill_reply(r, s, 0, NULL, NULL, out);
	return bugle_dp_Status_STATUS_OK;
}

void relay_session_reclaim(struct relay *r, uint32_t index)
{
	struct relay_session *s = &r->sessions[index];
	for (unsigned k = 0; k < RELAY_LEGS; k++)
		relay_ports_free(&r->ports, s->leg[k].local_port);
	relay_xcode_free(s);
	s->state = RELAY_SESSION_FREE;
	s->call_id[0] = '\0';
	s->next_free = r->free_head;
	r->free_head = index;
	r->n_retiring--;
}
