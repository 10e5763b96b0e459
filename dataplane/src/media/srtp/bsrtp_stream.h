/* SSRC slots of a context. Lookups return a pointer or NULL.
 */
#ifndef BUGLE_BSRTP_STREAM_H
#define BUGLE_BSRTP_STREAM_H

#include <stdint.h>

#include "bsrtp-t.h"

static inline struct bsrtp_stream *bsrtp_stream_find(struct bsrtp_ctx *ctx, uint32_t ssrc)
{
	for (unsigned i = 0; i < BSRTP_MAX_SSRC; i++)
		if (ctx->streams[i].in_use && ctx->streams[i].ssrc == ssrc)
			return &ctx->streams[i];
	return NULL;
}

static inline int bsrtp_stream_has_room(const struct bsrtp_ctx *ctx)
{
	for (unsigned i = 0; i < BSRTP_MAX_SSRC; i++)
		if (!ctx->streams[i].in_use)
			return 1;
	return 0;
}

/* A fresh stream (index 0, empty windows) for ssrc, or NULL when every slot is taken. */
static inline struct bsrtp_stream *bsrtp_stream_add(struct bsrtp_ctx *ctx, uint32_t ssrc)
{
	for (unsigned i = 0; i < BSRTP_MAX_SSRC; i++) {
		struct bsrtp_stream *st = &ctx->streams[i];

		if (!st->in_use) {
			*st = (struct bsrtp_stream){ .ssrc = ssrc, .in_use = 1 };
			return st;
		}
	}
	return NULL;
}

#endif
