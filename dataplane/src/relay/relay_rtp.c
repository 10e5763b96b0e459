/* RTP (RFC 3550) and RTCP forwarding for one leg of a session. The leg is found through the
 * port map with an acquire load that pairs with the main lcore's release publication; its
 * configuration generation is checked the same way, and a new generation re-arms latching. */
#include "relay_rtp.h"

#include <string.h>

#include <rte_byteorder.h>

#include "mc_quality.h"
#include "relay_addr.h"
#include "relay_counters.h"
#include "relay_mediaop.h"
#include "relay_ports.h"
#include "relay_srtp.h"

#define RTP_HDR 12
#define RTCP_HDR 8

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return rte_be_to_cpu_32(v);
}

static inline uint16_t rd16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return rte_be_to_cpu_16(v);
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(p, &v, 4);
}

static inline void wr16(uint8_t *p, uint16_t v)
{
	v = rte_cpu_to_be_16(v);
	memcpy(p, &v, 2);
}

static inline void add_relaxed(uint64_t *v, uint64_t n)
{
	__atomic_store_n(v, *v + n, __ATOMIC_RELAXED);
}

static int drop(struct relay_counters *ctr, struct relay_leg *l, enum relay_counter_id why)
{
	relay_ctr_inc(ctr, why);
	if (l)
		add_relaxed(&l->dropped, 1);
	return 0;
}

/* The length of the RTP header with its CSRCs and extension, or 0 when len cannot hold it
 * (or its padding). */
static uint16_t rtp_header_len(const uint8_t *b, uint16_t len)
{
	uint16_t h = (uint16_t)(RTP_HDR + 4 * (b[0] & 0x0f));
	if (len < h)
		return 0;
	if (b[0] & 0x10) {
		if (len < h + 4)
			return 0;
		h = (uint16_t)(h + 4 + 4 * rd16(b + h + 2));
		if (len < h)
			return 0;
	}
	if ((b[0] & 0x20) && (b[len - 1] == 0 || b[len - 1] > len - h))
		return 0;
	return h;
}

/* A new configuration generation: the next packets may latch again (re-INVITE, new device). */
static void rearm(struct relay *r, struct relay_leg *l, uint32_t gen)
{
	l->seen_gen = gen;
	l->arm_left = r->cfg.latch_packets ? r->cfg.latch_packets : 1;
	l->have_ssrc = false;
	__atomic_store_n(&l->latched, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->rtcp_latched, 0, __ATOMIC_RELAXED);
	relay_media_rx_arm(l);
}

/* Where packets for leg l go: the latched source for a symmetric leg, else its SDP address. */
static uint64_t destination(const struct relay_leg *l)
{
	if (l->symmetric) {
		uint64_t a = __atomic_load_n(&l->latched, __ATOMIC_RELAXED);
		if (a)
			return a;
	}
	return __atomic_load_n(&l->remote, __ATOMIC_RELAXED);
}

/* Hijack guard: a symmetric leg takes a new source only while armed (the first packets after
 * set-up or a change) or after its current source went quiet, and only with the SSRC that is
 * already established. Returns false to drop. */
static bool accept_source(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			  uint64_t src, uint32_t ssrc, uint64_t now)
{
	if (!l->symmetric)
		return true;
	uint64_t cur = __atomic_load_n(&l->latched, __ATOMIC_RELAXED);
	if (cur == src)
		return true;
	if (cur != 0) {
		bool quiet = now - l->last_rx_ns >= (uint64_t)r->cfg.latch_quiet_ms * 1000000u;
		if (!(l->arm_left > 0 || quiet))
			return false;
		if (l->have_ssrc && ssrc != l->ssrc)
			return false;
	}
	__atomic_store_n(&l->latched, src, __ATOMIC_RELAXED);
	relay_ctr_inc(ctr, RELAY_CTR_latched);
	return true;
}

