/* User credentials as KAZOO keeps them (shared by the API and buglectl's bootstrap).
 * Return convention: 0 or a negative errno.
 */
#ifndef API_CREDENTIALS_H
#define API_CREDENTIALS_H

#include <jansson.h>

/* Fills pvt_md5_auth, pvt_sha1_auth (of "username:password" with the user name lower-cased,
 * what user_auth clients send and SIP digest needs) and pvt_password_hash (argon2id) into
 * user, and removes "password". -EINVAL for missing or oversize input, -ENOMEM. */
int api_user_set_password(json_t *user, const char *username, const char *password);
/* Lower-case hex of md5 or sha1 of s. */
void api_md5_hex(const char *s, char out[33]);
void api_sha1_hex(const char *s, char out[41]);

#endif
