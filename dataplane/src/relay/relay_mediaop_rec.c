/* Recordings on the main lcore: the WAV file is opened and written here, never on a worker.
 * A recorded leg's worker hands decoded audio over the record ring (relay_mediaop_rx.c); this
 * file writes it, one channel per leg when both legs are recorded. The two legs' audio arrives
 * independently, so each channel waits in a FIFO for the other; a side that falls more than
 * RELAY_MEDIA_REC_SKEW_MS behind is silent and its channel is padded. */
#include "relay_mediaop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "mc_codec.h"
#include "mc_decode_path.h"
#include "relay.h"
#include "relay_codecs.h"
#include "relay_counters.h"
#include "relay_index.h"

#define SLOT_BITS 10	/* RELAY_MEDIA_MAX_RECORDINGS = 1 << SLOT_BITS */

_Static_assert(RELAY_MEDIA_MAX_RECORDINGS == 1u << SLOT_BITS, "recording slot bits");

static const struct relay_codec *first_audio(const struct relay_leg *l)
{
	for (uint8_t i = 0; i < l->n_codecs; i++)
		if (l->codecs[i].codec != bugle_dp_Codec_CODEC_TELEPHONE_EVENT)
			return &l->codecs[i];
	return NULL;
}

static const struct mc_codec_desc *desc_of(const struct relay_leg *l)
{
	const struct relay_codec *c = first_audio(l);
	return c ? mc_codec_find(relay_codec_name(c->codec), c->clock_rate) : NULL;
}

static void free_taps(struct relay_recording *rec)
{
	for (unsigned k = 0; k < 2; k++) {
		mc_decode_path_destroy(rec->tap[k].dec);
		rec->tap[k].dec = NULL;
		free(rec->fifo[k]);
		rec->fifo[k] = NULL;
	}
}

/* Writes what both channels have, or everything (padded) when all is set or one side is
 * silent for too long. */
static void flush(struct relay *r, struct relay_recording *rec, bool all)
{
	uint32_t a = rec->fifo_n[0], b = rec->fifo_n[1];
	uint32_t n = a < b ? a : b, most = a > b ? a : b;
	if (all || most > rec->rate * RELAY_MEDIA_REC_SKEW_MS / 1000)
		n = most;
	if (n == 0)
		return;
	for (unsigned k = 0; k < 2; k++)
		if (rec->fifo_n[k] < n)
			memset(rec->fifo[k] + rec->fifo_n[k], 0,
			       (n - rec->fifo_n[k]) * sizeof(int16_t));
	if (mc_recorder_write(rec->w, rec->fifo[0], rec->fifo[1], n) < 0)
		relay_ctr_inc(relay_lcore_counters(r), RELAY_CTR_drop_record_write);
	rec->samples += n;
	for (unsigned k = 0; k < 2; k++) {
		uint32_t left = rec->fifo_n[k] > n ? rec->fifo_n[k] - n : 0;
		memmove(rec->fifo[k], rec->fifo[k] + n, left * sizeof(int16_t));
		rec->fifo_n[k] = left;
	}
}

static void write_chunk(struct relay *r, struct relay_recording *rec,
			const struct relay_media_chunk *c)
{
	if (rec->channels == 1) {
		if (mc_recorder_write(rec->w, c->pcm, NULL, c->n) < 0)
			relay_ctr_inc(relay_lcore_counters(r), RELAY_CTR_drop_record_write);
		rec->samples += c->n;
		return;
	}
	unsigned k = c->channel & 1;
	if (rec->fifo_n[k] + c->n > rec->fifo_cap)
		flush(r, rec, true);
	memcpy(rec->fifo[k] + rec->fifo_n[k], c->pcm, c->n * sizeof(int16_t));
	rec->fifo_n[k] += c->n;
	flush(r, rec, false);
}

