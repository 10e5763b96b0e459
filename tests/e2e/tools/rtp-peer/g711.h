/* G.711 encoders (ITU-T G.711 segment tables), for the test endpoint only: the data plane's
 * codecs live in bugle_dp_codec. Return convention: the encoded byte. */
#ifndef BUGLE_RTP_PEER_G711_H
#define BUGLE_RTP_PEER_G711_H

#include <stdint.h>

static inline uint8_t g711_linear_to_ulaw(int16_t pcm)
{
	const int bias = 0x84, clip = 32635;
	int v = pcm, sign = (v >> 8) & 0x80;
	if (sign)
		v = -v;
	if (v > clip)
		v = clip;
	v += bias;
	int exp = 7;
	for (int mask = 0x4000; (v & mask) == 0 && exp > 0; mask >>= 1)
		exp--;
	int mant = (v >> (exp + 3)) & 0x0f;
	return (uint8_t)~(sign | (exp << 4) | mant);
}

static inline uint8_t g711_linear_to_alaw(int16_t pcm)
{
	int v = pcm, sign = v >= 0 ? 0x80 : 0;
	if (!sign)
		v = -v - 1;
	if (v > 32767)
		v = 32767;
	int exp = 7;
	for (int mask = 0x4000; (v & mask) == 0 && exp > 0; mask >>= 1)
		exp--;
	int mant = exp ? (v >> (exp + 3)) & 0x0f : (v >> 4) & 0x0f;
	return (uint8_t)((sign | (exp << 4) | mant) ^ 0x55);
}

#endif
