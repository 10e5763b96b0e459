/* Header-name and method lookups (internal): lookups return an id, 0 (other/unknown) when the
 * name is not known. */
#ifndef BUGLE_SIP_NAMES_H
#define BUGLE_SIP_NAMES_H

#include "sip-t.h"

/* Case-insensitive, long and compact forms; exact for any bytes, so a known id also proves
 * the name is a token. */
enum sip_hdr_id sip_hdr_lookup(const char *name, uint32_t len);

/* The tables behind it, for the header index's inline copy of the lookup. A long name sits in
 * the slot of a perfect hash of its length, first and last letter (lower-cased); s is zero
 * padded so a sixteen-byte load at s or at s + len - 16 stays inside it. */
struct sip_hdr_name {
	char s[22];
	uint8_t len;
	uint8_t id;
};
extern const struct sip_hdr_name sip_hdr_long_form[128];
extern const uint8_t sip_hdr_compact_form[128]; /* by lower-case letter */

static inline unsigned sip_hdr_slot(uint32_t len, unsigned char first, unsigned char last)
{
	return (len * 7u + (first | 0x20u) * 27u + ((last | 0x20u) << 2)) & 127u;
}

/* Exact ASCII case-insensitive equality of len bytes with a lower-case literal. */
int sip_hdr_name_eq(const char *s, const char *lit, uint32_t len);

/* Case-sensitive, as RFC 3261 wants method names. */
enum sip_method sip_method_lookup(const char *name, uint32_t len);

#endif
