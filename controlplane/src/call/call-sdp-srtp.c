/* SDES in SDP (RFC 4568): the first audio stream made RTP/SAVP with our a=crypto, or plain
 * RTP/AVP without any, for the leg it goes to; and the keys as bytes for the data plane. */
#include "call-sdp.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	size_t key_len;			/* master key || salt */
} suites[] = {
	{ "AES_CM_128_HMAC_SHA1_80", 30 },
	{ "AES_CM_128_HMAC_SHA1_32", 30 },
	{ "AEAD_AES_128_GCM", 28 },
};

int call_srtp_suite(const char *name)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (strcmp(name, suites[i].name) == 0)
			return (int)i + 1;
	return -1;
}

int call_srtp_new_key(const char *suite, char *out, size_t cap)
{
	int s = call_srtp_suite(suite);
	unsigned char key[32];
	if (s < 0)
		return -EINVAL;
	size_t n = suites[s - 1].key_len;
	if (cap < 4 * ((n + 2) / 3) + 1)
		return -ENOBUFS;
	if (RAND_bytes(key, (int)n) != 1)
		return -EIO;
	EVP_EncodeBlock((unsigned char *)out, key, (int)n);
	return 0;
}

int call_srtp_key_bytes(const char *suite, const char *b64, unsigned char *out, size_t cap)
{
	int s = call_srtp_suite(suite);
	size_t len = strlen(b64);
	unsigned char buf[64];
	if (s < 0 || len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof(buf))
		return -EINVAL;
	int n = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)len);
	if (n < 0)
		return -EINVAL;
	for (size_t i = len; i > 0 && b64[i - 1] == '='; i--)
		n--; /* EVP_DecodeBlock counts the padding as bytes */
	if ((size_t)n != suites[s - 1].key_len || (size_t)n > cap)
		return -EINVAL;
	memcpy(out, buf, (size_t)n);
	return n;
}


static int put_crypto(const char *line, char *out, size_t cap, size_t *pos)
{
	return line ? call_sdp_put_line(out, cap, pos, line, strlen(line)) : 0;
}

/* "m=audio PORT PROTO fmt...": the profile swapped. */
static int media_line(const char *p, size_t l, bool savp, char *out, size_t cap, size_t *pos)
{
	const char *sp1 = memchr(p + 8, ' ', l - 8);
	const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(p + l - sp1 - 1)) : NULL;
	char line[512];
	if (!sp1 || !sp2 || l + 8 >= sizeof(line))
		return -EINVAL;
	int n = snprintf(line, sizeof(line), "%.*s %s%.*s", (int)(sp1 - p), p,
			 savp ? "RTP/SAVP" : "RTP/AVP", (int)(p + l - sp2), sp2);
	return call_sdp_put_line(out, cap, pos, line, (size_t)n);
}

int call_sdp_set_crypto(const char *sdp, size_t len, unsigned tag, const char *suite,
			const char *key, char *out, size_t cap)
{
	char crypto[160];
	const char *line = NULL;
	if (suite) {
		int n = snprintf(crypto, sizeof(crypto), "a=crypto:%u %s inline:%s", tag, suite, key);
		if (n < 0 || (size_t)n >= sizeof(crypto))
			return -EINVAL;
		line = crypto;
	}
	const char *cur = sdp, *end = sdp + len, *p;
	size_t l, pos = 0;
	int where = 0; /* 0: before the first audio stream, 1: in it, 2: past it */
	if (cap)
		out[0] = '\0';
	while (call_sdp_next_line(&cur, end, &p, &l)) {
		int rc = 0;
		bool m_line = l >= 2 && memcmp(p, "m=", 2) == 0;
		if (where == 1 && m_line) {
			where = 2;
			if ((rc = put_crypto(line, out, cap, &pos)) < 0)
				return rc;
		}
		if (where == 0 && l > 8 && memcmp(p, "m=audio ", 8) == 0) {
			rc = media_line(p, l, suite != NULL, out, cap, &pos);
			where = 1;
		} else if (where == 1 && l > 9 && memcmp(p, "a=crypto:", 9) == 0) {
			/* the peer's keys are not the other leg's business */
		} else {
			rc = call_sdp_put_line(out, cap, &pos, p, l);
		}
		if (rc < 0)
			return rc;
	}
	if (where == 1)
		return put_crypto(line, out, cap, &pos);
	return where == 2 ? 0 : -EINVAL;
}
