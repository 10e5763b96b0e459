/* Digest credentials as a REGISTER carries them (Authorization header, RFC 7616 fields with the
 * quotes removed) and the WWW-Authenticate challenges the registrar sends.
 * Return convention: 0 or a negative errno.
 */
#ifndef CSIP_AUTH_H
#define CSIP_AUTH_H

#include "digest.h"

#include <osipparser2/osip_message.h>
#include <stdbool.h>
#include <stddef.h>

struct csip_credentials {
	enum csip_digest_alg alg;
	char username[128];
	char realm[256];
	char nonce[128];
	char uri[512];
	char response[CSIP_DIGEST_HEX_MAX];
	char cnonce[128];
	char nc[16];			/* 8 hex digits */
	char qop[16];
	unsigned nc_value;
};

/* From the first Digest Authorization header: 0; -ENOENT when there is none; -EINVAL when a
 * field is missing or malformed (qop must be auth, nc 8 hex digits, response the algorithm's
 * length); -ENOTSUP for an unknown algorithm. */
int csip_credentials_parse(const osip_message_t *req, struct csip_credentials *out);
/* The same from the first Digest Proxy-Authorization header (calls get 407 challenges). */
int csip_proxy_credentials_parse(const osip_message_t *req, struct csip_credentials *out);

/* The value of one WWW-Authenticate header: Digest realm, nonce, qop="auth", algorithm and
 * stale when asked. */
int csip_challenge_value(enum csip_digest_alg alg, const char *realm, const char *nonce,
			 bool stale, char *out, size_t len);

#endif
