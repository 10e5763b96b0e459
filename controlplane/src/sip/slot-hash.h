/* The hash of the SIP module's small open-addressed tables (nonce counts, failed
 * authentications): FNV-1a over a string key.
 * Return convention: the hash; nothing here fails. */
#ifndef CSIP_SLOT_HASH_H
#define CSIP_SLOT_HASH_H

#include <stddef.h>
#include <stdint.h>

/* At most max bytes of s, stopping at its NUL; seed is mixed into the offset basis so that a
 * table keyed by what a peer chooses can be given a secret one. */
static inline uint64_t csip_slot_hash(uint64_t seed, const char *s, size_t max)
{
	uint64_t h = 1469598103934665603ull ^ seed;
	for (size_t i = 0; i < max && s[i]; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

#endif