/* Unpublishes the taps; the decoders are freed after the grace period. */
static void begin_close(struct relay *r, struct relay_recording *rec, uint64_t now)
{
	struct relay_session *s = &r->sessions[rec->session];
	for (unsigned k = 0; k < RELAY_LEGS; k++)
		if (rec->legs & (1u << k))
			__atomic_store_n(&s->leg[k].rec_tap, NULL, __ATOMIC_RELEASE);
	rec->closing = true;
	rec->close_ns = now + RELAY_MEDIA_TAP_GRACE_NS;
}

static void finish(struct relay *r, struct relay_recording *rec, const struct relay_media_io *io)
{
	if (rec->channels == 2)
		flush(r, rec, true);
	mc_recorder_close(rec->w);
	free_taps(rec);
	if (io && io->emit) {
		bugle_dp_Event ev = bugle_dp_Event_init_zero;
		ev.kind = bugle_dp_EventKind_EVENT_RECORD_FINISHED;
		snprintf(ev.call_id, sizeof(ev.call_id), "%s", rec->call_id);
		snprintf(ev.leg_tag, sizeof(ev.leg_tag), "%s", rec->tag);
		ev.op_id = rec->op_id;
		ev.duration_ms = (uint32_t)(rec->samples * 1000 / rec->rate);
		io->emit(io->emit_arg, &ev);
	}
	memset(rec, 0, sizeof(*rec));
}

