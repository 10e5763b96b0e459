/* Topology-hiding tokens (see edge_topo.h). */
#include "edge_topo.h"

#include <errno.h>
#include <string.h>

#include <sodium.h>

int edge_topo_key_init(uint8_t key[EDGE_TOPO_KEY_LEN])
{
	if (sodium_init() < 0)
		return -EIO;
	randombytes_buf(key, EDGE_TOPO_KEY_LEN);
	return 0;
}

static void nonce_of(const uint8_t tag[EDGE_TOPO_TAG],
		     uint8_t nonce[crypto_stream_xchacha20_NONCEBYTES])
{
	memset(nonce, 0, crypto_stream_xchacha20_NONCEBYTES);
	memcpy(nonce, tag, EDGE_TOPO_TAG);
}

int edge_topo_encode(const uint8_t key[EDGE_TOPO_KEY_LEN], const void *plain, size_t len,
		     char *out, size_t cap)
{
	uint8_t raw[EDGE_TOPO_TAG + EDGE_TOPO_MAX_PLAIN];
	uint8_t nonce[crypto_stream_xchacha20_NONCEBYTES];

	if (len == 0)
		return -EINVAL; /* the decoder refuses a bare tag: nothing to hide is no token */
	if (len > EDGE_TOPO_MAX_PLAIN)
		return -ENOSPC;
	size_t need = sodium_base64_ENCODED_LEN(EDGE_TOPO_TAG + len,
						sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (need > cap)
		return -ENOSPC;
	crypto_shorthash_siphashx24(raw, plain, len, key);
	nonce_of(raw, nonce);
	crypto_stream_xchacha20_xor(raw + EDGE_TOPO_TAG, plain, len, nonce,
				    key + crypto_shorthash_siphashx24_KEYBYTES);
	sodium_bin2base64(out, cap, raw, EDGE_TOPO_TAG + len,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return (int)strlen(out);
}

int edge_topo_decode(const uint8_t key[EDGE_TOPO_KEY_LEN], const char *tok, size_t len,
		     void *out, size_t cap)
{
	uint8_t raw[EDGE_TOPO_TAG + EDGE_TOPO_MAX_PLAIN];
	uint8_t nonce[crypto_stream_xchacha20_NONCEBYTES];
	uint8_t tag[EDGE_TOPO_TAG];
	size_t n = 0;

	if (sodium_base642bin(raw, sizeof(raw), tok, len, NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n <= EDGE_TOPO_TAG)
		return -EBADMSG;
	size_t plen = n - EDGE_TOPO_TAG;
	if (plen > cap)
		return -ENOSPC;
	nonce_of(raw, nonce);
	crypto_stream_xchacha20_xor(out, raw + EDGE_TOPO_TAG, plen, nonce,
				    key + crypto_shorthash_siphashx24_KEYBYTES);
	crypto_shorthash_siphashx24(tag, out, plen, key);
	if (sodium_memcmp(tag, raw, EDGE_TOPO_TAG) != 0)
		return -EBADMSG;
	return (int)plen;
}
