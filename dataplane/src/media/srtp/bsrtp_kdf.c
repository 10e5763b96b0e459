/* Key derivation: the PRF is AES-128 in counter mode keyed by the master key, with the counter
 * block (master_salt XOR label << 48) || 0x0000. */
#include "bsrtp_kdf.h"

#include <errno.h>
#include <string.h>

#include "bsrtp_jobs.h"

#define AES_KEY_LEN 16
#define AUTH_KEY_LEN 20
#define CM_SALT_LEN 14
#define GCM_SALT_LEN 12
#define SHA1_BLOCK 64

struct aes_schedule {
	_Alignas(16) uint8_t enc[16 * 11];
	_Alignas(16) uint8_t dec[16 * 11];
};

static void derive(IMB_MGR *mgr, const struct aes_schedule *sched, const uint8_t salt[CM_SALT_LEN],
		   enum bsrtp_kdf_label label, uint8_t *out, unsigned len)
{
	_Alignas(16) uint8_t iv[16] = { 0 };

	memcpy(iv, salt, CM_SALT_LEN);
	/* label << 48 within the 112-bit salt lands on its eighth byte */
	iv[7] ^= (uint8_t)label;
	memset(out, 0, len);
	bsrtp_jobs_ctr(mgr, sched->enc, iv, out, len);
}

int bsrtp_kdf(IMB_MGR *mgr, const uint8_t master_key[16], const uint8_t *master_salt,
	      unsigned salt_len, enum bsrtp_kdf_label label, uint8_t *out, unsigned len)
{
	struct aes_schedule sched;
	uint8_t salt[CM_SALT_LEN] = { 0 };

	if (salt_len > CM_SALT_LEN || len == 0)
		return -EINVAL;
	memcpy(salt, master_salt, salt_len);
	IMB_AES_KEYEXP_128(mgr, master_key, sched.enc, sched.dec);
	derive(mgr, &sched, salt, label, out, len);
	explicit_bzero(&sched, sizeof(sched));
	explicit_bzero(salt, sizeof(salt));
	return 0;
}

/* HMAC's inner and outer SHA1 states after the first block, computed once per key so each
 * packet hashes only its own bytes. */
static void hmac_sha1_precompute(IMB_MGR *mgr, const uint8_t key[AUTH_KEY_LEN],
				 struct bsrtp_keys *keys)
{
	_Alignas(16) uint8_t block[SHA1_BLOCK];

	memset(block, 0x36, sizeof(block));
	for (unsigned i = 0; i < AUTH_KEY_LEN; i++)
		block[i] ^= key[i];
	IMB_SHA1_ONE_BLOCK(mgr, block, keys->k.cm.ipad);
	memset(block, 0x5c, sizeof(block));
	for (unsigned i = 0; i < AUTH_KEY_LEN; i++)
		block[i] ^= key[i];
	IMB_SHA1_ONE_BLOCK(mgr, block, keys->k.cm.opad);
	explicit_bzero(block, sizeof(block));
}

static void derive_one(IMB_MGR *mgr, const struct aes_schedule *master, const uint8_t *salt,
		       int gcm, enum bsrtp_kdf_label first, struct bsrtp_keys *keys)
{
	_Alignas(16) uint8_t enc[AES_KEY_LEN];
	_Alignas(16) uint8_t dec_unused[16 * 11];
	uint8_t auth[AUTH_KEY_LEN];

	memset(keys, 0, sizeof(*keys));
	derive(mgr, master, salt, first, enc, AES_KEY_LEN);
	derive(mgr, master, salt, first + 2, keys->salt, gcm ? GCM_SALT_LEN : CM_SALT_LEN);
	if (gcm) {
		IMB_AES128_GCM_PRE(mgr, enc, &keys->k.gcm);
	} else {
		IMB_AES_KEYEXP_128(mgr, enc, keys->k.cm.enc_exp, dec_unused);
		derive(mgr, master, salt, first + 1, auth, AUTH_KEY_LEN);
		hmac_sha1_precompute(mgr, auth, keys);
	}
	explicit_bzero(enc, sizeof(enc));
	explicit_bzero(dec_unused, sizeof(dec_unused));
	explicit_bzero(auth, sizeof(auth));
}

int bsrtp_kdf_session_keys(IMB_MGR *mgr, enum bsrtp_suite suite, const uint8_t *master,
			   struct bsrtp_keys *rtp, struct bsrtp_keys *rtcp)
{
	struct aes_schedule sched;
	uint8_t salt[CM_SALT_LEN] = { 0 };
	int gcm = suite == BSRTP_AEAD_AES_128_GCM;

	if (suite >= BSRTP_SUITE_COUNT)
		return -EINVAL;
	memcpy(salt, master + AES_KEY_LEN, gcm ? GCM_SALT_LEN : CM_SALT_LEN);
	IMB_AES_KEYEXP_128(mgr, master, sched.enc, sched.dec);
	derive_one(mgr, &sched, salt, gcm, BSRTP_LABEL_RTP_ENC, rtp);
	derive_one(mgr, &sched, salt, gcm, BSRTP_LABEL_RTCP_ENC, rtcp);
	explicit_bzero(&sched, sizeof(sched));
	explicit_bzero(salt, sizeof(salt));
	return 0;
}
