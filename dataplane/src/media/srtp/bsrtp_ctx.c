/* Suite parameters and context lifetime: keys are derived once here and wiped on destroy. */
#include "bsrtp.h"
#include "bsrtp_engine-t.h"
#include "bsrtp_kdf.h"
#include "bsrtp_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct suite_info {
	const char *name;
	uint8_t master_len;
	uint8_t tag_len;
	uint8_t rtcp_tag_len;
};

static const struct suite_info suites[BSRTP_SUITE_COUNT] = {
	[BSRTP_AES_CM_128_HMAC_SHA1_80] = { "AES_CM_128_HMAC_SHA1_80", 30, 10, 10 },
	[BSRTP_AES_CM_128_HMAC_SHA1_32] = { "AES_CM_128_HMAC_SHA1_32", 30, 4, 10 },
	[BSRTP_AEAD_AES_128_GCM] = { "AEAD_AES_128_GCM", 28, 16, 16 },
};

#define SRTCP_TRAILER_LEN 4

size_t bsrtp_suite_master_len(enum bsrtp_suite suite)
{
	return (unsigned)suite < BSRTP_SUITE_COUNT ? suites[suite].master_len : 0;
}

size_t bsrtp_suite_tag_len(enum bsrtp_suite suite)
{
	return (unsigned)suite < BSRTP_SUITE_COUNT ? suites[suite].tag_len : 0;
}

size_t bsrtp_suite_rtp_overhead(enum bsrtp_suite suite)
{
	return bsrtp_suite_tag_len(suite);
}

size_t bsrtp_suite_rtcp_overhead(enum bsrtp_suite suite)
{
	return (unsigned)suite < BSRTP_SUITE_COUNT ? suites[suite].rtcp_tag_len + SRTCP_TRAILER_LEN : 0;
}

const char *bsrtp_suite_name(enum bsrtp_suite suite)
{
	return (unsigned)suite < BSRTP_SUITE_COUNT ? suites[suite].name : NULL;
}

int bsrtp_ctx_init(struct bsrtp_ctx *ctx, struct bsrtp_engine *eng, enum bsrtp_suite suite,
		   enum bsrtp_dir dir, const uint8_t *master, size_t master_len)
{
	if (!ctx || !eng || !master || (unsigned)suite >= BSRTP_SUITE_COUNT)
		return -EINVAL;
	if (dir != BSRTP_DIR_PROTECT && dir != BSRTP_DIR_UNPROTECT)
		return -EINVAL;
	if (master_len != suites[suite].master_len)
		return -EINVAL;
	memset(ctx, 0, sizeof(*ctx));
	ctx->suite = suite;
	ctx->dir = dir;
	ctx->tag_len = suites[suite].tag_len;
	ctx->rtcp_tag_len = suites[suite].rtcp_tag_len;
	return bsrtp_kdf_session_keys(eng->mgr, suite, master, &ctx->rtp, &ctx->rtcp);
}

struct bsrtp_ctx *bsrtp_ctx_create(struct bsrtp_engine *eng, enum bsrtp_suite suite,
				   enum bsrtp_dir dir, const uint8_t *master, size_t master_len)
{
	struct bsrtp_ctx *ctx = aligned_alloc(64, sizeof(*ctx));

	if (!ctx)
		return NULL;
	if (bsrtp_ctx_init(ctx, eng, suite, dir, master, master_len) != 0) {
		explicit_bzero(ctx, sizeof(*ctx));
		free(ctx);
		return NULL;
	}
	ctx->heap = 1;
	return ctx;
}

void bsrtp_ctx_destroy(struct bsrtp_ctx *ctx)
{
	if (!ctx)
		return;
	int heap = ctx->heap;

	explicit_bzero(ctx, sizeof(*ctx));
	if (heap)
		free(ctx);
}

int bsrtp_ctx_forget_ssrc(struct bsrtp_ctx *ctx, uint32_t ssrc)
{
	struct bsrtp_stream *st = bsrtp_stream_find(ctx, ssrc);

	if (!st)
		return -ENOENT;
	*st = (struct bsrtp_stream){ 0 };
	return 0;
}