/* Accounts a packet's SSRC; false when it is one SSRC change too many (a storm). */
static bool track_ssrc(struct relay_counters *ctr, struct relay_leg *l, uint32_t ssrc,
		       uint16_t seq, uint64_t now)
{
	if (l->have_ssrc && ssrc == l->ssrc) {
		mc_seq_update(&l->seq, seq);
		return true;
	}
	if (l->have_ssrc) {
		if (now - l->ssrc_window_ns >= 1000000000u) {
			l->ssrc_window_ns = now;
			l->ssrc_changes = 0;
		}
		if (++l->ssrc_changes > RELAY_SSRC_CHANGES_PER_S)
			return false;
		relay_ctr_inc(ctr, RELAY_CTR_ssrc_changes);
	}
	l->have_ssrc = true;
	__atomic_store_n(&l->ssrc, ssrc, __ATOMIC_RELAXED);
	mc_seq_init(&l->seq, seq);
	mc_seq_update(&l->seq, seq);
	mc_jitter_init(&l->jitter);
	return true;
}

/* Rewrites SSRC, sequence number and timestamp so the stream toward the other leg stays one
 * continuous stream when the input changes SSRC (re-INVITE, new device, restarted phone). */
static void rewrite_continuity(struct relay_leg *l, uint8_t *b, uint64_t now)
{
	struct relay_out_stream *o = &l->out;
	uint32_t ssrc = rd32(b + 8);
	uint16_t seq = rd16(b + 2);
	uint32_t ts = rd32(b + 4);
	if (!o->started) {
		o->started = true;
		o->in_ssrc = o->out_ssrc = ssrc;
		o->seq_delta = 0;
		o->ts_delta = 0;
	} else if (o->in_ssrc != ssrc || o->resync) {
		/* A new input SSRC, or a media operation handed the stream back. */
		o->resync = false;
		/* Continue from what was last sent: the next sequence number, and the timestamp
		 * advanced by the wall time since then (at least one tick). */
		uint64_t elapsed = (now - o->last_ns) * l->clock_rate / 1000000000u;
		if (elapsed == 0)
			elapsed = 1;
		o->seq_delta = (uint16_t)(o->last_seq + 1 - seq);
		o->ts_delta = o->last_ts + (uint32_t)elapsed - ts;
		o->in_ssrc = ssrc;
	}
	uint16_t out_seq = (uint16_t)(seq + o->seq_delta);
	uint32_t out_ts = ts + o->ts_delta;
	wr32(b + 8, o->out_ssrc);
	wr16(b + 2, out_seq);
	wr32(b + 4, out_ts);
	if (o->last_ns == 0 || (int16_t)(out_seq - o->last_seq) > 0) {
		o->last_seq = out_seq;
		o->last_ts = out_ts;
	}
	o->last_ns = now;
}

static void update_quality(struct relay_leg *l, uint32_t rtp_ts, uint64_t now)
{
	if (l->clock_rate) {
		mc_jitter_update(&l->jitter, mc_jitter_ns_to_ticks(now, l->clock_rate), rtp_ts);
		__atomic_store_n(&l->jitter_ticks, mc_jitter_value(&l->jitter), __ATOMIC_RELAXED);
	}
	int32_t lost = mc_seq_cumulative_lost(&l->seq);
	__atomic_store_n(&l->lost, (uint64_t)(lost > 0 ? lost : 0), __ATOMIC_RELAXED);
}

