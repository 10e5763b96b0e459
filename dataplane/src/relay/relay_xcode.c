/* The transcoders are created on the main lcore at the answer (mc_transcoder allocates: codec
 * states are not fixed-size), never on the packet path. Output packets continue the leg's
 * output stream: the SSRC of its first input, sequence numbers one by one, timestamps from the
 * transcoder's output clock (which keeps advancing over lost input). */
#include "relay_xcode.h"

#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include "dataplane.pb.h"
#include "mc_codec.h"
#include "mc_transcoder.h"
#include "relay_codecs.h"
#include "relay_mediaop.h"

static const struct relay_codec *first_audio(const struct relay_codec *c, uint8_t n)
{
	for (uint8_t i = 0; i < n; i++)
		if (c[i].codec != bugle_dp_Codec_CODEC_TELEPHONE_EVENT)
			return &c[i];
	return NULL;
}

static const struct mc_codec_desc *desc_of(const struct relay_codec *c)
{
	return c ? mc_codec_find(relay_codec_name(c->codec), c->clock_rate) : NULL;
}

int relay_xcode_setup(struct relay_session *s, const struct relay_codec *a, uint8_t na,
		      const struct relay_codec *b, uint8_t nb, uint64_t now_ns, char *err,
		      size_t err_cap)
{
	const struct relay_codec *ca = first_audio(a, na), *cb = first_audio(b, nb);
	const struct mc_codec_desc *da = desc_of(ca), *db = desc_of(cb);
	if (!da || !db) {
		snprintf(err, err_cap, "no audio codec in common and no transcoding between %s and %s",
			 ca ? relay_codec_name(ca->codec) : "(none)",
			 cb ? relay_codec_name(cb->codec) : "(none)");
		return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
	}
	struct relay_leg *la = &s->leg[0], *lb = &s->leg[1];
	if (la->xcode) {
		if (la->xcode_in_pt == ca->pt && la->xcode_out_pt == cb->pt) {
			/* Same audio; telephone-event may have come or gone. */
			relay_media_inband_setup(la, a, na, ca, now_ns);
			relay_media_inband_setup(lb, b, nb, cb, now_ns);
			return bugle_dp_Status_STATUS_OK;
		}
		snprintf(err, err_cap, "changing the codecs of a transcoded session is not supported; "
			 "delete and offer it again");
		return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
	}
	struct mc_transcoder_cfg ab = { .in_codec = da, .out_codec = db,
					.out_ptime_ms = cb->ptime_ms ? cb->ptime_ms : 20,
					.resample_quality = -1 };
	struct mc_transcoder_cfg ba = { .in_codec = db, .out_codec = da,
					.out_ptime_ms = ca->ptime_ms ? ca->ptime_ms : 20,
					.resample_quality = -1 };
	struct mc_transcoder *tab = mc_transcoder_create(&ab), *tba = mc_transcoder_create(&ba);
	if (!tab || !tba) {
		mc_transcoder_destroy(tab);
		mc_transcoder_destroy(tba);
		snprintf(err, err_cap, "cannot create a %s <-> %s transcoder", da->name, db->name);
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	la->xcode_in_pt = ca->pt;
	la->xcode_out_pt = cb->pt;
	lb->xcode_in_pt = cb->pt;
	lb->xcode_out_pt = ca->pt;
	/* release: the worker that loads the pointer with acquire sees the PTs and the state. */
	__atomic_store_n(&la->xcode, tab, __ATOMIC_RELEASE);
	__atomic_store_n(&lb->xcode, tba, __ATOMIC_RELEASE);
	/* Decoded legs without telephone-event get in-band DTMF detection. */
	relay_media_inband_setup(la, a, na, ca, now_ns);
	relay_media_inband_setup(lb, b, nb, cb, now_ns);
	return bugle_dp_Status_STATUS_OK;
}

void relay_xcode_free(struct relay_session *s)
{
	for (unsigned k = 0; k < RELAY_LEGS; k++) {
		mc_transcoder_destroy(s->leg[k].xcode);
		s->leg[k].xcode = NULL;
		relay_media_inband_free(&s->leg[k]);
	}
}

static void put32(uint8_t *p, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(p, &v, 4);
}

unsigned relay_xcode_input(struct relay_leg *l, struct mc_transcoder *t, const uint8_t *rtp,
			   uint16_t len, uint16_t hdr_len, uint64_t now_ns,
			   uint8_t out[][RELAY_XCODE_PKT], uint16_t *out_len)
{
	struct mc_encoded_frame frames[RELAY_XCODE_MAX_OUT];
	uint16_t seq = (uint16_t)(rtp[2] << 8 | rtp[3]);
	uint32_t ts = (uint32_t)rtp[4] << 24 | (uint32_t)rtp[5] << 16 | (uint32_t)rtp[6] << 8 | rtp[7];
	uint32_t ssrc = (uint32_t)rtp[8] << 24 | (uint32_t)rtp[9] << 16 | (uint32_t)rtp[10] << 8 | rtp[11];
	int n = mc_transcoder_push(t, rtp + hdr_len, (size_t)(len - hdr_len), seq, ts, frames,
				   RELAY_XCODE_MAX_OUT);
	if (n <= 0)
		return 0;
	struct relay_out_stream *o = &l->out;
	if (!o->started) {
		o->started = true;
		o->in_ssrc = o->out_ssrc = ssrc;
		o->last_seq = (uint16_t)(seq - 1);
	}
	unsigned w = 0;
	for (int i = 0; i < n; i++) {
		if (frames[i].len + 12u > RELAY_XCODE_PKT - BSRTP_MAX_TRAILER)
			continue;
		uint8_t *p = out[w];
		uint16_t s = (uint16_t)(o->last_seq + 1);
		p[0] = 0x80;
		p[1] = (uint8_t)((w == 0 ? (rtp[1] & 0x80) : 0) | l->xcode_out_pt);
		p[2] = (uint8_t)(s >> 8);
		p[3] = (uint8_t)s;
		put32(p + 4, frames[i].ts);
		put32(p + 8, o->out_ssrc);
		memcpy(p + 12, frames[i].payload, frames[i].len);
		out_len[w++] = (uint16_t)(12 + frames[i].len);
		o->last_seq = s;
		o->last_ts = frames[i].ts;
		o->last_ns = now_ns;
	}
	return w;
}
