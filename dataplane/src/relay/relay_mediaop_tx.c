/* The main lcore's side of the media operations, run every loop: DTMF reports from the
 * workers become events, due packets are generated and sent, finished operations hand the
 * output stream back to the relay and report it. The stream handover is described in
 * relay_mediaop-t.h. */
#include "relay_mediaop.h"

#include <string.h>

#include <rte_byteorder.h>
#include <rte_random.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "mc_dtmf_inband.h"
#include "mc_encode_path.h"
#include "mc_rfc4733.h"
#include "mc_tone.h"
#include "relay.h"
#include "relay_addr.h"
#include "relay_counters.h"
#include "relay_srtp.h"

#define PKT_CAP 1500

static void put16(uint8_t *p, uint16_t v)
{
	v = rte_cpu_to_be_16(v);
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(p, &v, 4);
}

static struct relay_out_stream *stream_toward(struct relay *r, const struct relay_mediaop *op)
{
	/* The stream toward a leg is kept by the other leg, whose worker relays into it. */
	return &r->sessions[op->session].leg[op->leg ^ 1].out;
}

/* First packet: continue the relay's stream (same SSRC, next sequence number, timestamp
 * advanced by the time since its last packet), or start one. */
void relay_media_adopt(struct relay *r, struct relay_mediaop *op, uint64_t now)
{
	struct relay_out_stream *o = stream_toward(r, op);
	if (o->started) {
		op->st.ssrc = o->out_ssrc;
		op->st.seq = o->last_seq;
		uint64_t elapsed = o->last_ns && now > o->last_ns
					   ? (now - o->last_ns) * op->st.clock_rate / 1000000000u
					   : 0;
		op->st.ts = o->last_ts + (uint32_t)elapsed;
	} else {
		op->st.ssrc = (uint32_t)rte_rand();
		op->st.seq = (uint16_t)rte_rand();
		op->st.ts = (uint32_t)rte_rand();
		o->started = true;
		o->out_ssrc = op->st.ssrc;
		o->in_ssrc = 0;
	}
	op->adopted = true;
}

/* Builds and sends one RTP packet toward the op's leg (SRTP-protected when it uses SRTP). */
void relay_media_send_rtp(struct relay *r, struct relay_mediaop *op, uint8_t pt, bool marker,
			  uint32_t ts, const uint8_t *payload, uint16_t len, uint64_t now,
			  const struct relay_media_io *io)
{
	struct relay_leg *l = &r->sessions[op->session].leg[op->leg];
	struct relay_counters *ctr = relay_lcore_counters(r);
	uint8_t pkt[PKT_CAP];
	if (len > PKT_CAP - 12 - BSRTP_MAX_TRAILER)
		return;
	op->st.seq++;
	pkt[0] = 0x80;
	pkt[1] = (uint8_t)((marker ? 0x80 : 0) | pt);
	put16(pkt + 2, op->st.seq);
	put32(pkt + 4, ts);
	put32(pkt + 8, op->st.ssrc);
	memcpy(pkt + 12, payload, len);
	uint16_t n = (uint16_t)(12 + len);
	/* The relay's record of the stream follows, for the handback. */
	struct relay_out_stream *o = stream_toward(r, op);
	o->last_seq = op->st.seq;
	o->last_ts = ts;
	o->last_ns = now;
	uint64_t dst = l->symmetric ? __atomic_load_n(&l->latched, __ATOMIC_RELAXED) : 0;
	if (!dst)
		dst = __atomic_load_n(&l->remote, __ATOMIC_RELAXED);
	if (!dst)
		return;
	/* acquire: pairs with relay_srtp_apply's release. */
	if (__atomic_load_n(&l->srtp_out_on, __ATOMIC_ACQUIRE) &&
	    !relay_srtp_protect(r, ctr, l, pkt, &n, PKT_CAP, false))
		return;
	struct relay_fwd fwd = { .src_ip = r->cfg.public_ip, .src_port = l->local_port,
				 .dst_ip = relay_addr_ip(dst), .dst_port = relay_addr_port(dst),
				 .len = n };
	relay_ctr_inc(ctr, RELAY_CTR_media_packets);
	if (io->send)
		io->send(io->send_arg, &fwd, pkt, n);
}

