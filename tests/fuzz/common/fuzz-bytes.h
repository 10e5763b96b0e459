/* Carving typed fields from a fuzz input: every read past the end yields zeros (or a shorter
 * slice), so a target can read its whole record layout from any input without length checks.
 *
 * Return convention: the readers return the value or slice they carve.
 */
#ifndef BUGLE_FUZZ_BYTES_H
#define BUGLE_FUZZ_BYTES_H

#include <stddef.h>
#include <stdint.h>

struct fz_bytes {
	const uint8_t *p;
	size_t n; /* bytes left */
};

static inline uint8_t fz_u8(struct fz_bytes *b)
{
	if (!b->n)
		return 0;
	b->n--;
	return *b->p++;
}

static inline uint16_t fz_u16(struct fz_bytes *b)
{
	uint16_t hi = fz_u8(b);
	return (uint16_t)(hi << 8 | fz_u8(b));
}

static inline uint32_t fz_u32(struct fz_bytes *b)
{
	uint32_t hi = fz_u16(b);
	return hi << 16 | fz_u16(b);
}

/* Up to want bytes; *got says how many were left to take. */
static inline const uint8_t *fz_slice(struct fz_bytes *b, size_t want, size_t *got)
{
	const uint8_t *s = b->p;
	*got = want < b->n ? want : b->n;
	b->p += *got;
	b->n -= *got;
	return s;
}

#endif