static bool srtp_on(const bool *flag)
{
	/* acquire: pairs with relay_srtp_apply's release; the context is complete once seen. */
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

static int rtp_input(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
		     struct relay_leg *peer, uint64_t src, uint8_t *b, uint16_t len, uint16_t cap,
		     uint64_t now, struct relay_fwd *fwd)
{
	relay_ctr_inc(ctr, RELAY_CTR_rtp_rx);
	if (len < RTP_HDR)
		return drop(ctr, l, RELAY_CTR_drop_short);
	if ((b[0] >> 6) != 2)
		return drop(ctr, l, RELAY_CTR_drop_version);
	fwd->body_changed = false;
	/* Authenticate before anything is learnt from the packet (latching, SSRC); the padding
	 * check below needs the plain packet, whose last byte is not the tag's. */
	if (srtp_on(&l->srtp_in_on)) {
		if (!relay_srtp_unprotect(r, ctr, l, b, &len, false))
			return 0;
		fwd->body_changed = true;
	}
	uint16_t hdr_len = rtp_header_len(b, len);
	if (hdr_len == 0)
		return drop(ctr, l, RELAY_CTR_drop_short);
	uint32_t ssrc = rd32(b + 8);
	if (!accept_source(r, ctr, l, src, ssrc, now))
		return drop(ctr, l, RELAY_CTR_drop_unlatched_source);
	if (!track_ssrc(ctr, l, ssrc, rd16(b + 2), now))
		return drop(ctr, l, RELAY_CTR_drop_ssrc_storm);
	if (l->arm_left)
		l->arm_left--;
	add_relaxed(&l->rx_packets, 1);
	add_relaxed(&l->rx_bytes, len);
	__atomic_store_n(&l->last_rx_ns, now, __ATOMIC_RELAXED);
	update_quality(l, rd32(b + 4), now);
	relay_media_rx(r, ctr, l, b, hdr_len, len);	/* DTMF, recording, conference */

	uint64_t dst = destination(peer);
	if (dst == 0)
		return drop(ctr, l, RELAY_CTR_drop_no_remote);
	if (relay_media_replaces(peer)) {
		/* A media operation (prompt, tone, DTMF, conference mix) plays toward the
		 * other leg: it owns that stream now. */
		relay_ctr_inc(ctr, RELAY_CTR_media_replaced);
		return 0;
	}
	fwd->src_ip = r->cfg.public_ip;
	fwd->src_port = peer->local_port;
	fwd->dst_ip = relay_addr_ip(dst);
	fwd->dst_port = relay_addr_port(dst);
	if (relay_xcode_for(l, b[1] & 0x7f)) {
		fwd->from = l;
		fwd->to = peer;
		fwd->hdr_len = hdr_len;
		fwd->len = len;
		relay_ctr_inc(ctr, RELAY_CTR_xcode_in);
		return RELAY_TRANSCODE;
	}
	uint8_t out_pt = __atomic_load_n(&l->pt_out[b[1] & 0x7f], __ATOMIC_RELAXED);
	if (out_pt == RELAY_PT_NONE)
		return drop(ctr, l, RELAY_CTR_drop_payload_type);
	b[1] = (uint8_t)((b[1] & 0x80) | out_pt);
	rewrite_continuity(l, b, now);
	if (srtp_on(&peer->srtp_out_on)) {
		if (!relay_srtp_protect(r, ctr, peer, b, &len, cap, false)) {
			add_relaxed(&l->dropped, 1);	/* the reason is counted by the call */
			return 0;
		}
		fwd->body_changed = true;
	}
	fwd->len = len;
	add_relaxed(&l->fwd_packets, 1);
	add_relaxed(&l->fwd_bytes, len);
	relay_ctr_inc(ctr, RELAY_CTR_rtp_fwd);
	return RELAY_FORWARD;
}

static int rtcp_input(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
		      struct relay_leg *peer, uint32_t src_ip, uint64_t src, uint8_t *b,
		      uint16_t len, uint16_t cap, struct relay_fwd *fwd)
{
	relay_ctr_inc(ctr, RELAY_CTR_rtcp_rx);
	if (len < RTCP_HDR)
		return drop(ctr, l, RELAY_CTR_drop_short);
	if ((b[0] >> 6) != 2)
		return drop(ctr, l, RELAY_CTR_drop_version);
	fwd->body_changed = false;
	if (srtp_on(&l->srtp_in_on)) {
		if (!relay_srtp_unprotect(r, ctr, l, b, &len, true))
			return 0;
		fwd->body_changed = true;
	}
	/* RTCP follows its RTP: from the host the RTP comes from (or the SDP names), any port. */
	if (l->symmetric) {
		uint64_t rtp = destination(l);
		if (rtp && relay_addr_ip(rtp) != src_ip)
			return drop(ctr, l, RELAY_CTR_drop_unlatched_source);
		__atomic_store_n(&l->rtcp_latched, src, __ATOMIC_RELAXED);
	}
	uint64_t dst = peer->symmetric ? __atomic_load_n(&peer->rtcp_latched, __ATOMIC_RELAXED) : 0;
	if (dst == 0) {
		uint64_t rtp = destination(peer);
		if (rtp == 0)
			return drop(ctr, l, RELAY_CTR_drop_no_remote);
		dst = relay_addr_pack(relay_addr_ip(rtp), (uint16_t)(relay_addr_port(rtp) + 1));
	}
	/* The sender's SSRC (SR/RR) follows the SSRC rewriting of its RTP stream. */
	if (l->out.started && rd32(b + 4) == l->out.in_ssrc)
		wr32(b + 4, l->out.out_ssrc);
	if (srtp_on(&peer->srtp_out_on)) {
		if (!relay_srtp_protect(r, ctr, peer, b, &len, cap, true)) {
			add_relaxed(&l->dropped, 1);	/* the reason is counted by the call */
			return 0;
		}
		fwd->body_changed = true;
	}
	fwd->len = len;
	fwd->src_ip = r->cfg.public_ip;
	fwd->src_port = (uint16_t)(peer->local_port + 1);
	fwd->dst_ip = relay_addr_ip(dst);
	fwd->dst_port = relay_addr_port(dst);
	relay_ctr_inc(ctr, RELAY_CTR_rtcp_fwd);
	return RELAY_FORWARD;
}

unsigned relay_transcode(struct relay *r, struct relay_counters *ctr, const struct relay_fwd *fwd,
			 const uint8_t *rtp, uint16_t len, uint64_t now_ns,
			 uint8_t out[][RELAY_XCODE_PKT], uint16_t *out_len)
{
	struct relay_leg *l = fwd->from, *peer = fwd->to;
	struct mc_transcoder *t = relay_xcode_for(l, rtp[1] & 0x7f);
	unsigned n = t ? relay_xcode_input(l, t, rtp, len, fwd->hdr_len, now_ns, out, out_len) : 0;
	unsigned w = 0;
	for (unsigned i = 0; i < n; i++) {
		if (srtp_on(&peer->srtp_out_on) &&
		    !relay_srtp_protect(r, ctr, peer, out[i], &out_len[i], RELAY_XCODE_PKT, false))
			continue;
		if (w != i) {
			memcpy(out[w], out[i], out_len[i]);
			out_len[w] = out_len[i];
		}
		add_relaxed(&l->fwd_packets, 1);
		add_relaxed(&l->fwd_bytes, out_len[w]);
		w++;
	}
	return w;
}

int relay_input(struct relay *r, struct relay_counters *ctr, uint16_t local_port, uint32_t src_ip,
		uint16_t src_port, uint8_t *buf, uint16_t len, uint16_t cap, uint64_t now_ns,
		struct relay_fwd *fwd)
{
	int32_t pair = relay_ports_pair(&r->ports, local_port);
	/* acquire: pairs with the release store that published the leg (relay_session.c). */
	uint32_t id = pair < 0 ? 0 : __atomic_load_n(&r->port_map[pair], __ATOMIC_ACQUIRE);
	if (id == 0)
		return drop(ctr, NULL, RELAY_CTR_drop_unknown_port);
	struct relay_session *s = &r->sessions[(id - 1) / RELAY_LEGS];
	struct relay_leg *l = &s->leg[(id - 1) % RELAY_LEGS];
	struct relay_leg *peer = &s->leg[((id - 1) % RELAY_LEGS) ^ 1];
	if (len > RELAY_MAX_DATAGRAM)
		return drop(ctr, l, RELAY_CTR_drop_oversized);
	/* acquire: pairs with leg_publish_change's release store of gen. */
	uint32_t gen = __atomic_load_n(&l->gen, __ATOMIC_ACQUIRE);
	if (gen != l->seen_gen)
		rearm(r, l, gen);
	__atomic_load_n(&peer->gen, __ATOMIC_ACQUIRE);	/* peer fields read below */
	uint64_t src = relay_addr_pack(src_ip, src_port);
	if ((local_port - r->ports.base) & 1)
		return rtcp_input(r, ctr, l, peer, src_ip, src, buf, len, cap, fwd);
	return rtp_input(r, ctr, l, peer, src, buf, len, cap, now_ns, fwd);
}