/* One packet of audio from the op's source; false when the source has ended. */
static bool audio_packet(struct relay *r, struct relay_mediaop *op, uint64_t now,
			 const struct relay_media_io *io)
{
	int16_t pcm[MC_MAX_PCM_SAMPLES];
	size_t want = op->frame_samples < MC_MAX_PCM_SAMPLES ? op->frame_samples
							      : MC_MAX_PCM_SAMPLES;
	size_t got = 0;
	if (op->kind == RELAY_MEDIAOP_PLAY) {
		got = mc_prompt_read(&op->cursor, pcm, want);
	} else if (op->kind == RELAY_MEDIAOP_TONE) {
		if (op->end_ns && now >= op->end_ns)
			return false;
		got = mc_tone_gen_read(&op->tone, pcm, want);
	} else {
		int n = mc_dtmf_generator_read(op->dtmf_gen, pcm, want);
		got = n > 0 ? (size_t)n : 0;
	}
	if (got == 0)
		return false;
	memset(pcm + got, 0, (want - got) * sizeof(pcm[0]));	/* the last packet's tail */
	struct mc_encoded_frame f[2];
	int nf = mc_encode_path_push(op->enc, pcm, want, f, 2);
	for (int i = 0; i < nf; i++) {
		op->st.ts += op->st.ticks_per_packet;
		relay_media_send_rtp(r, op, op->st.pt, !op->marker_sent, op->st.ts, f[i].payload,
				     f[i].len, now, io);
		op->marker_sent = true;
	}
	return true;
}

/* Digit i's length, cut to what one train holds at the op's ptime. */
static uint32_t digit_ms(const struct relay_mediaop *op, uint8_t i)
{
	uint32_t ms = op->digit_ms[i] ? op->digit_ms[i] : RELAY_MEDIA_DTMF_ON_MS;
	uint32_t fits = (RELAY_MEDIA_MAX_TRAIN - MC_RFC4733_END_REPEATS) * op->ptime_ms;
	uint32_t field = (uint32_t)(0xffffull * 1000 / op->te_rate);	/* 16-bit duration */
	ms = ms < fits ? ms : fits;
	return ms < field ? ms : field;
}

/* The next RFC 4733 packet; false once every digit was sent. */
static bool dtmf_packet(struct relay *r, struct relay_mediaop *op, uint64_t now,
			const struct relay_media_io *io)
{
	if (op->train_i >= op->train_n) {
		char digit = op->digits[op->digit_i];
		if (!digit)
			return false;
		uint32_t ms = digit_ms(op, op->digit_i);
		op->digit_i++;
		uint32_t start = op->st.ts + op->st.ticks_per_packet;
		int n = mc_rfc4733_train(digit, ms, 10, op->te_rate, op->ptime_ms, start, op->train,
					 RELAY_MEDIA_MAX_TRAIN);
		if (n <= 0)
			return op->digits[op->digit_i] != '\0';
		op->train_n = (uint8_t)n;
		op->train_i = 0;
		op->train_start_ns = now;
	}
	const struct mc_rfc4733_packet *p = &op->train[op->train_i];
	if (now < op->train_start_ns + (uint64_t)p->offset_ms * 1000000u) {
		op->next_ns = op->train_start_ns + (uint64_t)p->offset_ms * 1000000u;
		return true;
	}
	relay_media_send_rtp(r, op, op->te_pt, p->marker, p->ts, p->payload,
			     MC_RFC4733_PAYLOAD_LEN, now, io);
	op->train_i++;
	if (op->train_i == op->train_n) {
		/* The stream's clock moves past the event; the next digit starts after a pause. */
		op->st.ts = p->ts + op->te_rate * digit_ms(op, (uint8_t)(op->digit_i - 1)) / 1000;
		op->next_ns = now + (uint64_t)RELAY_MEDIA_DTMF_OFF_MS * 1000000u;
	} else {
		op->next_ns = op->train_start_ns +
			      (uint64_t)op->train[op->train_i].offset_ms * 1000000u;
	}
	return true;
}

static void emit_finished(struct relay *r, const struct relay_mediaop *op, bool interrupted,
			  const struct relay_media_io *io)
{
	if (!io->emit || op->kind == RELAY_MEDIAOP_DTMF_RTP ||
	    op->kind == RELAY_MEDIAOP_DTMF_INBAND || op->kind == RELAY_MEDIAOP_CONFERENCE)
		return;
	const struct relay_session *s = &r->sessions[op->session];
	bugle_dp_Event ev = bugle_dp_Event_init_zero;
	ev.kind = bugle_dp_EventKind_EVENT_PLAYBACK_FINISHED;
	snprintf(ev.call_id, sizeof(ev.call_id), "%s", s->call_id);
	snprintf(ev.leg_tag, sizeof(ev.leg_tag), "%s", s->leg[op->leg].tag);
	ev.op_id = op->op_id;
	ev.interrupted = interrupted;
	io->emit(io->emit_arg, &ev);
}

