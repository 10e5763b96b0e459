/* Job building. The multi-buffer manager runs up to one job per SIMD lane at once, so a chunk of
 * packets is submitted first and flushed at the end; completions come back in submit order. */
#include "bsrtp_jobs.h"

#include <string.h>

/* intel-ipsec-mb 1.3 accepts 12 or 20 bytes of HMAC-SHA1; SRTP's 10 and 4 are cut from 12. */
#define HMAC_SHA1_TAG_LEN 12
#define GCM_TAG_LEN 16

static void fill_job(IMB_JOB *job, struct bsrtp_slot *s, int decrypt, int cipher_only)
{
	uint8_t *buf = s->pkt->data;

	job->src = buf;
	job->dst = buf + s->cipher_off;
	job->cipher_start_src_offset_in_bytes = s->cipher_off;
	job->msg_len_to_cipher_in_bytes = s->cipher_len;
	job->cipher_direction = decrypt ? IMB_DIR_DECRYPT : IMB_DIR_ENCRYPT;
	job->chain_order = decrypt ? IMB_ORDER_HASH_CIPHER : IMB_ORDER_CIPHER_HASH;
	job->key_len_in_bytes = IMB_KEY_128_BYTES;
	job->iv = s->iv;
	job->user_data = s;
	job->auth_tag_output = s->tag_out;
	if (s->gcm) {
		job->cipher_mode = IMB_CIPHER_GCM;
		job->hash_alg = IMB_AUTH_AES_GMAC;
		job->enc_keys = &s->keys->k.gcm;
		job->dec_keys = &s->keys->k.gcm;
		job->iv_len_in_bytes = 12;
		job->u.GCM.aad = s->aad_ptr;
		job->u.GCM.aad_len_in_bytes = s->aad_len;
		job->hash_start_src_offset_in_bytes = s->cipher_off;
		job->msg_len_to_hash_in_bytes = s->cipher_len;
		job->auth_tag_output_len_in_bytes = GCM_TAG_LEN;
		return;
	}
	/* A zero-length CTR job is refused by the library: nothing to cipher is a NULL cipher. */
	job->cipher_mode = s->cipher_len ? IMB_CIPHER_CNTR : IMB_CIPHER_NULL;
	job->enc_keys = s->keys->k.cm.enc_exp;
	job->dec_keys = s->keys->k.cm.enc_exp;
	job->iv_len_in_bytes = 16;
	if (cipher_only) {
		job->hash_alg = IMB_AUTH_NULL;
		job->msg_len_to_hash_in_bytes = 0;
		job->hash_start_src_offset_in_bytes = 0;
		job->auth_tag_output_len_in_bytes = 0;
		job->auth_tag_output = NULL;
		return;
	}
	job->hash_alg = IMB_AUTH_HMAC_SHA_1;
	job->hash_start_src_offset_in_bytes = 0;
	job->msg_len_to_hash_in_bytes = s->hash_len;
	job->u.HMAC._hashed_auth_key_xor_ipad = s->keys->k.cm.ipad;
	job->u.HMAC._hashed_auth_key_xor_opad = s->keys->k.cm.opad;
	job->auth_tag_output_len_in_bytes = HMAC_SHA1_TAG_LEN;
}

static void complete(IMB_JOB *job)
{
	struct bsrtp_slot *s = job->user_data;

	s->job_ok = job->status == IMB_STATUS_COMPLETED;
}

static IMB_MGR *mgr_for(const struct bsrtp_engine *eng, const struct bsrtp_slot *s)
{
	return s->gcm ? eng->mgr : eng->mgr_hmac;
}

void bsrtp_jobs_run(const struct bsrtp_engine *eng, struct bsrtp_slot *slots, unsigned n,
		    int decrypt)
{
	IMB_JOB *job;

	for (unsigned i = 0; i < n; i++) {
		struct bsrtp_slot *s = &slots[i];
		IMB_MGR *mgr = mgr_for(eng, s);

		s->job_ok = 0;
		if (!s->active)
			continue;
		job = IMB_GET_NEXT_JOB(mgr);
		fill_job(job, s, decrypt, 0);
		for (job = IMB_SUBMIT_JOB(mgr); job; job = IMB_GET_COMPLETED_JOB(mgr))
			complete(job);
	}
	while ((job = IMB_FLUSH_JOB(eng->mgr)) != NULL)
		complete(job);
	if (eng->mgr_hmac != eng->mgr)
		while ((job = IMB_FLUSH_JOB(eng->mgr_hmac)) != NULL)
			complete(job);
}

/* Rare path (refused packet), so one synchronous job is fine. */
static void run_one(IMB_MGR *mgr, IMB_JOB *job)
{
	IMB_JOB *done = IMB_SUBMIT_JOB(mgr);

	while (done != job) {
		done = done ? IMB_GET_COMPLETED_JOB(mgr) : IMB_FLUSH_JOB(mgr);
		if (!done && IMB_QUEUE_SIZE(mgr) == 0)
			return;
	}
}

void bsrtp_jobs_undo_decrypt(const struct bsrtp_engine *eng, struct bsrtp_slot *slot)
{
	if (slot->cipher_len == 0 && !slot->gcm)
		return;
	IMB_MGR *mgr = mgr_for(eng, slot);
	IMB_JOB *job = IMB_GET_NEXT_JOB(mgr);

	/* CTR (and GCM's CTR) is its own inverse: encrypting the plaintext with the same counter
	 * gives the ciphertext back; a GCM job also writes a tag, into scratch. */
	fill_job(job, slot, 0, 1);
	run_one(mgr, job);
}

void bsrtp_jobs_ctr(IMB_MGR *mgr, const void *enc_exp, const uint8_t iv[16], uint8_t *buf,
		    uint32_t len)
{
	IMB_JOB *job = IMB_GET_NEXT_JOB(mgr);

	job->src = buf;
	job->dst = buf;
	job->cipher_start_src_offset_in_bytes = 0;
	job->msg_len_to_cipher_in_bytes = len;
	job->cipher_direction = IMB_DIR_ENCRYPT;
	job->chain_order = IMB_ORDER_CIPHER_HASH;
	job->cipher_mode = IMB_CIPHER_CNTR;
	job->key_len_in_bytes = IMB_KEY_128_BYTES;
	job->enc_keys = enc_exp;
	job->dec_keys = enc_exp;
	job->iv = iv;
	job->iv_len_in_bytes = 16;
	job->hash_alg = IMB_AUTH_NULL;
	job->msg_len_to_hash_in_bytes = 0;
	job->hash_start_src_offset_in_bytes = 0;
	job->auth_tag_output = NULL;
	job->auth_tag_output_len_in_bytes = 0;
	job->user_data = NULL;
	run_one(mgr, job);
}
