/* Digest hashing on OpenSSL's EVP interface. */
#include "digest.h"

#include <errno.h>
#include <openssl/evp.h>
#include <string.h>
#include <strings.h>

int csip_digest_alg_parse(const char *name, enum csip_digest_alg *alg)
{
	if (!name || !*name || strcasecmp(name, "MD5") == 0)
		*alg = CSIP_DIGEST_MD5;
	else if (strcasecmp(name, "SHA-256") == 0)
		*alg = CSIP_DIGEST_SHA256;
	else
		return -ENOTSUP;
	return 0;
}

const char *csip_digest_alg_name(enum csip_digest_alg alg)
{
	return alg == CSIP_DIGEST_SHA256 ? "SHA-256" : "MD5";
}

size_t csip_digest_hex_len(enum csip_digest_alg alg)
{
	return alg == CSIP_DIGEST_SHA256 ? 64 : 32;
}

/* Hash of parts joined by ':' as lower-case hex. */
static int hash_joined(enum csip_digest_alg alg, const char *const *parts, size_t n,
		       char out[CSIP_DIGEST_HEX_MAX])
{
	static const char hex[] = "0123456789abcdef";
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md)
		return -ENOMEM;
	int ok = EVP_DigestInit_ex(md, alg == CSIP_DIGEST_SHA256 ? EVP_sha256() : EVP_md5(), NULL);
	for (size_t i = 0; ok && i < n; i++) {
		if (i)
			ok = EVP_DigestUpdate(md, ":", 1);
		if (ok && parts[i])
			ok = EVP_DigestUpdate(md, parts[i], strlen(parts[i]));
	}
	unsigned char bin[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	if (ok)
		ok = EVP_DigestFinal_ex(md, bin, &len);
	EVP_MD_CTX_free(md);
	if (!ok || len * 2 >= CSIP_DIGEST_HEX_MAX)
		return -EIO;
	for (unsigned i = 0; i < len; i++) {
		out[2 * i] = hex[bin[i] >> 4];
		out[2 * i + 1] = hex[bin[i] & 15];
	}
	out[2 * len] = '\0';
	return 0;
}

int csip_digest_ha1(enum csip_digest_alg alg, const char *username, const char *realm,
		    const char *password, char out[CSIP_DIGEST_HEX_MAX])
{
	const char *parts[] = { username, realm, password };
	return hash_joined(alg, parts, 3, out);
}

int csip_digest_response(enum csip_digest_alg alg, const char *ha1, const char *nonce,
			 const char *nc, const char *cnonce, const char *qop, const char *method,
			 const char *uri, char out[CSIP_DIGEST_HEX_MAX])
{
	char ha2[CSIP_DIGEST_HEX_MAX];
	const char *a2[] = { method, uri };
	int rc = hash_joined(alg, a2, 2, ha2);
	if (rc < 0)
		return rc;
	const char *kd[] = { ha1, nonce, nc, cnonce, qop, ha2 };
	return hash_joined(alg, kd, 6, out);
}

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool csip_digest_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	unsigned char diff = 0;
	for (size_t i = 0; i < la; i++)
		diff |= lower((unsigned char)a[i]) ^ lower((unsigned char)b[i]);
	return diff == 0;
}
