/* Base64url without padding (RFC 4648 section 5) for the topology tokens. Table-driven and not
 * constant-time on purpose: it only ever encodes or decodes the public token (tag and
 * ciphertext), never a key or a plaintext.
 *
 * The decoder is canonical: it accepts exactly what the encoder produces (no padding, no
 * whitespace, a length that is not 1 mod 4, zero in the unused low bits of the last
 * character), so one byte string has one token. */
#ifndef BUGLE_EDGE_B64_H
#define BUGLE_EDGE_B64_H

#include <stddef.h>
#include <stdint.h>

/* Characters for n bytes. */
static inline size_t edge_b64_len(size_t n)
{
	return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

/* Writes edge_b64_len(n) characters (no NUL) to out; returns that length. */
size_t edge_b64_encode(const uint8_t *in, size_t n, char *out);

/* Decodes len characters into out (room for cap bytes). Returns the byte count, -EBADMSG for
 * text that is not canonical base64url, -ENOSPC when cap is too small. */
int edge_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

#endif
