/* Topology-hiding tokens (see edge_topo.h). */
#include "edge_topo.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "edge_aes.h"
#include "edge_b64.h"

#define MAC_KEY 0				      /* SipHash key: bytes 0..15 */
#define CIPHER_KEY crypto_shorthash_siphashx24_KEYBYTES /* cipher key: bytes 16..47 */

/* 0 until the first token decides; every lcore decides the same. */
static _Atomic int chosen_cipher;

/* The expanded AES key of the last cipher key this thread used: expanding it costs more than
 * a short token, and a data plane has one key for its life. */
static __thread struct {
	bool set;
	uint8_t key[32];
	struct edge_aes256 ks;
} aes_cache;

/* Tokens of short plaintexts this thread sealed lately, by a hash of the plaintext: the same
 * few values (a control plane's Contact, a phone's flow) are sealed over and over, and a token
 * is a pure function of key, cipher and plaintext, so a hit is exactly what sealing would
 * give. Any change of key or cipher empties it. */
#define CACHE_SLOTS 32
#define CACHE_PLAIN 64
#define CACHE_TOKEN 108
_Static_assert(CACHE_TOKEN >= ((EDGE_TOPO_TAG + CACHE_PLAIN) * 4 + 2) / 3,
	       "a cached token holds the base64url of the longest cached tag and plaintext");

struct cache_slot {
	uint8_t plen;	/* 0: empty */
	uint8_t tlen;
	char plain[CACHE_PLAIN];
	char tok[CACHE_TOKEN];
};

static __thread struct {
	uint8_t key[EDGE_TOPO_KEY_LEN];
	int cipher;
	struct cache_slot slot[CACHE_SLOTS];
} tok_cache;

/* The slot of a plaintext of 1..CACHE_PLAIN bytes: its length and first and last eight
 * bytes (or all of it when shorter) through a multiplicative hash. A collision only costs a
 * miss: a hit needs the whole plaintext equal. */
static struct cache_slot *cache_slot_of(const uint8_t key[EDGE_TOPO_KEY_LEN], const char *p,
					size_t len)
{
	int cipher = (int)edge_topo_cipher();
	uint64_t a = 0, b = 0;

	if (tok_cache.cipher != cipher || memcmp(tok_cache.key, key, EDGE_TOPO_KEY_LEN) != 0) {
		memset(tok_cache.slot, 0, sizeof(tok_cache.slot));
		memcpy(tok_cache.key, key, EDGE_TOPO_KEY_LEN);
		tok_cache.cipher = cipher;
	}
	if (len >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + len - 8, 8);
	} else {
		memcpy(&a, p, len);
	}
	uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15ull) ^ len) * 0xff51afd7ed558ccdull;
	return &tok_cache.slot[h >> 59];
}

int edge_topo_key_init(uint8_t key[EDGE_TOPO_KEY_LEN])
{
	if (sodium_init() < 0)
		return -EIO;
	randombytes_buf(key, EDGE_TOPO_KEY_LEN);
	(void)edge_topo_cipher();
	return 0;
}

enum edge_topo_cipher edge_topo_cipher(void)
{
	int c = atomic_load_explicit(&chosen_cipher, memory_order_relaxed);

	if (c == 0) {
		c = edge_aes_available() ? EDGE_TOPO_AES256 : EDGE_TOPO_CHACHA20;
		atomic_store_explicit(&chosen_cipher, c, memory_order_relaxed);
	}
	return (enum edge_topo_cipher)c;
}

int edge_topo_set_cipher(enum edge_topo_cipher c)
{
	if (c != EDGE_TOPO_AES256 && c != EDGE_TOPO_CHACHA20)
		return -EINVAL;
	if (c == EDGE_TOPO_AES256 && !edge_aes_available())
		return -ENOTSUP;
	atomic_store_explicit(&chosen_cipher, (int)c, memory_order_relaxed);
	return 0;
}

/* The cipher in counter mode with the tag as its initial counter: encrypts and decrypts. */
static void stream_xor(const uint8_t key[EDGE_TOPO_KEY_LEN], const uint8_t tag[EDGE_TOPO_TAG],
		       const uint8_t *in, uint8_t *out, size_t len)
{
	const uint8_t *ck = key + CIPHER_KEY;

	if (edge_topo_cipher() == EDGE_TOPO_AES256) {
		if (!aes_cache.set || memcmp(aes_cache.key, ck, sizeof(aes_cache.key)) != 0) {
			edge_aes256_init(&aes_cache.ks, ck);
			memcpy(aes_cache.key, ck, sizeof(aes_cache.key));
			aes_cache.set = true;
		}
		edge_aes256_ctr_xor(&aes_cache.ks, tag, in, out, len);
		return;
	}
	/* ChaCha20 with a 64-bit nonce and a 64-bit initial block counter: the tag's 128 bits
	 * pick the key stream, as with AES. */
	uint64_t ic = 0;
	for (int i = 0; i < 8; i++)
		ic |= (uint64_t)tag[8 + i] << (8 * i);
	crypto_stream_chacha20_xor_ic(out, in, len, tag, ic, ck);
}

int edge_topo_encode(const uint8_t key[EDGE_TOPO_KEY_LEN], const void *plain, size_t len,
		     char *out, size_t cap)
{
	uint8_t raw[EDGE_TOPO_TAG + EDGE_TOPO_MAX_PLAIN];

	if (len == 0)
		return -EINVAL; /* the decoder refuses a bare tag: nothing to hide is no token */
	if (len > EDGE_TOPO_MAX_PLAIN)
		return -ENOSPC;
	if (edge_b64_len(EDGE_TOPO_TAG + len) + 1 > cap)
		return -ENOSPC;
	struct cache_slot *c = len <= CACHE_PLAIN ? cache_slot_of(key, plain, len) : NULL;
	if (c && c->plen == len && memcmp(c->plain, plain, len) == 0) {
		memcpy(out, c->tok, c->tlen);
		out[c->tlen] = 0;
		return c->tlen;
	}
	crypto_shorthash_siphashx24(raw, plain, len, key + MAC_KEY);
	stream_xor(key, raw, plain, raw + EDGE_TOPO_TAG, len);
	size_t n = edge_b64_encode(raw, EDGE_TOPO_TAG + len, out);
	out[n] = 0;
	if (c) {
		c->plen = (uint8_t)len;
		c->tlen = (uint8_t)n;
		memcpy(c->plain, plain, len);
		memcpy(c->tok, out, n);
	}
	return (int)n;
}

int edge_topo_decode(const uint8_t key[EDGE_TOPO_KEY_LEN], const char *tok, size_t len,
		     void *out, size_t cap)
{
	uint8_t raw[EDGE_TOPO_TAG + EDGE_TOPO_MAX_PLAIN];
	uint8_t tag[EDGE_TOPO_TAG];

	int n = edge_b64_decode(tok, len, raw, sizeof(raw));
	if (n <= EDGE_TOPO_TAG)
		return -EBADMSG; /* not base64url, too long for any token, or a bare tag */
	size_t plen = (size_t)n - EDGE_TOPO_TAG;
	if (plen > cap)
		return -ENOSPC;
	stream_xor(key, raw, raw + EDGE_TOPO_TAG, out, plen);
	crypto_shorthash_siphashx24(tag, out, plen, key + MAC_KEY);
	if (sodium_memcmp(tag, raw, EDGE_TOPO_TAG) != 0)
		return -EBADMSG;
	return (int)plen;
}
