/* Base64url without padding (see edge_b64.h). */
#include "edge_b64.h"

#include <errno.h>

static const char alphabet[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Value of each character, 0xff for bytes outside the alphabet. Built by value ranges so the
 * table cannot drift from the alphabet above. */
#define R4(b) V(b), V((b) + 1), V((b) + 2), V((b) + 3)
#define R16(b) R4(b), R4((b) + 4), R4((b) + 8), R4((b) + 12)
#define R64(b) R16(b), R16((b) + 16), R16((b) + 32), R16((b) + 48)
#define V(c)                                                                                       \
	(uint8_t)((c) >= 'A' && (c) <= 'Z'   ? (c) - 'A'                                           \
		  : (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26                                      \
		  : (c) >= '0' && (c) <= '9' ? (c) - '0' + 52                                      \
		  : (c) == '-' ? 62                                                                \
		  : (c) == '_' ? 63                                                                \
			       : 0xff)
static const uint8_t value_of[256] = { R64(0), R64(64), R64(128), R64(192) };
#undef V
#undef R64
#undef R16
#undef R4

size_t edge_b64_encode(const uint8_t *in, size_t n, char *out)
{
	char *o = out;
	size_t i = 0;

	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		o[0] = alphabet[v >> 18];
		o[1] = alphabet[(v >> 12) & 63];
		o[2] = alphabet[(v >> 6) & 63];
		o[3] = alphabet[v & 63];
		o += 4;
	}
	if (n - i == 1) {
		o[0] = alphabet[in[i] >> 2];
		o[1] = alphabet[(in[i] & 3) << 4];
		o += 2;
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 8 | in[i + 1];
		o[0] = alphabet[v >> 10];
		o[1] = alphabet[(v >> 4) & 63];
		o[2] = alphabet[(v << 2) & 63];
		o += 3;
	}
	return (size_t)(o - out);
}

int edge_b64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t tail = len % 4, n = len / 4 * 3 + (tail ? tail - 1 : 0), i = 0;
	uint8_t *o = out;

	if (tail == 1)
		return -EBADMSG;
	if (n > cap)
		return -ENOSPC;
	for (; i + 4 <= len; i += 4) {
		uint32_t a = value_of[s[i]], b = value_of[s[i + 1]], c = value_of[s[i + 2]],
			 d = value_of[s[i + 3]];
		if ((a | b | c | d) & 0xc0)
			return -EBADMSG; /* 0xff: not in the alphabet */
		uint32_t v = a << 18 | b << 12 | c << 6 | d;
		o[0] = (uint8_t)(v >> 16);
		o[1] = (uint8_t)(v >> 8);
		o[2] = (uint8_t)v;
		o += 3;
	}
	if (tail) {
		uint32_t a = value_of[s[i]], b = value_of[s[i + 1]];
		uint32_t c = tail == 3 ? value_of[s[i + 2]] : 0;
		if ((a | b | c) & 0xc0)
			return -EBADMSG;
		uint32_t v = a << 18 | b << 12 | c << 6;
		/* The bits past the last whole byte must be zero, as the encoder leaves them. */
		if (v & (tail == 2 ? 0xffffu : 0xffu))
			return -EBADMSG;
		o[0] = (uint8_t)(v >> 16);
		if (tail == 3)
			o[1] = (uint8_t)(v >> 8);
	}
	return (int)n;
}
