/* SRTP/SRTCP protect and unprotect on intel-ipsec-mb, bit-identical to libsrtp2.
 * Return convention: burst calls return how many packets succeeded (each packet's rc says why the
 * others failed), creators return a pointer or NULL, everything else 0 or a negative errno.
 *
 * One engine per worker lcore (it owns the intel-ipsec-mb manager and the job scratch); contexts
 * are set up at session install time and then used only by the lcore that owns the leg.
 */
#ifndef BUGLE_BSRTP_H
#define BUGLE_BSRTP_H

#include <stddef.h>
#include <stdint.h>

#include "bsrtp-t.h"

struct bsrtp_engine;

/* Engine of one lcore: allocates at start-up, never on the packet path. It picks the best
 * intel-ipsec-mb code paths for this CPU. */
struct bsrtp_engine *bsrtp_engine_create(void);
/* Same on one named code path: "sse", "avx", "avx2", "avx512" (or "auto" as above); NULL when the
 * name is unknown or this CPU lacks what the path needs. Results never depend on the path. */
struct bsrtp_engine *bsrtp_engine_create_arch(const char *arch);
void bsrtp_engine_destroy(struct bsrtp_engine *eng);
/* Name of the intel-ipsec-mb code path picked for this CPU ("avx512", "avx2", "sse", ...):
 * for AES-GCM, or with hmac_path set, for the AES-CM + HMAC-SHA1 suites. */
const char *bsrtp_engine_arch(const struct bsrtp_engine *eng, int hmac_path);

/* SDES master key||salt length of a suite (30, 30, 28), its SRTP tag length (10, 4, 16) and what
 * a protect appends to RTP (tag) and RTCP (SRTCP tag, 10 for both AES-CM suites, + 4-byte
 * E||index). 0 for an unknown suite. */
size_t bsrtp_suite_master_len(enum bsrtp_suite suite);
size_t bsrtp_suite_tag_len(enum bsrtp_suite suite);
size_t bsrtp_suite_rtp_overhead(enum bsrtp_suite suite);
size_t bsrtp_suite_rtcp_overhead(enum bsrtp_suite suite);
/* RFC 4568 name ("AES_CM_128_HMAC_SHA1_80"...) or NULL. */
const char *bsrtp_suite_name(enum bsrtp_suite suite);

/* Derive the session keys into caller storage (e.g. a session object from a mempool).
 * -EINVAL for an unknown suite or direction or a master of the wrong length. */
int bsrtp_ctx_init(struct bsrtp_ctx *ctx, struct bsrtp_engine *eng, enum bsrtp_suite suite,
		   enum bsrtp_dir dir, const uint8_t *master, size_t master_len);
/* Same on a fresh aligned allocation (control path only). */
struct bsrtp_ctx *bsrtp_ctx_create(struct bsrtp_engine *eng, enum bsrtp_suite suite,
				   enum bsrtp_dir dir, const uint8_t *master, size_t master_len);
/* Wipes keys and state; frees the context if bsrtp_ctx_create made it. NULL is a no-op. */
void bsrtp_ctx_destroy(struct bsrtp_ctx *ctx);
/* Free the slot of an SSRC the leg no longer uses (its ROC and replay state go with it);
 * -ENOENT if the context does not track it. Owning lcore only. */
int bsrtp_ctx_forget_ssrc(struct bsrtp_ctx *ctx, uint32_t ssrc);

/* One packet in place. len is updated; cap is the usable size of buf (protect needs the suite's
 * overhead past len). */
int bsrtp_protect(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf, size_t *len,
		  size_t cap);
int bsrtp_unprotect(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf, size_t *len);
int bsrtp_protect_rtcp(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf, size_t *len,
		       size_t cap);
int bsrtp_unprotect_rtcp(struct bsrtp_engine *eng, struct bsrtp_ctx *ctx, uint8_t *buf,
			 size_t *len);

/* Bursts: packets may belong to different contexts. The result is the same as calling the
 * one-packet functions in array order. */
unsigned bsrtp_protect_burst(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n);
unsigned bsrtp_unprotect_burst(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n);
unsigned bsrtp_protect_rtcp_burst(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n);
unsigned bsrtp_unprotect_rtcp_burst(struct bsrtp_engine *eng, struct bsrtp_pkt *pkts, unsigned n);

/* Counter table: name and help by id (NULL past the end), and a relaxed read for stats. */
const char *bsrtp_counter_name(unsigned id);
const char *bsrtp_counter_help(unsigned id);
static inline uint64_t bsrtp_counter_read(const struct bsrtp_ctx *ctx, enum bsrtp_counter_id id)
{
	return __atomic_load_n(&ctx->ctr.v[id], __ATOMIC_RELAXED);
}

#endif
