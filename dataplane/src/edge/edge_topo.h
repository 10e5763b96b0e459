/* Topology hiding tokens: internal values (Via lists, Contact URIs, flow addresses) carried
 * through the public side inside our own headers' parameters, encrypted and authenticated so
 * the public side can neither read nor forge them.
 *
 * A token is base64url (no padding) of tag || ciphertext: tag = SipHash-2-4 128-bit of the
 * plaintext under the MAC key (libsodium crypto_shorthash_siphashx24), ciphertext = the
 * plaintext under the cipher key in counter mode with the tag as the initial counter (a
 * synthetic IV): AES-256 on CPUs with AES-NI, else ChaCha20 (64-bit nonce and 64-bit counter
 * from the tag). Deterministic on purpose: a retransmission or a CANCEL must produce the same
 * token (the same Via branch). The cipher is chosen once per process (tokens never outlive
 * it: the key is random at start). Each thread keeps the tokens of its last short plaintexts
 * (a control plane's Contact, a phone's flow), so sealing the same value again is a copy.
 *
 * Return convention: encode/decode return the length written or a negative errno (-ENOSPC the
 * output is too small, -EINVAL an empty plaintext, -EBADMSG not a token or the integrity check
 * failed).
 */
#ifndef BUGLE_EDGE_TOPO_H
#define BUGLE_EDGE_TOPO_H

#include <stddef.h>
#include <stdint.h>

#include "edge-t.h"

#define EDGE_TOPO_TAG 16
#define EDGE_TOPO_MAX_PLAIN 700

/* Fills key with random bytes (libsodium). 0 or -EIO when libsodium cannot start. */
int edge_topo_key_init(uint8_t key[EDGE_TOPO_KEY_LEN]);

enum edge_topo_cipher { EDGE_TOPO_AES256 = 1, EDGE_TOPO_CHACHA20 };

/* The cipher of this process's tokens. */
enum edge_topo_cipher edge_topo_cipher(void);

/* For tests: use this cipher from now on. 0, -EINVAL, or -ENOTSUP for AES-256 on a CPU
 * without AES-NI. */
int edge_topo_set_cipher(enum edge_topo_cipher c);

int edge_topo_encode(const uint8_t key[EDGE_TOPO_KEY_LEN], const void *plain, size_t len,
		     char *out, size_t cap);
int edge_topo_decode(const uint8_t key[EDGE_TOPO_KEY_LEN], const char *tok, size_t len,
		     void *out, size_t cap);

#endif
