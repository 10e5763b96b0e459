/* Internal types of the per-lcore engine: the intel-ipsec-mb manager and one scratch slot per
 * packet of a chunk. Types only. WRITER and READER: the owning lcore.
 */
#ifndef BUGLE_BSRTP_ENGINE_T_H
#define BUGLE_BSRTP_ENGINE_T_H

#include <stdint.h>

#include <intel-ipsec-mb.h>

#include "bsrtp-t.h"

/* What one packet needs while its job is in flight, and to undo the job if the packet is
 * refused after decryption (the caller's buffer is left as it was given). */
struct bsrtp_slot {
	_Alignas(16) uint8_t iv[16];
	_Alignas(16) uint8_t tag_out[20];	/* tag computed by the job */
	uint8_t tag_in[16];			/* received tag, saved before the ROC overwrites it */
	uint8_t aad[12];			/* SRTCP GCM: header[0..8) || E||index */
	struct bsrtp_pkt *pkt;
	const struct bsrtp_keys *keys;
	struct bsrtp_stream *stream;		/* unprotect: NULL while the SSRC is new */
	const uint8_t *aad_ptr;			/* GCM additional data */
	uint64_t index;				/* RTP: 48-bit index; RTCP: 31-bit SRTCP index */
	uint32_t ssrc;
	uint32_t cipher_off;
	uint32_t cipher_len;
	uint32_t hash_len;			/* AES-CM: bytes from 0 covered by HMAC */
	uint32_t body_end;			/* where the tag (RTP) or trailer (RTCP) starts */
	uint32_t aad_len;
	uint8_t active;				/* passed the checks before crypto */
	uint8_t deferred;			/* refused as a replay, but an earlier packet of
						 * the chunk may change the ROC guess: decide
						 * after that packet is committed */
	uint8_t job_ok;
	uint8_t gcm;
};

/* Two managers because no single intel-ipsec-mb code path is best at both: the AVX-512 one has
 * the fastest AES-GCM (VAES) but does HMAC-SHA1 in 16 SIMD lanes that need many packets to pay
 * off, while on CPUs with SHA extensions the SSE one hashes each packet with SHA-NI, which is
 * faster here one packet at a time and in bursts alike. Where there is no SHA-NI both are the
 * same manager.
 *
 * One spare slot beyond a chunk: a packet whose verdict may change because an earlier packet of
 * the same burst moved its stream is redone alone there. */
struct bsrtp_engine {
	IMB_MGR *mgr;		/* best path of the CPU: AES-GCM, key set-up */
	IMB_MGR *mgr_hmac;	/* AES-CM + HMAC-SHA1 jobs; may equal mgr */
	struct bsrtp_slot slots[BSRTP_BURST_MAX + 1];
};

#endif
