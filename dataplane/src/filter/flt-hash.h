/* Keyed hashes for the filter's tables. The seed is secret per instance so that spoofed source
 * addresses cannot be picked to pile up in one set.
 *
 * Return convention: the functions return the hash value.
 */
#ifndef BUGLE_FLT_HASH_H
#define BUGLE_FLT_HASH_H

#include <stddef.h>
#include <stdint.h>

/* A 64-bit finaliser (the murmur3 mix constants): every input bit affects every output bit. */
static inline uint64_t flt_hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/* Independent seeds for an instance's tables, derived from its one secret. */
static inline uint64_t flt_hash_seed_next(uint64_t seed, unsigned n)
{
	return flt_hash_mix(seed + n * 0x9e3779b97f4a7c15ull);
}

static inline uint64_t flt_hash_ip(uint32_t ip, uint64_t seed)
{
	return flt_hash_mix(((uint64_t)ip | ((uint64_t)ip << 32)) ^ seed);
}

/* FNV-1a over the bytes, seeded, then mixed: account ids are short, so this is cheap. */
static inline uint64_t flt_hash_bytes(const char *s, size_t len, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return flt_hash_mix(h);
}

#endif
