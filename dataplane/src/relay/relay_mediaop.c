/* Starting and stopping media operations on the main lcore: the request is checked, the prompt
 * loaded and the encoder created here (they allocate and read files), so the tick that sends the
 * packets never does either. */
#include "relay_mediaop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>
#include <pb_encode.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "mc_codec.h"
#include "mc_dtmf_inband.h"
#include "mc_encode_path.h"
#include "mc_rfc4733.h"
#include "mc_tone.h"
#include "relay.h"
#include "relay_codecs.h"
#include "relay_counters.h"
#include "relay_index.h"

int relay_media_new(struct relay *r, char *err, size_t err_cap)
{
	struct relay_media *m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, err_cap, "out of memory for media operations");
		return -ENOMEM;
	}
	r->media = m;
	if (r->cfg.media_dir && strlen(r->cfg.media_dir) >= sizeof(m->dir)) {
		snprintf(err, err_cap, "media.directory is longer than %zu bytes", sizeof(m->dir) - 1);
		return -ENAMETOOLONG;
	}
	snprintf(m->dir, sizeof(m->dir), "%s", r->cfg.media_dir ? r->cfg.media_dir : "");
	m->ops = calloc(RELAY_MEDIA_MAX_OPS, sizeof(*m->ops));
	ssize_t sz = rte_ring_get_memsize_elem(sizeof(struct relay_media_report), RELAY_MEDIA_RING);
	m->ring_mem = sz > 0 ? aligned_alloc(RTE_CACHE_LINE_SIZE,
					     RTE_ALIGN_CEIL((size_t)sz, RTE_CACHE_LINE_SIZE))
			     : NULL;
	/* A ring in our own memory needs no EAL memzone (tests and tools run without EAL). */
	if (!m->ops || !m->ring_mem ||
	    rte_ring_init(m->ring_mem, "relay_media", RELAY_MEDIA_RING, RING_F_SC_DEQ) != 0) {
		snprintf(err, err_cap, "out of memory for media operations");
		return -ENOMEM;
	}
	m->ring = m->ring_mem;
	sz = rte_ring_get_memsize_elem(sizeof(struct relay_media_chunk), RELAY_MEDIA_REC_RING);
	m->rec_ring_mem = sz > 0 ? aligned_alloc(RTE_CACHE_LINE_SIZE,
						 RTE_ALIGN_CEIL((size_t)sz, RTE_CACHE_LINE_SIZE))
				 : NULL;
	m->recs = calloc(RELAY_MEDIA_MAX_RECORDINGS, sizeof(*m->recs));
	if (!m->recs || !m->rec_ring_mem ||
	    rte_ring_init(m->rec_ring_mem, "relay_record", RELAY_MEDIA_REC_RING, RING_F_SC_DEQ)) {
		snprintf(err, err_cap, "out of memory for recordings");
		return -ENOMEM;
	}
	m->rec_ring = m->rec_ring_mem;
	sz = rte_ring_get_memsize_elem(sizeof(struct relay_media_packet), RELAY_MEDIA_CONF_RING);
	m->conf_ring_mem = sz > 0 ? aligned_alloc(RTE_CACHE_LINE_SIZE,
						  RTE_ALIGN_CEIL((size_t)sz, RTE_CACHE_LINE_SIZE))
				  : NULL;
	m->confs = calloc(RELAY_MEDIA_MAX_CONFS, sizeof(*m->confs));
	m->conf_taps = calloc(RELAY_MEDIA_MAX_OPS, sizeof(*m->conf_taps));
	if (!m->confs || !m->conf_taps || !m->conf_ring_mem ||
	    rte_ring_init(m->conf_ring_mem, "relay_conf", RELAY_MEDIA_CONF_RING, RING_F_SC_DEQ)) {
		snprintf(err, err_cap, "out of memory for conferences");
		return -ENOMEM;
	}
	m->conf_ring = m->conf_ring_mem;
	m->next_op_id = 1;
	return 0;
}

