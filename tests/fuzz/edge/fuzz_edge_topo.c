/* The topology token decoder on arbitrary text, and the encoder on arbitrary plaintext.
 * Properties: the decoder never writes past its buffer; a token it accepts is exactly the
 * token the encoder makes of the plaintext it returned (nothing else is accepted); any
 * non-empty plaintext round-trips. */
#include <stdlib.h>
#include <string.h>

#include "edge_topo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t key[EDGE_TOPO_KEY_LEN];
	char plain[EDGE_TOPO_MAX_PLAIN], tok[1024], back[EDGE_TOPO_MAX_PLAIN];

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 3);
	/* A small output buffer first: -ENOSPC, never an overflow. */
	int n = edge_topo_decode(key, (const char *)data, size, plain, 8);
	if (n > 8)
		abort();
	n = edge_topo_decode(key, (const char *)data, size, plain, sizeof(plain));
	if (n >= 0) {
		int t = edge_topo_encode(key, plain, (size_t)n, tok, sizeof(tok));
		if (t < 0 || (size_t)t != size || memcmp(tok, data, size) != 0)
			abort();
	}
	int t = edge_topo_encode(key, data, size, tok, sizeof(tok));
	if (size == 0 || size > EDGE_TOPO_MAX_PLAIN) {
		if (t >= 0)
			abort();
		return 0;
	}
	if (t < 0 || edge_topo_decode(key, tok, (size_t)t, back, sizeof(back)) != (int)size ||
	    memcmp(back, data, size) != 0)
		abort();
	return 0;
}