/* Ends ops[i] (moving the last one into its place). */
static void finish(struct relay *r, uint32_t i, bool interrupted, const struct relay_media_io *io)
{
	struct relay_media *m = r->media;
	struct relay_mediaop *op = &m->ops[i];
	struct relay_session *s = &r->sessions[op->session];
	if (!op->replaced) {
		if (s->state == RELAY_SESSION_LIVE) {
			if (op->adopted)
				stream_toward(r, op)->resync = true;
			emit_finished(r, op, interrupted, io);
		}
		/* release: the worker that sees 0 sees the stream as the op left it. */
		__atomic_store_n(&s->leg[op->leg].media_out, 0, __ATOMIC_RELEASE);
	} else if (s->state == RELAY_SESSION_LIVE) {
		emit_finished(r, op, true, io);
	}
	if (op->kind == RELAY_MEDIAOP_CONFERENCE)
		relay_media_conf_leave(r, op);
	relay_mediaop_release(op);
	if (i + 1 < m->n_ops)
		*op = m->ops[m->n_ops - 1];
	m->n_ops--;
}

static unsigned collect_reports(struct relay *r, const struct relay_media_io *io)
{
	struct relay_media_report rep[32];
	/* Single consumer: the main lcore; acquire by the ring pairs with the worker's enqueue. */
	unsigned n = rte_ring_sc_dequeue_burst_elem(r->media->ring, rep, sizeof(rep[0]), 32, NULL);
	for (unsigned i = 0; i < n; i++) {
		uint32_t session = rep[i].leg_id / RELAY_LEGS;
		uint8_t leg = (uint8_t)(rep[i].leg_id % RELAY_LEGS);
		if (session >= r->cfg.max_sessions ||
		    r->sessions[session].state != RELAY_SESSION_LIVE)
			continue;
		const struct relay_session *s = &r->sessions[session];
		struct relay_mediaop *op = relay_media_find(r, session, leg);
		bool stops = op && op->kind == RELAY_MEDIAOP_PLAY && rep[i].digit &&
			     strchr(op->stop_digits, rep[i].digit);
		if (stops)
			op->stop_requested = true;
		relay_media_translate(r, session, leg, rep[i].digit, rep[i].duration_ms);
		if (!io->emit)
			continue;
		bugle_dp_Event ev = bugle_dp_Event_init_zero;
		ev.kind = bugle_dp_EventKind_EVENT_DTMF;
		snprintf(ev.call_id, sizeof(ev.call_id), "%s", s->call_id);
		snprintf(ev.leg_tag, sizeof(ev.leg_tag), "%s", s->leg[leg].tag);
		ev.digit[0] = rep[i].digit;
		ev.duration_ms = rep[i].duration_ms;
		ev.op_id = stops ? op->op_id : 0;
		io->emit(io->emit_arg, &ev);
	}
	return n;
}

unsigned relay_media_tick(struct relay *r, uint64_t now_ns, const struct relay_media_io *io)
{
	struct relay_media *m = r->media;
	m->now_ns = now_ns;
	unsigned work = collect_reports(r, io) + relay_media_rec_tick(r, now_ns, io) +
			relay_media_conf_tick(r, now_ns, io);
	for (uint32_t i = 0; i < m->n_ops;) {
		struct relay_mediaop *op = &m->ops[i];
		if (op->stop_requested || r->sessions[op->session].state != RELAY_SESSION_LIVE) {
			finish(r, i, true, io);
			work++;
			continue;
		}
		bool more = true;
		if (op->kind == RELAY_MEDIAOP_CONFERENCE) {
			i++;	/* paced by its conference's mixer (relay_mediaop_conf.c) */
			continue;
		}
		if (now_ns >= op->next_ns && now_ns - op->next_ns > RELAY_MEDIA_LAG_NS)
			op->next_ns = now_ns;	/* the main lcore stalled: do not burst the backlog */
		for (unsigned k = 0; more && k < RELAY_MEDIA_BURST && now_ns >= op->next_ns; k++) {
			if (!op->adopted)
				relay_media_adopt(r, op, now_ns);
			if (op->kind == RELAY_MEDIAOP_DTMF_RTP) {
				more = dtmf_packet(r, op, now_ns, io);
			} else {
				more = audio_packet(r, op, now_ns, io);
				op->next_ns += (uint64_t)op->ptime_ms * 1000000u;
			}
			work++;
		}
		if (!more) {
			finish(r, i, false, io);
			continue;
		}
		i++;
	}
	return work;
}
