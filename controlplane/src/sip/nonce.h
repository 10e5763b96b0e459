/* Stateless digest nonces: 16 hex digits of issue time, 16 of random salt and 32 of an
 * HMAC-SHA256 (truncated) over both and the realm with a per-node secret, so any nonce this node
 * issued can be checked without keeping it, and its age bounds its life.
 * Return convention: 0 or a negative errno.
 */
#ifndef CSIP_NONCE_H
#define CSIP_NONCE_H

#include <stddef.h>
#include <stdint.h>

#define CSIP_NONCE_LEN 64
#define CSIP_NONCE_SECRET_LEN 32

struct csip_nonce_key {
	uint8_t secret[CSIP_NONCE_SECRET_LEN];
};

/* A fresh random secret (from the system's random source). */
int csip_nonce_key_random(struct csip_nonce_key *key);

/* out gets CSIP_NONCE_LEN hex characters and a NUL. */
int csip_nonce_make(const struct csip_nonce_key *key, const char *realm, uint64_t now_s,
		    uint64_t salt, char out[CSIP_NONCE_LEN + 1]);

/* 0 when the nonce is ours for this realm and younger than ttl_s (*issued_s gets its time);
 * -EBADMSG when malformed, forged or for another realm (or from the future); -ETIMEDOUT when
 * genuine but stale. */
int csip_nonce_check(const struct csip_nonce_key *key, const char *realm, const char *nonce,
		     uint64_t now_s, uint64_t ttl_s, uint64_t *issued_s);

#endif