static int start(struct relay *r, const bugle_dp_MediaOpRequest *req, uint32_t session,
		 uint8_t legs, char *err, size_t err_cap)
{
	struct relay_media *m = r->media;
	struct relay_session *s = &r->sessions[session];
	if (!relay_media_file_ok(req->file)) {
		snprintf(err, err_cap, "bad recording file name '%s': a name in the media "
			 "directory is expected (no '/', no '..')", req->file);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	if (!m->dir[0]) {
		snprintf(err, err_cap, "media.directory is not set");
		return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
	}
	uint32_t rate = 0;
	for (unsigned k = 0; k < RELAY_LEGS; k++) {
		if (!(legs & (1u << k)))
			continue;
		if (s->leg[k].rec_tap) {
			snprintf(err, err_cap, "leg %s is already recorded", s->leg[k].tag);
			return bugle_dp_Status_STATUS_ALREADY_EXISTS;
		}
		const struct mc_codec_desc *d = desc_of(&s->leg[k]);
		if (!d) {
			snprintf(err, err_cap, "leg %s has no audio codec to record", s->leg[k].tag);
			return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
		}
		rate = d->sample_rate > rate ? d->sample_rate : rate;
	}
	uint32_t slot = 0;
	while (slot < RELAY_MEDIA_MAX_RECORDINGS && m->recs[slot].used)
		slot++;
	if (slot == RELAY_MEDIA_MAX_RECORDINGS) {
		snprintf(err, err_cap, "too many recordings (%u)", RELAY_MEDIA_MAX_RECORDINGS);
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	struct relay_recording *rec = &m->recs[slot];
	memset(rec, 0, sizeof(*rec));
	rec->channels = legs == 3 ? 2 : 1;
	rec->rate = rate;
	char path[RELAY_MEDIA_DIR_MAX + 300], why[160] = "";
	snprintf(path, sizeof(path), "%s/%s", m->dir, req->file);
	rec->w = mc_recorder_open(path, rate, rec->channels, why, sizeof(why));
	if (!rec->w) {
		snprintf(err, err_cap, "cannot record to '%s': %s", req->file, why);
		return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
	}
	uint32_t rec_id = slot | (++m->rec_serial << SLOT_BITS);
	bool ok = true;
	for (unsigned k = 0; k < RELAY_LEGS; k++) {
		if (!(legs & (1u << k)))
			continue;
		const struct relay_codec *c = first_audio(&s->leg[k]);
		struct mc_decode_path_cfg dc = { .codec = desc_of(&s->leg[k]), .out_rate = rate,
						 .resample_quality = -1 };
		rec->tap[k] = (struct relay_rec_tap){ .dec = mc_decode_path_create(&dc),
						      .rec_id = rec_id, .pt = c->pt,
						      .channel = (uint8_t)(rec->channels == 2 ? k : 0) };
		ok = ok && rec->tap[k].dec;
	}
	rec->tap[0].rec_id = rec->tap[1].rec_id = rec_id;	/* chunks name either one */
	if (rec->channels == 2) {
		rec->fifo_cap = rate;	/* one second per side */
		rec->fifo[0] = calloc(rate, sizeof(int16_t));
		rec->fifo[1] = calloc(rate, sizeof(int16_t));
		ok = ok && rec->fifo[0] && rec->fifo[1];
	}
	if (!ok) {
		mc_recorder_close(rec->w);
		remove(path);
		free_taps(rec);
		memset(rec, 0, sizeof(*rec));
		snprintf(err, err_cap, "out of memory for a recording");
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	rec->used = true;
	rec->session = session;
	rec->legs = legs;
	rec->op_id = req->op_id;
	snprintf(rec->tag, sizeof(rec->tag), "%s", req->leg_tag);
	snprintf(rec->call_id, sizeof(rec->call_id), "%s", s->call_id);
	for (unsigned k = 0; k < RELAY_LEGS; k++)
		if (legs & (1u << k))
			/* release: the worker that loads the tap sees its decoder complete. */
			__atomic_store_n(&s->leg[k].rec_tap, &rec->tap[k], __ATOMIC_RELEASE);
	relay_ctr_inc(relay_lcore_counters(r), RELAY_CTR_media_ops);
	return bugle_dp_Status_STATUS_OK;
}

int relay_media_record(struct relay *r, const bugle_dp_MediaOpRequest *req, uint64_t now_ns,
		       char *err, size_t err_cap)
{
	uint32_t session;
	uint8_t legs;
	int st = relay_media_legs(r, req, true, &session, &legs, err, err_cap);
	if (st)
		return st;
	if (req->kind == bugle_dp_MediaOpKind_MEDIA_OP_RECORD_START)
		return start(r, req, session, legs, err, err_cap);
	/* Stop every recording of these legs; none is not an error (the call may have ended). */
	for (uint32_t i = 0; i < RELAY_MEDIA_MAX_RECORDINGS; i++) {
		struct relay_recording *rec = &r->media->recs[i];
		if (rec->used && !rec->closing && rec->session == session && (rec->legs & legs))
			begin_close(r, rec, now_ns);
	}
	return bugle_dp_Status_STATUS_OK;
}

unsigned relay_media_rec_tick(struct relay *r, uint64_t now_ns, const struct relay_media_io *io)
{
	struct relay_media *m = r->media;
	struct relay_media_chunk c[16];
	unsigned work = 0, n;
	/* Bounded: at most 64 bursts a tick; the rest waits in the ring. */
	for (unsigned burst = 0; burst < 64; burst++) {
		n = rte_ring_sc_dequeue_burst_elem(m->rec_ring, c, sizeof(c[0]), 16, NULL);
		for (unsigned i = 0; i < n; i++) {
			struct relay_recording *rec = &m->recs[c[i].rec_id & (RELAY_MEDIA_MAX_RECORDINGS - 1)];
			if (rec->used && rec->tap[c[i].channel].rec_id == c[i].rec_id)
				write_chunk(r, rec, &c[i]);
		}
		work += n;
		if (n < 16)
			break;
	}
	for (uint32_t i = 0; i < RELAY_MEDIA_MAX_RECORDINGS; i++) {
		struct relay_recording *rec = &m->recs[i];
		if (!rec->used)
			continue;
		if (!rec->closing && r->sessions[rec->session].state != RELAY_SESSION_LIVE)
			begin_close(r, rec, now_ns);	/* the call ended */
		if (rec->closing && now_ns >= rec->close_ns) {
			finish(r, rec, io);
			work++;
		}
	}
	return work;
}

void relay_media_rec_free(struct relay *r)
{
	for (uint32_t i = 0; r->media->recs && i < RELAY_MEDIA_MAX_RECORDINGS; i++)
		if (r->media->recs[i].used)
			finish(r, &r->media->recs[i], NULL);
}
