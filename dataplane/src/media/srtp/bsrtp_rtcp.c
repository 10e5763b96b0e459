/* SRTCP: RTCP compound packets protected and unprotected in chunks through intel-ipsec-mb.
 *
 * Layout after protect (RFC 3711 §3.4, RFC 7714 §9):
 *   AES-CM: header(8) | encrypted | E||index(4) | tag       (tag over all before it)
 *   GCM:    header(8) | encrypted | tag(16) | E||index(4)  (AAD: header || E||index)
 * Same three steps as SRTP; the SRTCP index is explicit, so no redo is ever needed.
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

#define RTCP_HDR 8	/* the first header with the sender's SSRC stays clear */
#define TRAILER_LEN 4
#define E_BIT 0x80000000u
#define INDEX_MASK 0x7fffffffu

static int rtcp_header_ok(const uint8_t *p, uint32_t len)
{
	if (len < RTCP_HDR)
		return BSRTP_CTR_too_short;
	if ((p[0] >> 6) != 2)
		return BSRTP_CTR_bad_header;
	return 0;
}

/* body_end: end of the RTCP bytes; trailer: where E||index is. */
static void set_crypto(struct bsrtp_slot *s, struct bsrtp_ctx *ctx, uint32_t body_end,
		       const uint8_t *trailer)
{
	uint8_t *data = s->pkt->data;

	s->keys = &ctx->rtcp;
	s->gcm = ctx->suite == BSRTP_AEAD_AES_128_GCM;
	s->body_end = body_end;
	s->cipher_off = RTCP_HDR;
	s->cipher_len = body_end - RTCP_HDR;
	if (s->gcm) {
		bsrtp_iv_gcm(s->iv, ctx->rtcp.salt, s->ssrc, s->index);
		memcpy(s->aad, data, RTCP_HDR);
		memcpy(s->aad + RTCP_HDR, trailer, TRAILER_LEN);
		s->aad_ptr = s->aad;
		s->aad_len = RTCP_HDR + TRAILER_LEN;
	} else {
		bsrtp_iv_cm(s->iv, ctx->rtcp.salt, s->ssrc, s->index);
		s->hash_len = body_end + TRAILER_LEN;
	}
	s->active = 1;
}

static void prepare_protect(struct bsrtp_slot *s, struct bsrtp_pkt *p)
{
	struct bsrtp_ctx *ctx = p->ctx;
	struct bsrtp_stream *st;
	int why;

	s->active = 0;
	s->pkt = p;
	if (ctx->dir != BSRTP_DIR_PROTECT)
		why = BSRTP_CTR_wrong_direction;
	else if ((why = rtcp_header_ok(p->data, p->len)) != 0)
		;
	else if ((uint64_t)p->len + TRAILER_LEN + ctx->rtcp_tag_len > p->cap)
		why = BSRTP_CTR_no_room;
	else {
		s->ssrc = bsrtp_be32(p->data + 4);
		st = bsrtp_stream_find(ctx, s->ssrc);
		if (!st)
			st = bsrtp_stream_add(ctx, s->ssrc);
		if (!st)
			why = BSRTP_CTR_unknown_ssrc_full;
		else if (st->rtcp_start >= INDEX_MASK)
			why = BSRTP_CTR_index_exhausted;
		else
			s->index = ++st->rtcp_start;	/* libsrtp2 sends index 1 first */
	}
	if (why) {
		p->rc = bsrtp_refuse(ctx, why);
		return;
	}
	uint8_t *trailer = p->data + p->len + (ctx->suite == BSRTP_AEAD_AES_128_GCM ? ctx->rtcp_tag_len : 0);

	bsrtp_put_be32(trailer, E_BIT | (uint32_t)s->index);
	set_crypto(s, ctx, p->len, trailer);
}

static unsigned finish_protect(struct bsrtp_slot *s)
{
	struct bsrtp_pkt *p = s->pkt;
	struct bsrtp_ctx *ctx = p->ctx;

	if (!s->active)
		return 0;
	if (!s->job_ok) {
		p->rc = bsrtp_refuse(ctx, BSRTP_CTR_crypto_error);
		return 0;
	}
	if (s->gcm)
		memcpy(p->data + s->body_end, s->tag_out, ctx->rtcp_tag_len);
	else
		memcpy(p->data + s->body_end + TRAILER_LEN, s->tag_out, ctx->rtcp_tag_len);
	p->len = s->body_end + TRAILER_LEN + ctx->rtcp_tag_len;
	p->rc = 0;
	bsrtp_ctr_inc(ctx, BSRTP_CTR_rtcp_protected);
	return 1;
}

