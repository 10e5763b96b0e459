/* Nonce issue and verification. */
#include "nonce.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#define MAC_HEX 32
/* Clocks of the control planes sharing a data plane may differ a little. */
#define FUTURE_SKEW_S 5

int csip_nonce_key_random(struct csip_nonce_key *key)
{
	return RAND_bytes(key->secret, sizeof(key->secret)) == 1 ? 0 : -EIO;
}

static int mac_hex(const struct csip_nonce_key *key, const char *realm, const char *prefix32,
		   char out[MAC_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char msg[32 + 1 + 256];
	size_t rlen = strlen(realm);
	if (rlen > 256)
		return -EINVAL;
	memcpy(msg, prefix32, 32);
	msg[32] = ':';
	memcpy(msg + 33, realm, rlen);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned mlen = 0;
	if (!HMAC(EVP_sha256(), key->secret, sizeof(key->secret), msg, 33 + rlen, mac, &mlen) ||
	    mlen < MAC_HEX / 2)
		return -EIO;
	for (unsigned i = 0; i < MAC_HEX / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[MAC_HEX] = '\0';
	return 0;
}

int csip_nonce_make(const struct csip_nonce_key *key, const char *realm, uint64_t now_s,
		    uint64_t salt, char out[CSIP_NONCE_LEN + 1])
{
	char prefix[33];
	snprintf(prefix, sizeof(prefix), "%016llx%016llx", (unsigned long long)now_s,
		 (unsigned long long)salt);
	char mac[MAC_HEX + 1];
	int rc = mac_hex(key, realm, prefix, mac);
	if (rc < 0)
		return rc;
	memcpy(out, prefix, 32);
	memcpy(out + 32, mac, MAC_HEX + 1);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int csip_nonce_check(const struct csip_nonce_key *key, const char *realm, const char *nonce,
		     uint64_t now_s, uint64_t ttl_s, uint64_t *issued_s)
{
	if (!nonce || strlen(nonce) != CSIP_NONCE_LEN)
		return -EBADMSG;
	uint64_t ts = 0;
	for (int i = 0; i < CSIP_NONCE_LEN; i++) {
		int v = hexval(nonce[i]);
		if (v < 0)
			return -EBADMSG;
		if (i < 16)
			ts = (ts << 4) | (uint64_t)v;
	}
	char mac[MAC_HEX + 1];
	if (mac_hex(key, realm, nonce, mac) < 0)
		return -EBADMSG;
	if (CRYPTO_memcmp(mac, nonce + 32, MAC_HEX) != 0)
		return -EBADMSG;
	if (ts > now_s + FUTURE_SKEW_S)
		return -EBADMSG;
	if (ts + ttl_s < now_s)
		return -ETIMEDOUT;
	if (issued_s)
		*issued_s = ts;
	return 0;
}
