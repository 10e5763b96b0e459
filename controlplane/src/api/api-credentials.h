/* User credentials as KAZOO keeps them (shared by the API and buglectl's bootstrap).
 * Return convention: 0 or a negative errno.
 */
#ifndef API_CREDENTIALS_H
#define API_CREDENTIALS_H

#include <jansson.h>

struct api_credentials {
	char md5[33];		/* md5("username:password"), user name lower-cased (user_auth) */
	char sha1[41];		/* sha1 of the same (user_auth, SIP digest) */
	char hash[128];		/* argon2id of the password (crypto_pwhash_STRBYTES) */
};

/* Computes the three hashes. Touches no shared state, so it may run on a worker thread.
 * -EINVAL for missing or oversize input, -ENOMEM when argon2id cannot get its memory. */
int api_credentials_compute(const char *username, const char *password,
			    struct api_credentials *out);
/* Writes them into user as pvt_md5_auth, pvt_sha1_auth, pvt_password_hash; removes
 * "password". */
void api_credentials_apply(json_t *user, const struct api_credentials *c);
/* Both, on the calling thread. */
int api_user_set_password(json_t *user, const char *username, const char *password);
/* Lower-case hex of md5 or sha1 of s. */
void api_md5_hex(const char *s, char out[33]);
void api_sha1_hex(const char *s, char out[41]);

#endif
