/* AES-256 in counter mode for the topology tokens, on intel-ipsec-mb's AES (the library the SRTP
 * path uses). edge_aes_available() says whether this CPU has AES instructions; the other functions
 * must only be called when it returned true. The key stream blocks are made with one ECB job per
 * call over counter blocks built here, so the counter's layout is ours: the first eight bytes of
 * the IV as they are, the last eight a little-endian 64-bit counter that wraps. */
#ifndef BUGLE_EDGE_AES_H
#define BUGLE_EDGE_AES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An expanded AES-256 key: fifteen round keys, as intel-ipsec-mb lays them out. */
struct edge_aes256 {
	uint8_t rk[15][16] __attribute__((aligned(16)));
};

bool edge_aes_available(void);

void edge_aes256_init(struct edge_aes256 *ks, const uint8_t key[32]);

/* out = in XOR the key stream of counter blocks iv, iv+1, ...; out may equal in. */
void edge_aes256_ctr_xor(const struct edge_aes256 *ks, const uint8_t iv[16], const uint8_t *in,
			 uint8_t *out, size_t len);

#endif
