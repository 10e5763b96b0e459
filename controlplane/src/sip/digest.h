/* HTTP digest arithmetic for SIP (RFC 7616 with RFC 3261's qop=auth): HA1, HA2 and the
 * response, in MD5 or SHA-256, as lower-case hex.
 * Return convention: 0 or a negative errno.
 */
#ifndef CSIP_DIGEST_H
#define CSIP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

enum csip_digest_alg {
	CSIP_DIGEST_MD5,
	CSIP_DIGEST_SHA256,
};

/* Room for the longest hex digest (SHA-256) and its NUL. */
#define CSIP_DIGEST_HEX_MAX 65

/* "MD5" / "SHA-256" (case-insensitive; NULL or empty means MD5): 0, or -ENOTSUP. */
int csip_digest_alg_parse(const char *name, enum csip_digest_alg *alg);
const char *csip_digest_alg_name(enum csip_digest_alg alg);
/* Hex length of the algorithm's digest (32 or 64). */
size_t csip_digest_hex_len(enum csip_digest_alg alg);

/* H(username ":" realm ":" password) */
int csip_digest_ha1(enum csip_digest_alg alg, const char *username, const char *realm,
		    const char *password, char out[CSIP_DIGEST_HEX_MAX]);

/* H(ha1 ":" nonce ":" nc ":" cnonce ":" qop ":" H(method ":" uri)) for qop=auth. */
int csip_digest_response(enum csip_digest_alg alg, const char *ha1, const char *nonce,
			 const char *nc, const char *cnonce, const char *qop, const char *method,
			 const char *uri, char out[CSIP_DIGEST_HEX_MAX]);

/* Compares two hex digests in time independent of where they differ (case-insensitive). */
bool csip_digest_equal(const char *a, const char *b);

#endif
