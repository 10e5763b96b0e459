/* SRTP: RTP packets protected and unprotected in chunks through intel-ipsec-mb.
 *
 * Each chunk runs in three steps: checks and per-packet set-up in array order, all jobs at once,
 * then results in array order. Protect commits the sender's index at set-up, as libsrtp2 does.
 * Unprotect commits replay and ROC state only after the tag is verified; a packet whose check
 * would read differently because an earlier packet of the chunk moved its stream (its ROC guess
 * changes) is undone and redone alone, and one refused as a replay is decided only once the
 * packets before it are committed, so a burst always equals the one-packet calls in order.
 */
#include "bsrtp.h"
#include "bsrtp_bytes.h"
#include "bsrtp_chunks.h"
#include "bsrtp_counters.h"
#include "bsrtp_engine-t.h"
#include "bsrtp_iv.h"
#include "bsrtp_jobs.h"
#include "bsrtp_replay.h"
#include "bsrtp_stream.h"
#include "bsrtp_tag.h"

#include <string.h>

#define RTP_FIXED_HDR 12
#define ROC_LEN 4

/* Header length including CSRCs and the extension, checked against len; 0 or a counter id. */
static int rtp_header_len(const uint8_t *p, uint32_t len, uint32_t *hdr_len)
{
	if (len < RTP_FIXED_HDR)
		return BSRTP_CTR_too_short;
	if ((p[0] >> 6) != 2)
		return BSRTP_CTR_bad_header;
	uint32_t h = RTP_FIXED_HDR + 4u * (p[0] & 0x0f);

	if (p[0] & 0x10) {
		if (h + 4 > len)
			return BSRTP_CTR_bad_header;
		h += 4 + 4u * bsrtp_be16(p + h + 2);
	}
	if (h > len)
		return BSRTP_CTR_bad_header;
	*hdr_len = h;
	return 0;
}

static void set_crypto(struct bsrtp_slot *s, struct bsrtp_ctx *ctx, uint32_t hdr, uint32_t end)
{
	uint8_t *data = s->pkt->data;

	s->keys = &ctx->rtp;
	s->gcm = ctx->suite == BSRTP_AEAD_AES_128_GCM;
	s->cipher_off = hdr;
	s->cipher_len = end - hdr;
	s->body_end = end;
	if (s->gcm) {
		bsrtp_iv_gcm(s->iv, ctx->rtp.salt, s->ssrc, s->index);
		s->aad_ptr = data;
		s->aad_len = hdr;
	} else {
		bsrtp_iv_cm(s->iv, ctx->rtp.salt, s->ssrc, s->index);
		/* The tag covers the packet followed by the ROC: the ROC goes where the tag will be,
		 * so HMAC reads one contiguous buffer. */
		bsrtp_put_be32(data + end, (uint32_t)(s->index >> 16));
		s->hash_len = end + ROC_LEN;
	}
	s->active = 1;
}

static void prepare_protect(struct bsrtp_slot *s, struct bsrtp_pkt *p)
{
	struct bsrtp_ctx *ctx = p->ctx;
	struct bsrtp_stream *st;
	uint32_t hdr = 0;
	int why;

	s->active = 0;
	s->pkt = p;
	if (ctx->dir != BSRTP_DIR_PROTECT)
		why = BSRTP_CTR_wrong_direction;
	else if ((why = rtp_header_len(p->data, p->len, &hdr)) != 0)
		;
	else if ((uint64_t)p->len + ctx->tag_len > p->cap)
		why = BSRTP_CTR_no_room;
	else {
		s->ssrc = bsrtp_be32(p->data + 8);
		st = bsrtp_stream_find(ctx, s->ssrc);
		if (!st)
			st = bsrtp_stream_add(ctx, s->ssrc);
		if (!st) {
			why = BSRTP_CTR_unknown_ssrc_full;
		} else {
			int32_t delta = bsrtp_rtp_estimate(st->rtp_index, bsrtp_be16(p->data + 2),
							   &s->index);

			why = bsrtp_rtp_replay_check(st, delta);
			if (!why)
				bsrtp_rtp_replay_add(st, delta);
		}
	}
	if (why) {
		p->rc = bsrtp_refuse(ctx, why);
		return;
	}
	set_crypto(s, ctx, hdr, p->len);
}

static unsigned finish_protect(struct bsrtp_slot *s)
{
	struct bsrtp_pkt *p = s->pkt;

	if (!s->active)
		return 0;
	if (!s->job_ok) {
		p->rc = bsrtp_refuse(p->ctx, BSRTP_CTR_crypto_error);
		return 0;
	}
	memcpy(p->data + s->body_end, s->tag_out, p->ctx->tag_len);
	p->len = s->body_end + p->ctx->tag_len;
	p->rc = 0;
	bsrtp_ctr_inc(p->ctx, BSRTP_CTR_protected);
	return 1;
}

static unsigned protect_chunk(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++)
		prepare_protect(&eng->slots[i], &pkts[i]);
	bsrtp_jobs_run(eng, eng->slots, n, 0);
	for (unsigned i = 0; i < n; i++)
		ok += finish_protect(&eng->slots[i]);
	return ok;
}

/* Replay/ROC state to check against: the stream's, or a fresh one for a new SSRC. */
static const struct bsrtp_stream *view(struct bsrtp_ctx *ctx, uint32_t ssrc, int *why)
{
	static const struct bsrtp_stream fresh;
	const struct bsrtp_stream *st = bsrtp_stream_find(ctx, ssrc);

	*why = 0;
	if (st)
		return st;
	if (!bsrtp_stream_has_room(ctx))
		*why = BSRTP_CTR_unknown_ssrc_full;
	return &fresh;
}

