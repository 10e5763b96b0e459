/* Authorization parsing and challenge text. */
#include "auth.h"

#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Copies v without surrounding quotes; -EINVAL when absent or too long. Backslash escapes are
 * resolved (RFC 3261 quoted-pair). */
static int field(const char *v, char *out, size_t len)
{
	if (!v)
		return -EINVAL;
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n)
			i++;
		if (o + 1 >= len)
			return -EINVAL;
		out[o++] = v[i];
	}
	out[o] = '\0';
	return 0;
}

static bool is_hex(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static int credentials_from(const osip_authorization_t *a, struct csip_credentials *out)
{
	if (!a)
		return -ENOENT;
	char alg[32] = "";
	if (a->algorithm && field(a->algorithm, alg, sizeof(alg)) < 0)
		return -EINVAL;
	int rc = csip_digest_alg_parse(alg, &out->alg);
	if (rc < 0)
		return rc;
	if (field(a->username, out->username, sizeof(out->username)) < 0 ||
	    field(a->realm, out->realm, sizeof(out->realm)) < 0 ||
	    field(a->nonce, out->nonce, sizeof(out->nonce)) < 0 ||
	    field(a->uri, out->uri, sizeof(out->uri)) < 0 ||
	    field(a->response, out->response, sizeof(out->response)) < 0 ||
	    field(a->cnonce, out->cnonce, sizeof(out->cnonce)) < 0 ||
	    field(a->nonce_count, out->nc, sizeof(out->nc)) < 0 ||
	    field(a->message_qop, out->qop, sizeof(out->qop)) < 0)
		return -EINVAL;
	if (strcasecmp(out->qop, "auth") != 0 || !is_hex(out->nc, 8) || !out->username[0] ||
	    !out->cnonce[0] || !is_hex(out->response, csip_digest_hex_len(out->alg)))
		return -EINVAL;
	unsigned nc = 0;
	for (int i = 0; i < 8; i++) {
		char c = out->nc[i];
		nc = nc * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
	}
	out->nc_value = nc;
	return 0;
}

int csip_credentials_parse(const osip_message_t *req, struct csip_credentials *out)
{
	memset(out, 0, sizeof(*out));
	osip_authorization_t *a = NULL;
	for (int i = 0; osip_message_get_authorization(req, i, &a) >= 0 && a; i++) {
		if (a->auth_type && strcasecmp(a->auth_type, "Digest") == 0)
			break;
		a = NULL;
	}
	return credentials_from(a, out);
}

/* Calls are challenged with 407 (RFC 3261 §22.3): the answer comes in Proxy-Authorization,
 * whose syntax osip shares with Authorization. */
int csip_proxy_credentials_parse(const osip_message_t *req, struct csip_credentials *out)
{
	memset(out, 0, sizeof(*out));
	osip_proxy_authorization_t *a = NULL;
	for (int i = 0; osip_message_get_proxy_authorization(req, i, &a) >= 0 && a; i++) {
		if (a->auth_type && strcasecmp(a->auth_type, "Digest") == 0)
			break;
		a = NULL;
	}
	return credentials_from(a, out);
}

int csip_challenge_value(enum csip_digest_alg alg, const char *realm, const char *nonce,
			 bool stale, char *out, size_t len)
{
	/* A realm must not break out of its quotes; realms come from the To host, so refuse
	 * rather than escape. */
	if (strpbrk(realm, "\"\\\r\n"))
		return -EINVAL;
	int n = snprintf(out, len, "Digest realm=\"%s\", nonce=\"%s\", qop=\"auth\", algorithm=%s%s",
			 realm, nonce, csip_digest_alg_name(alg), stale ? ", stale=TRUE" : "");
	return n > 0 && (size_t)n < len ? 0 : -ENOBUFS;
}
