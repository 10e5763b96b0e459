/* Session key derivation (RFC 3711 §4.3 with the AES-CM PRF and key derivation rate 0, which
 * RFC 7714 §11 reuses for AES-GCM). Returns 0 or a negative errno.
 */
#ifndef BUGLE_BSRTP_KDF_H
#define BUGLE_BSRTP_KDF_H

#include <stdint.h>

#include <intel-ipsec-mb.h>

#include "bsrtp-t.h"

/* RFC 3711 §4.3.1 labels. */
enum bsrtp_kdf_label {
	BSRTP_LABEL_RTP_ENC = 0,
	BSRTP_LABEL_RTP_AUTH = 1,
	BSRTP_LABEL_RTP_SALT = 2,
	BSRTP_LABEL_RTCP_ENC = 3,
	BSRTP_LABEL_RTCP_AUTH = 4,
	BSRTP_LABEL_RTCP_SALT = 5
};

/* len bytes of the PRF output for label, from a 16-byte master key and its salt (12 or 14 bytes;
 * a 12-byte salt is padded with zeros as libsrtp2 does). */
int bsrtp_kdf(IMB_MGR *mgr, const uint8_t master_key[16], const uint8_t *master_salt,
	      unsigned salt_len, enum bsrtp_kdf_label label, uint8_t *out, unsigned len);

/* Fill the RTP and RTCP keys of a context from master key||salt. */
int bsrtp_kdf_session_keys(IMB_MGR *mgr, enum bsrtp_suite suite, const uint8_t *master,
			   struct bsrtp_keys *rtp, struct bsrtp_keys *rtcp);

#endif