static void prepare_unprotect(struct bsrtp_slot *s, struct bsrtp_pkt *p, int may_defer)
{
	struct bsrtp_ctx *ctx = p->ctx;
	const struct bsrtp_stream *st;
	uint32_t hdr = 0;
	int why;

	s->active = 0;
	s->deferred = 0;
	s->pkt = p;
	if (ctx->dir != BSRTP_DIR_UNPROTECT)
		why = BSRTP_CTR_wrong_direction;
	else if (p->len < (uint32_t)RTP_FIXED_HDR + ctx->tag_len)
		why = BSRTP_CTR_too_short;
	else if ((why = rtp_header_len(p->data, p->len - ctx->tag_len, &hdr)) != 0)
		;
	else {
		s->ssrc = bsrtp_be32(p->data + 8);
		st = view(ctx, s->ssrc, &why);
		if (!why) {
			int32_t delta = bsrtp_rtp_estimate(st->rtp_index, bsrtp_be16(p->data + 2),
							   &s->index);

			why = bsrtp_rtp_replay_check(st, delta);
			if (why && may_defer) {
				s->deferred = 1;
				return;
			}
		}
	}
	if (why) {
		p->rc = bsrtp_refuse(ctx, why);
		return;
	}
	uint32_t end = p->len - ctx->tag_len;

	if (ctx->suite != BSRTP_AEAD_AES_128_GCM)
		memcpy(s->tag_in, p->data + end, ctx->tag_len);
	set_crypto(s, ctx, hdr, end);
}

/* Give the caller back the bytes it passed in. */
static void undo_unprotect(struct bsrtp_engine *eng, struct bsrtp_slot *s, int decrypted)
{
	if (decrypted)
		bsrtp_jobs_undo_decrypt(eng, s);
	if (!s->gcm)
		memcpy(s->pkt->data + s->body_end, s->tag_in, s->pkt->ctx->tag_len);
}

static unsigned unprotect_chunk(struct bsrtp_engine *eng, struct bsrtp_slot *slots,
				struct bsrtp_pkt *pkts, unsigned n);

static unsigned finish_unprotect(struct bsrtp_engine *eng, struct bsrtp_slot *s)
{
	struct bsrtp_pkt *p = s->pkt;
	struct bsrtp_ctx *ctx = p->ctx;
	const struct bsrtp_stream *cur;
	uint64_t index;
	int why;

	if (!s->active)
		return s->deferred ? unprotect_chunk(eng, &eng->slots[BSRTP_BURST_MAX], p, 1) : 0;
	if (!s->job_ok) {
		undo_unprotect(eng, s, 0);
		p->rc = bsrtp_refuse(ctx, BSRTP_CTR_crypto_error);
		return 0;
	}
	cur = view(ctx, s->ssrc, &why);
	if (why) {
		undo_unprotect(eng, s, 1);
		p->rc = bsrtp_refuse(ctx, why);
		return 0;
	}
	int32_t delta = bsrtp_rtp_estimate(cur->rtp_index, bsrtp_be16(p->data + 2), &index);

	if (index != s->index) {
		/* An earlier packet of this chunk moved the ROC estimate: redo this one alone in
		 * the spare slot, where set-up and result see the same state. */
		undo_unprotect(eng, s, 1);
		return unprotect_chunk(eng, &eng->slots[BSRTP_BURST_MAX], p, 1);
	}
	why = bsrtp_rtp_replay_check(cur, delta);
	if (!why) {
		const uint8_t *tag = s->gcm ? p->data + s->body_end : s->tag_in;

		if (!bsrtp_tag_equal(s->tag_out, tag, ctx->tag_len))
			why = BSRTP_CTR_auth_fail;
	}
	if (why) {
		undo_unprotect(eng, s, 1);
		p->rc = bsrtp_refuse(ctx, why);
		return 0;
	}
	struct bsrtp_stream *st = bsrtp_stream_find(ctx, s->ssrc);

	if (!st)
		st = bsrtp_stream_add(ctx, s->ssrc);	/* room was checked above */
	bsrtp_rtp_replay_add(st, delta);
	p->len = s->body_end;
	p->rc = 0;
	bsrtp_ctr_inc(ctx, BSRTP_CTR_unprotected);
	return 1;
}

static unsigned unprotect_chunk(struct bsrtp_engine *eng, struct bsrtp_slot *slots,
				struct bsrtp_pkt *pkts, unsigned n)
{
	unsigned ok = 0;

	/* Alone (n == 1) nothing earlier can change the verdict, so nothing is deferred: that is
	 * what ends a redo. */
	for (unsigned i = 0; i < n; i++)
		prepare_unprotect(&slots[i], &pkts[i], n > 1);
	bsrtp_jobs_run(eng, slots, n, 1);
	for (unsigned i = 0; i < n; i++)
		ok += finish_unprotect(eng, &slots[i]);
	return ok;
}

/* A chunk of fresh packets takes the engine's first slots; redos use the ones after them. */
static unsigned unprotect_fresh_chunk(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n)
{
	return unprotect_chunk(eng, eng->slots, pkts, n);
}

unsigned bsrtp_protect_burst(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n)
{
	return bsrtp_burst_chunks(eng, pkts, n, protect_chunk);
}

unsigned bsrtp_unprotect_burst(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n)
{
	return bsrtp_burst_chunks(eng, pkts, n, unprotect_fresh_chunk);
}

int bsrtp_protect(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf, size_t *len,
		  size_t cap)
{
	return bsrtp_one_packet(eng, ctx, buf, len, cap, protect_chunk);
}

int bsrtp_unprotect(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf, size_t *len)
{
	return bsrtp_one_packet(eng, ctx, buf, len, *len, unprotect_fresh_chunk);
}