void relay_mediaop_release(struct relay_mediaop *op)
{
	mc_encode_path_destroy(op->enc);
	mc_prompt_free(op->prompt);
	mc_dtmf_generator_destroy(op->dtmf_gen);
	op->enc = NULL;
	op->prompt = NULL;
	op->dtmf_gen = NULL;
}

void relay_media_free(struct relay *r)
{
	struct relay_media *m = r->media;
	if (!m)
		return;
	for (uint32_t i = 0; m->ops && i < m->n_ops; i++)
		relay_mediaop_release(&m->ops[i]);
	relay_media_rec_free(r);
	relay_media_conf_free(r);
	free(m->confs);
	free(m->conf_taps);
	free(m->conf_ring_mem);
	free(m->recs);
	free(m->rec_ring_mem);
	free(m->ops);
	free(m->ring_mem);
	free(m);
	r->media = NULL;
}

bool relay_media_file_ok(const char *name)
{
	return name[0] != '\0' && name[0] != '.' && !strchr(name, '/') && !strchr(name, '\\') &&
	       !strstr(name, "..");
}

static const struct relay_codec *first_audio(const struct relay_leg *l)
{
	for (uint8_t i = 0; i < l->n_codecs; i++)
		if (l->codecs[i].codec != bugle_dp_Codec_CODEC_TELEPHONE_EVENT)
			return &l->codecs[i];
	return NULL;
}

static const struct relay_codec *telephone_event(const struct relay_leg *l)
{
	for (uint8_t i = 0; i < l->n_codecs; i++)
		if (l->codecs[i].codec == bugle_dp_Codec_CODEC_TELEPHONE_EVENT)
			return &l->codecs[i];
	return NULL;
}

struct relay_mediaop *relay_media_find(struct relay *r, uint32_t session, uint8_t leg)
{
	struct relay_media *m = r->media;
	for (uint32_t i = 0; i < m->n_ops; i++)
		if (m->ops[i].session == session && m->ops[i].leg == leg && !m->ops[i].replaced)
			return &m->ops[i];
	return NULL;
}

