/* Webhook signatures: X-Bugle-Signature is the hex HMAC-SHA256 (libsodium) of
 * timestamp + "." + signed content, keyed with the webhook's secret; X-Bugle-Timestamp carries
 * the same timestamp (unix seconds) so receivers can refuse stale replays.
 * Return convention: 0 or a negative errno.
 */
#ifndef CALLS_WH_SIGN_H
#define CALLS_WH_SIGN_H

#include <stddef.h>

#define CALLS_WH_SIG_HEX 65	/* 64 hex digits and the terminator */

int calls_wh_hmac_hex(const char *key, size_t keylen, const char *data, size_t len,
		      char out[CALLS_WH_SIG_HEX]);

/* HMAC over timestamp "." content, without building the concatenation. */
int calls_wh_sign(const char *key, size_t keylen, const char *timestamp, const char *content,
		  size_t len, char out[CALLS_WH_SIG_HEX]);

#endif
