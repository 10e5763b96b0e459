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

int api_user_set_password(json_t *user, const char *username, const char *password)
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
	char md5[33], sha1[41];
	api_md5_hex(pair, md5);
	api_sha1_hex(pair, sha1);
	sodium_memzero(pair, n);
	free(pair);
	/* Interactive limits would cost 64 MiB and ~100 ms on the loop thread per user write;
	 * these keep argon2id at a few milliseconds. */
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_MIN + 1,
				  8u << 20, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -ENOMEM;
	json_object_set_new(user, "pvt_md5_auth", json_string(md5));
	json_object_set_new(user, "pvt_sha1_auth", json_string(sha1));
	json_object_set_new(user, "pvt_password_hash", json_string(hash));
	json_object_del(user, "password");
	return 0;
}
