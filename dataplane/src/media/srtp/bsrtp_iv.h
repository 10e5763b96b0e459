/* Per-packet IVs: RFC 3711 §4.1.1 for AES-CM and RFC 7714 §8.1 / §9.1 for AES-GCM. Nothing
 * fails.
 */
#ifndef BUGLE_BSRTP_IV_H
#define BUGLE_BSRTP_IV_H

#include <stdint.h>
#include <string.h>

#include "bsrtp_bytes.h"

/* (salt << 16) XOR (SSRC << 64) XOR (index << 16): the counter block's last two bytes count
 * the AES blocks of the packet. index is the 48-bit SRTP index or the 31-bit SRTCP index. */
static inline void bsrtp_iv_cm(uint8_t iv[16], const uint8_t salt[14], uint32_t ssrc,
			       uint64_t index)
{
	memcpy(iv, salt, 14);
	iv[14] = 0;
	iv[15] = 0;
	iv[4] ^= (uint8_t)(ssrc >> 24);
	iv[5] ^= (uint8_t)(ssrc >> 16);
	iv[6] ^= (uint8_t)(ssrc >> 8);
	iv[7] ^= (uint8_t)ssrc;
	for (int i = 0; i < 6; i++)
		iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
}

/* 0x0000 || SSRC || word || low XOR the 12-byte salt, where (word, low) is (ROC, SEQ) for SRTP
 * and (0, SRTCP index) for SRTCP, written here as a 48-bit value. */
static inline void bsrtp_iv_gcm(uint8_t iv[12], const uint8_t salt[12], uint32_t ssrc,
				uint64_t tail48)
{
	uint8_t in[12] = { 0 };

	bsrtp_put_be32(in + 2, ssrc);
	for (int i = 0; i < 6; i++)
		in[6 + i] = (uint8_t)(tail48 >> (40 - 8 * i));
	for (int i = 0; i < 12; i++)
		iv[i] = in[i] ^ salt[i];
}

#endif
