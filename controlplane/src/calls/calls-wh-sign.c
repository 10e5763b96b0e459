/* HMAC-SHA256 through libsodium's streaming interface (any key length). */
#include "calls-wh-sign.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

static int finish(crypto_auth_hmacsha256_state *st, char out[CALLS_WH_SIG_HEX])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	if (crypto_auth_hmacsha256_final(st, mac) != 0)
		return -EIO;
	sodium_bin2hex(out, CALLS_WH_SIG_HEX, mac, sizeof(mac));
	sodium_memzero(st, sizeof(*st));
	return 0;
}

int calls_wh_hmac_hex(const char *key, size_t keylen, const char *data, size_t len,
		      char out[CALLS_WH_SIG_HEX])
{
	crypto_auth_hmacsha256_state st;
	if (sodium_init() < 0 ||
	    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, keylen) != 0 ||
	    crypto_auth_hmacsha256_update(&st, (const unsigned char *)data, len) != 0)
		return -EIO;
	return finish(&st, out);
}

int calls_wh_sign(const char *key, size_t keylen, const char *timestamp, const char *content,
		  size_t len, char out[CALLS_WH_SIG_HEX])
{
	crypto_auth_hmacsha256_state st;
	if (sodium_init() < 0 ||
	    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, keylen) != 0 ||
	    crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp,
					  strlen(timestamp)) != 0 ||
	    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1) != 0 ||
	    crypto_auth_hmacsha256_update(&st, (const unsigned char *)content, len) != 0)
		return -EIO;
	return finish(&st, out);
}
