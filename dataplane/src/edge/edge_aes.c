/* AES-256-CTR for the tokens on intel-ipsec-mb (see edge_aes.h). Each thread has its own
 * manager (they are not shared between threads), made on first use and kept for the thread's
 * life: lcores live as long as the process. */
#include "edge_aes.h"

#include <string.h>

#include <intel-ipsec-mb.h>

/* Counter blocks per ECB job: a token's plaintext is at most a few hundred bytes. */
#define BATCH_BLOCKS 16

static __thread IMB_MGR *thread_mgr;

static IMB_MGR *mgr_get(void)
{
	if (thread_mgr)
		return thread_mgr;
	IMB_MGR *mgr = alloc_mb_mgr(0);
	if (!mgr)
		return NULL;
	init_mb_mgr_auto(mgr, NULL);
	if (imb_get_errno(mgr) != 0) {
		free_mb_mgr(mgr);
		return NULL;
	}
	thread_mgr = mgr;
	return mgr;
}

bool edge_aes_available(void)
{
	return (imb_get_feature_flags() & IMB_FEATURE_AESNI) != 0 && mgr_get() != NULL;
}

void edge_aes256_init(struct edge_aes256 *ks, const uint8_t key[32])
{
	IMB_MGR *mgr = mgr_get();
	uint8_t dec[15][16] __attribute__((aligned(16)));

	memset(ks, 0, sizeof(*ks));
	if (mgr)
		IMB_AES_KEYEXP_256(mgr, key, ks->rk, dec);
}

/* Encrypts n whole blocks in place with one ECB job. */
static bool ecb_blocks(IMB_MGR *mgr, const struct edge_aes256 *ks, uint8_t *blocks, size_t n)
{
	IMB_JOB *job = IMB_GET_NEXT_JOB(mgr);

	job->cipher_mode = IMB_CIPHER_ECB;
	job->cipher_direction = IMB_DIR_ENCRYPT;
	job->chain_order = IMB_ORDER_CIPHER_HASH;
	job->hash_alg = IMB_AUTH_NULL;
	job->key_len_in_bytes = IMB_KEY_256_BYTES;
	job->enc_keys = ks->rk;
	job->dec_keys = ks->rk;
	job->src = blocks;
	job->dst = blocks;
	job->cipher_start_src_offset_in_bytes = 0;
	job->msg_len_to_cipher_in_bytes = n * 16;
	job->iv = NULL;
	job->iv_len_in_bytes = 0;
	job = IMB_SUBMIT_JOB(mgr);
	if (!job)
		job = IMB_FLUSH_JOB(mgr);
	return job && job->status == IMB_STATUS_COMPLETED;
}

void edge_aes256_ctr_xor(const struct edge_aes256 *ks, const uint8_t iv[16], const uint8_t *in,
			 uint8_t *out, size_t len)
{
	uint8_t stream[BATCH_BLOCKS * 16] __attribute__((aligned(16)));
	IMB_MGR *mgr = mgr_get();
	uint64_t counter = 0;

	for (int i = 0; i < 8; i++)
		counter |= (uint64_t)iv[8 + i] << (8 * i);
	while (len > 0) {
		size_t chunk = len < sizeof(stream) ? len : sizeof(stream);
		size_t blocks = (chunk + 15) / 16;

		for (size_t b = 0; b < blocks; b++, counter++) {
			memcpy(stream + 16 * b, iv, 8);
			for (int i = 0; i < 8; i++)
				stream[16 * b + 8 + (size_t)i] = (uint8_t)(counter >> (8 * i));
		}
		/* Callers only come here after edge_aes_available(), so a failed job is a library
		 * fault: give zeros rather than the plaintext (the token then fails its tag). */
		if (!mgr || !ecb_blocks(mgr, ks, stream, blocks)) {
			memset(out, 0, len);
			return;
		}
		for (size_t i = 0; i < chunk; i++)
			out[i] = in[i] ^ stream[i];
		in += chunk;
		out += chunk;
		len -= chunk;
	}
}
