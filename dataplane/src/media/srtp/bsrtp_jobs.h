/* Running a chunk of packets through intel-ipsec-mb jobs. Nothing here fails: a job the library
 * refuses leaves its slot's job_ok at 0.
 */
#ifndef BUGLE_BSRTP_JOBS_H
#define BUGLE_BSRTP_JOBS_H

#include "bsrtp_engine-t.h"

/* Submit every active slot (cipher then hash to encrypt, hash then cipher to decrypt) and flush
 * the manager, so all results are in the slots on return. */
void bsrtp_jobs_run(const struct bsrtp_engine *eng, struct bsrtp_slot *slots, unsigned n,
		    int decrypt);
/* Re-encrypt what a decrypt job of this slot produced, restoring the ciphertext. */
void bsrtp_jobs_undo_decrypt(const struct bsrtp_engine *eng, struct bsrtp_slot *slot);
/* AES-128-CTR keystream XORed over buf with a 16-byte counter block (key derivation). */
void bsrtp_jobs_ctr(IMB_MGR *mgr, const void *enc_exp, const uint8_t iv[16], uint8_t *buf,
		    uint32_t len);

#endif
