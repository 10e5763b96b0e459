/* Tag comparison. Returns 1 when equal, 0 otherwise.
 */
#ifndef BUGLE_BSRTP_TAG_H
#define BUGLE_BSRTP_TAG_H

#include <stddef.h>
#include <stdint.h>

/* Constant time, so an attacker cannot learn how many leading tag bytes were right. */
static inline int bsrtp_tag_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

#endif
