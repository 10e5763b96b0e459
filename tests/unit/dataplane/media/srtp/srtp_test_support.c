/* Test helpers: see srtp_test_support.h. */
#include "srtp_test_support.h"

#include <string.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int test_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		if (*hex == ' ' || *hex == '\n')
			continue;
		int d = hex_digit(*hex);

		if (d < 0)
			return -1;
		if (hi < 0) {
			hi = d;
			continue;
		}
		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

uint64_t test_rand(struct test_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

void test_rand_bytes(struct test_rng *r, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(test_rand(r) >> 32);
}

size_t test_make_rtp(struct test_rng *r, uint8_t *buf, uint32_t ssrc, uint16_t seq,
		     size_t payload_len)
{
	unsigned cc = (unsigned)(test_rand(r) % 4 == 0 ? test_rand(r) % 16 : 0);
	int ext = test_rand(r) % 3 == 0;
	size_t len = 12;

	buf[0] = (uint8_t)(0x80 | (ext ? 0x10 : 0) | cc);
	buf[1] = (uint8_t)(test_rand(r) & 0xff);	/* marker + payload type */
	buf[2] = (uint8_t)(seq >> 8);
	buf[3] = (uint8_t)seq;
	test_rand_bytes(r, buf + 4, 4);			/* timestamp */
	buf[8] = (uint8_t)(ssrc >> 24);
	buf[9] = (uint8_t)(ssrc >> 16);
	buf[10] = (uint8_t)(ssrc >> 8);
	buf[11] = (uint8_t)ssrc;
	test_rand_bytes(r, buf + len, 4 * cc);
	len += 4 * cc;
	if (ext) {
		unsigned words = (unsigned)(test_rand(r) % 6);

		buf[len] = 0xbe;
		buf[len + 1] = 0xde;
		buf[len + 2] = 0;
		buf[len + 3] = (uint8_t)words;
		test_rand_bytes(r, buf + len + 4, 4 * words);
		len += 4 + 4 * words;
	}
	if (!payload_len)
		payload_len = 12 + (size_t)(test_rand(r) % (1400 - 12 + 1));
	test_rand_bytes(r, buf + len, payload_len);
	return len + payload_len;
}

size_t test_make_rtcp(struct test_rng *r, uint8_t *buf, uint32_t ssrc)
{
	/* Sender report header; the rest is opaque to SRTCP, so random bytes do. */
	size_t len = 28 + 4 * (size_t)(test_rand(r) % 200);

	buf[0] = 0x80;
	buf[1] = 200;
	buf[2] = (uint8_t)(((len / 4) - 1) >> 8);
	buf[3] = (uint8_t)((len / 4) - 1);
	buf[4] = (uint8_t)(ssrc >> 24);
	buf[5] = (uint8_t)(ssrc >> 16);
	buf[6] = (uint8_t)(ssrc >> 8);
	buf[7] = (uint8_t)ssrc;
	test_rand_bytes(r, buf + 8, len - 8);
	return len;
}

srtp_t test_libsrtp_session(enum bsrtp_suite suite, int outbound, const uint8_t *master)
{
	srtp_policy_t pol;
	srtp_t s = NULL;
	uint8_t key[64];

	memset(&pol, 0, sizeof(pol));
	switch (suite) {
	case BSRTP_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
		break;
	case BSRTP_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
		/* RFC 4568 §6.2.2: SRTCP keeps the 80-bit tag under this suite. */
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
		break;
	case BSRTP_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtcp);
		break;
	default:
		return NULL;
	}
	/* libsrtp2 reads its key buffer at the policy's full length. */
	memset(key, 0, sizeof(key));
	memcpy(key, master, bsrtp_suite_master_len(suite));
	pol.key = key;
	pol.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	pol.window_size = 128;
	if (srtp_create(&s, &pol) != srtp_err_status_ok)
		return NULL;
	return s;
}