/* The leg's audio codec and the encoder that feeds it: the stream's PT, clock and ptime. */
static int setup_audio(struct relay_mediaop *op, const struct relay_leg *l, char *err,
		       size_t err_cap, const struct mc_codec_desc **desc_out)
{
	const struct relay_codec *c = first_audio(l);
	const struct mc_codec_desc *d =
		c ? mc_codec_find(relay_codec_name(c->codec), c->clock_rate) : NULL;
	if (!d) {
		snprintf(err, err_cap, "leg %s has no audio codec to play in", l->tag);
		return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
	}
	op->ptime_ms = c->ptime_ms ? c->ptime_ms : 20;
	op->frame_samples = d->sample_rate * op->ptime_ms / 1000;
	op->st.pt = c->pt;
	op->st.clock_rate = c->clock_rate;
	op->st.ticks_per_packet = c->clock_rate * op->ptime_ms / 1000;
	struct mc_encode_path_cfg ec = { .codec = d, .in_rate = d->sample_rate,
					 .ptime_ms = op->ptime_ms, .resample_quality = -1 };
	op->enc = mc_encode_path_create(&ec);
	if (!op->enc) {
		snprintf(err, err_cap, "cannot create a %s encoder for leg %s", d->name, l->tag);
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	*desc_out = d;
	return bugle_dp_Status_STATUS_OK;
}

static int start_play(struct relay *r, struct relay_mediaop *op, const struct relay_leg *l,
		      const bugle_dp_MediaOpRequest *req, char *err, size_t err_cap)
{
	if (!relay_media_file_ok(req->file)) {
		snprintf(err, err_cap, "bad prompt file name '%s': a name in the media directory "
			 "is expected (no '/', no '..')", req->file);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	if (!r->media->dir[0]) {
		snprintf(err, err_cap, "media.directory is not set");
		return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
	}
	for (const char *d = req->digits; *d; d++) {
		if (mc_dtmf_event_from_digit(*d) < 0) {
			snprintf(err, err_cap, "'%c' is not a DTMF digit", *d);
			return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
		}
	}
	const struct mc_codec_desc *d;
	int st = setup_audio(op, l, err, err_cap, &d);
	if (st)
		return st;
	char path[RELAY_MEDIA_DIR_MAX + 300];
	snprintf(path, sizeof(path), "%s/%s", r->media->dir, req->file);
	char why[160] = "";
	op->prompt = mc_prompt_load(path, d->sample_rate, why, sizeof(why));
	if (!op->prompt) {
		snprintf(err, err_cap, "cannot play '%s': %s", req->file, why);
		return bugle_dp_Status_STATUS_NOT_FOUND;
	}
	mc_prompt_cursor_init(&op->cursor, op->prompt);
	snprintf(op->stop_digits, sizeof(op->stop_digits), "%s", req->digits);
	op->kind = RELAY_MEDIAOP_PLAY;
	return bugle_dp_Status_STATUS_OK;
}

static int start_tone(struct relay_mediaop *op, const struct relay_leg *l,
		      const bugle_dp_MediaOpRequest *req, uint64_t now, char *err, size_t err_cap)
{
	struct mc_tone_spec spec;
	char why[128] = "";
	if (mc_tone_preset(req->tone, &spec) < 0 &&
	    mc_tone_parse(req->tone, &spec, why, sizeof(why)) < 0) {
		snprintf(err, err_cap, "bad tone '%s': %s", req->tone, why);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	const struct mc_codec_desc *d;
	int st = setup_audio(op, l, err, err_cap, &d);
	if (st)
		return st;
	if (mc_tone_gen_init(&op->tone, &spec, d->sample_rate, RELAY_MEDIA_TONE_AMPLITUDE) < 0) {
		snprintf(err, err_cap, "tone '%s' cannot be played at %u Hz", req->tone,
			 d->sample_rate);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	op->end_ns = req->duration_ms ? now + RELAY_MEDIA_HANDOVER_NS +
						(uint64_t)req->duration_ms * 1000000u
				      : 0;
	op->kind = RELAY_MEDIAOP_TONE;
	return bugle_dp_Status_STATUS_OK;
}

static int start_dtmf(struct relay_mediaop *op, const struct relay_leg *l,
		      const bugle_dp_MediaOpRequest *req, char *err, size_t err_cap)
{
	if (!req->digits[0]) {
		snprintf(err, err_cap, "DTMF_SEND needs digits");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	for (const char *d = req->digits; *d; d++) {
		if (mc_dtmf_event_from_digit(*d) < 0) {
			snprintf(err, err_cap, "'%c' is not a DTMF digit", *d);
			return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
		}
	}
	snprintf(op->digits, sizeof(op->digits), "%s", req->digits);
	uint32_t on_ms = relay_media_dtmf_ms(req->duration_ms);
	for (size_t i = 0; i < sizeof(op->digit_ms) / sizeof(op->digit_ms[0]); i++)
		op->digit_ms[i] = (uint16_t)on_ms;
	const struct mc_codec_desc *d;
	int st = setup_audio(op, l, err, err_cap, &d);
	if (st)
		return st;
	const struct relay_codec *te = telephone_event(l);
	if (te) {
		op->kind = RELAY_MEDIAOP_DTMF_RTP;
		op->te_pt = te->pt;
		op->te_rate = te->clock_rate ? te->clock_rate : 8000;
		return bugle_dp_Status_STATUS_OK;
	}
	/* No telephone-event on the leg: the digits go in-band, as tones in its codec. */
	op->dtmf_gen = mc_dtmf_generator_create(d->sample_rate);
	if (!op->dtmf_gen || mc_dtmf_generator_queue(op->dtmf_gen, req->digits, on_ms,
						     RELAY_MEDIA_DTMF_OFF_MS) < 0) {
		snprintf(err, err_cap, "cannot generate in-band DTMF for leg %s", l->tag);
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	op->kind = RELAY_MEDIAOP_DTMF_INBAND;
	return bugle_dp_Status_STATUS_OK;
}

uint32_t relay_media_dtmf_ms(uint32_t ms)
{
	if (ms == 0)
		return RELAY_MEDIA_DTMF_ON_MS;
	return ms < RELAY_MEDIA_DTMF_MIN_MS ? RELAY_MEDIA_DTMF_MIN_MS
					    : (ms > RELAY_MEDIA_DTMF_MAX_MS ? RELAY_MEDIA_DTMF_MAX_MS : ms);
}

bool relay_media_leg_has_te(const struct relay_leg *l)
{
	return telephone_event(l) != NULL;
}

int relay_media_legs(struct relay *r, const bugle_dp_MediaOpRequest *req, bool star_is_both,
		     uint32_t *session, uint8_t *legs, char *err, size_t err_cap)
{
	int32_t idx = relay_index_find(&r->index, r->sessions, req->call_id);
	if (idx < 0 || r->sessions[idx].state != RELAY_SESSION_LIVE) {
		snprintf(err, err_cap, "no session '%s'", req->call_id);
		return bugle_dp_Status_STATUS_NOT_FOUND;
	}
	const struct relay_session *s = &r->sessions[idx];
	bool both = star_is_both && strcmp(req->leg_tag, "*") == 0;
	*session = (uint32_t)idx;
	*legs = 0;
	for (uint8_t k = 0; k < RELAY_LEGS; k++) {
		bool exists = k == 0 || s->answered;
		if (exists && (both || (req->leg_tag[0] && strcmp(s->leg[k].tag, req->leg_tag) == 0)))
			*legs |= (uint8_t)(1u << k);
	}
	if (*legs)
		return bugle_dp_Status_STATUS_OK;
	snprintf(err, err_cap, "session '%s' has no leg '%s'%s", req->call_id, req->leg_tag,
		 star_is_both ? " (\"*\": both legs)" : "");
	return bugle_dp_Status_STATUS_NOT_FOUND;
}

/* The one leg an operation names (the first, should both legs carry the tag). */
static int find_leg(struct relay *r, const bugle_dp_MediaOpRequest *req, uint32_t *session,
		    uint8_t *leg, char *err, size_t err_cap)
{
	uint8_t legs;
	int st = relay_media_legs(r, req, false, session, &legs, err, err_cap);
	if (st == bugle_dp_Status_STATUS_OK)
		*leg = (uint8_t)__builtin_ctz(legs);
	return st;
}

static int start(struct relay *r, const bugle_dp_MediaOpRequest *req, uint32_t session,
		 uint8_t leg, uint64_t now, char *err, size_t err_cap)
{
	struct relay_media *m = r->media;
	if (m->n_ops >= RELAY_MEDIA_MAX_OPS) {
		snprintf(err, err_cap, "too many media operations (%u)", RELAY_MEDIA_MAX_OPS);
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	struct relay_leg *l = &r->sessions[session].leg[leg];
	struct relay_mediaop *op = &m->ops[m->n_ops];
	memset(op, 0, sizeof(*op));
	op->session = session;
	op->leg = leg;
	op->op_id = req->op_id;
	int st;
	if (req->kind == bugle_dp_MediaOpKind_MEDIA_OP_PLAY)
		st = start_play(r, op, l, req, err, err_cap);
	else if (req->kind == bugle_dp_MediaOpKind_MEDIA_OP_TONE)
		st = start_tone(op, l, req, now, err, err_cap);
	else if (req->kind == bugle_dp_MediaOpKind_MEDIA_OP_CONFERENCE_JOIN)
		st = relay_media_conf_join(r, op, l, req, err, err_cap);
	else
		st = start_dtmf(op, l, req, err, err_cap);
	if (st) {
		relay_mediaop_release(op);
		return st;
	}
	/* One operation per leg: the one running ends (interrupted) and hands its place in the
	 * stream to the new one, which needs no new handover. */
	struct relay_mediaop *old = relay_media_find(r, session, leg);
	if (old && old->adopted) {
		op->adopted = true;
		op->st.ssrc = old->st.ssrc;
		op->st.seq = old->st.seq;
		op->st.ts = old->st.ts;
		op->next_ns = old->next_ns > now ? old->next_ns : now;
	} else {
		op->next_ns = old ? old->next_ns : now + RELAY_MEDIA_HANDOVER_NS;
	}
	if (old) {
		old->stop_requested = true;
		old->replaced = true;
	}
	/* release: pairs with the worker's acquire in relay_media_replaces. */
	__atomic_store_n(&l->media_out, 1, __ATOMIC_RELEASE);
	m->n_ops++;
	relay_ctr_inc(relay_lcore_counters(r), RELAY_CTR_media_ops);
	return bugle_dp_Status_STATUS_OK;
}

struct relay_mediaop *relay_media_dtmf_start(struct relay *r, uint32_t session, uint8_t leg,
					     const char *digits, uint32_t on_ms, uint64_t now,
					     char *err, size_t err_cap)
{
	bugle_dp_MediaOpRequest req = bugle_dp_MediaOpRequest_init_zero;
	req.kind = bugle_dp_MediaOpKind_MEDIA_OP_DTMF_SEND;
	snprintf(req.digits, sizeof(req.digits), "%s", digits);
	req.duration_ms = on_ms;
	if (start(r, &req, session, leg, now, err, err_cap) != bugle_dp_Status_STATUS_OK)
		return NULL;
	return &r->media->ops[r->media->n_ops - 1];
}

int relay_media_op(struct relay *r, const bugle_dp_MediaOpRequest *req, uint64_t now_ns,
		   char *err, size_t err_cap)
{
	r->media->now_ns = now_ns;
	if (req->kind == bugle_dp_MediaOpKind_MEDIA_OP_RECORD_START ||
	    req->kind == bugle_dp_MediaOpKind_MEDIA_OP_RECORD_STOP)
		return relay_media_record(r, req, now_ns, err, err_cap);
	uint32_t session;
	uint8_t leg;
	int st = find_leg(r, req, &session, &leg, err, err_cap);
	if (st)
		return st;
	switch (req->kind) {
	case bugle_dp_MediaOpKind_MEDIA_OP_PLAY:
	case bugle_dp_MediaOpKind_MEDIA_OP_TONE:
	case bugle_dp_MediaOpKind_MEDIA_OP_DTMF_SEND:
	case bugle_dp_MediaOpKind_MEDIA_OP_CONFERENCE_JOIN:
		return start(r, req, session, leg, now_ns, err, err_cap);
	case bugle_dp_MediaOpKind_MEDIA_OP_STOP: {
		/* Stopping a leg that plays nothing is not an error: the prompt may just have
		 * ended (its event is on the way). */
		struct relay_mediaop *op = relay_media_find(r, session, leg);
		if (op)
			op->stop_requested = true;
		return bugle_dp_Status_STATUS_OK;
	}
	case bugle_dp_MediaOpKind_MEDIA_OP_CONFERENCE_LEAVE: {
		struct relay_mediaop *op = relay_media_find(r, session, leg);
		if (op && op->kind == RELAY_MEDIAOP_CONFERENCE)
			op->stop_requested = true;
		return bugle_dp_Status_STATUS_OK;
	}
	default:
		snprintf(err, err_cap, "unknown media operation %d", (int)req->kind);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
}

RELAY_CTL_HANDLER(relay_ctl_media_op)
{
	bugle_dp_MediaOpRequest in = bugle_dp_MediaOpRequest_init_zero;
	pb_istream_t is = pb_istream_from_buffer(req, req_len);
	if (!pb_decode(&is, bugle_dp_MediaOpRequest_fields, &in)) {
		snprintf(err, err_cap, "bad request: %s", PB_GET_ERROR(&is));
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	if (in.op_id == 0)
		in.op_id = r->media->next_op_id++;
	int st = relay_media_op(r, &in, relay_clock_ns(r), err, err_cap);
	if (st)
		return st;
	bugle_dp_MediaOpReply out = { .op_id = in.op_id };
	pb_ostream_t os = pb_ostream_from_buffer(resp, resp_cap);
	if (!pb_encode(&os, bugle_dp_MediaOpReply_fields, &out)) {
		snprintf(err, err_cap, "reply does not fit: %s", PB_GET_ERROR(&os));
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	*resp_len = os.bytes_written;
	return bugle_dp_Status_STATUS_OK;
}
