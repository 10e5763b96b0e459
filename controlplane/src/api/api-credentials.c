/* User credentials as KAZOO keeps them: md5 and sha1 of "username:password" (what user_auth
 * clients send and SIP digest needs), plus an argon2id hash of the password itself. */
#include "api-credentials.h"

#include <ctype.h>
#include <errno.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void digest_hex(const EVP_MD *md, const char *s, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_Digest(s, strlen(s), d, &n, md, NULL);
	sodium_bin2hex(out, 2 * n + 1, d, n);
}

void api_md5_hex(const char *s, char out[33])
{
	digest_hex(EVP_md5(), s, out);
}

void api_sha1_hex(const char *s, char out[41])
{
	digest_hex(EVP_sha1(), s, out);
}

int api_credentials_compute(const char *username, const char *password,
			    struct api_credentials *out)
{
	if (!username || !password || strlen(username) > 256 || strlen(password) > 1024)
		return -EINVAL;
	size_t n = strlen(username) + strlen(password) + 2;
	char *pair = malloc(n);
	if (!pair)
		return -ENOMEM;
	/* KAZOO lower-cases the user name before hashing. */
	size_t i = 0;
	for (const char *c = username; *c; c++)
		pair[i++] = (char)tolower((unsigned char)*c);
	pair[i++] = ':';
	strcpy(pair + i, password);
	api_md5_hex(pair, out->md5);
	api_sha1_hex(pair, out->sha1);
	sodium_memzero(pair, n);
	free(pair);
	/* Light argon2id limits (a few ms, 8 MiB): it runs once per password write, on a
	 * worker thread in the API. */
	_Static_assert(sizeof(out->hash) >= crypto_pwhash_STRBYTES, "argon2id string fits");
	if (crypto_pwhash_str_alg(out->hash, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_MIN + 1, 8u << 20,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -ENOMEM;
	return 0;
}

void api_credentials_apply(json_t *user, const struct api_credentials *c)
{
	json_object_set_new(user, "pvt_md5_auth", json_string(c->md5));
	json_object_set_new(user, "pvt_sha1_auth", json_string(c->sha1));
	json_object_set_new(user, "pvt_password_hash", json_string(c->hash));
	json_object_del(user, "password");
}

int api_user_set_password(json_t *user, const char *username, const char *password)
{
	struct api_credentials c;
	int rc = api_credentials_compute(username, password, &c);
	if (rc == 0)
		api_credentials_apply(user, &c);
	sodium_memzero(&c, sizeof(c));
	return rc;
}