static int prepare_unprotect_checks(struct bsrtp_slot *s, struct bsrtp_pkt *p)
{
	struct bsrtp_ctx *ctx = p->ctx;
	const struct bsrtp_stream *st;
	int gcm = ctx->suite == BSRTP_AEAD_AES_128_GCM;
	int why;

	if (ctx->dir != BSRTP_DIR_UNPROTECT)
		return BSRTP_CTR_wrong_direction;
	if (p->len < (uint32_t)RTCP_HDR + TRAILER_LEN + ctx->rtcp_tag_len)
		return BSRTP_CTR_too_short;
	if ((why = rtcp_header_ok(p->data, p->len)) != 0)
		return why;
	uint32_t trailer_at = gcm ? p->len - TRAILER_LEN : p->len - ctx->rtcp_tag_len - TRAILER_LEN;
	uint32_t word = bsrtp_be32(p->data + trailer_at);

	/* Every suite here encrypts SRTCP, and like libsrtp2 a receiver that expects encryption
	 * refuses a packet that says it is not (E bit clear), before any other check. */
	if (!(word & E_BIT))
		return BSRTP_CTR_rtcp_unencrypted;
	s->ssrc = bsrtp_be32(p->data + 4);
	s->index = word & INDEX_MASK;
	st = bsrtp_stream_find(ctx, s->ssrc);
	if (!st)
		return bsrtp_stream_has_room(ctx) ? 0 : BSRTP_CTR_unknown_ssrc_full;
	return bsrtp_rtcp_replay_check(st, (uint32_t)s->index);
}

static void prepare_unprotect(struct bsrtp_slot *s, struct bsrtp_pkt *p)
{
	struct bsrtp_ctx *ctx = p->ctx;
	int why;

	s->active = 0;
	s->pkt = p;
	why = prepare_unprotect_checks(s, p);
	if (why) {
		p->rc = bsrtp_refuse(ctx, why);
		return;
	}
	uint32_t body_end = p->len - TRAILER_LEN - ctx->rtcp_tag_len;
	const uint8_t *trailer = ctx->suite == BSRTP_AEAD_AES_128_GCM ? p->data + p->len - TRAILER_LEN
								      : p->data + body_end;

	set_crypto(s, ctx, body_end, trailer);
}

static unsigned finish_unprotect(struct bsrtp_engine *eng, struct bsrtp_slot *s)
{
	struct bsrtp_pkt *p = s->pkt;
	struct bsrtp_ctx *ctx = p->ctx;
	struct bsrtp_stream *st;
	int why = 0;

	if (!s->active)
		return 0;
	if (!s->job_ok) {
		p->rc = bsrtp_refuse(ctx, BSRTP_CTR_crypto_error);
		return 0;
	}
	const uint8_t *tag = p->data + (s->gcm ? s->body_end : s->body_end + TRAILER_LEN);

	/* Same order as the one-packet call: SSRC room, replay (an earlier packet of the chunk may
	 * have taken this index), then the tag. */
	st = bsrtp_stream_find(ctx, s->ssrc);
	if (!st && !bsrtp_stream_has_room(ctx))
		why = BSRTP_CTR_unknown_ssrc_full;
	else if (st)
		why = bsrtp_rtcp_replay_check(st, (uint32_t)s->index);
	if (!why && !bsrtp_tag_equal(s->tag_out, tag, ctx->rtcp_tag_len))
		why = BSRTP_CTR_auth_fail;
	if (why) {
		bsrtp_jobs_undo_decrypt(eng, s);
		p->rc = bsrtp_refuse(ctx, why);
		return 0;
	}
	if (!st)
		st = bsrtp_stream_add(ctx, s->ssrc);
	bsrtp_rtcp_replay_add(st, (uint32_t)s->index);
	p->len = s->body_end;
	p->rc = 0;
	bsrtp_ctr_inc(ctx, BSRTP_CTR_rtcp_unprotected);
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

static unsigned unprotect_chunk(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++)
		prepare_unprotect(&eng->slots[i], &pkts[i]);
	bsrtp_jobs_run(eng, eng->slots, n, 1);
	for (unsigned i = 0; i < n; i++)
		ok += finish_unprotect(eng, &eng->slots[i]);
	return ok;
}

unsigned bsrtp_protect_rtcp_burst(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n)
{
	return bsrtp_burst_chunks(eng, pkts, n, protect_chunk);
}

unsigned bsrtp_unprotect_rtcp_burst(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n)
{
	return bsrtp_burst_chunks(eng, pkts, n, unprotect_chunk);
}

int bsrtp_protect_rtcp(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf, size_t *len,
		       size_t cap)
{
	return bsrtp_one_packet(eng, ctx, buf, len, cap, protect_chunk);
}

int bsrtp_unprotect_rtcp(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf,
			 size_t *len)
{
	return bsrtp_one_packet(eng, ctx, buf, len, *len, unprotect_chunk);
}
