/* Types of the SRTP/SRTCP engine (RFC 3711, RFC 4568 SDES suites, RFC 7714 AES-GCM).
 *
 * Types only. A struct bsrtp_ctx protects or unprotects one direction of one leg; it is written
 * only by the worker lcore that owns the leg, and is fixed-size so it can live inside a session
 * object taken from a mempool. The packet path never allocates.
 */
#ifndef BUGLE_BSRTP_T_H
#define BUGLE_BSRTP_T_H

#include <errno.h>
#include <stdint.h>

#include <intel-ipsec-mb.h>

enum bsrtp_suite {
	BSRTP_AES_CM_128_HMAC_SHA1_80,
	BSRTP_AES_CM_128_HMAC_SHA1_32,
	BSRTP_AEAD_AES_128_GCM,
	BSRTP_SUITE_COUNT
};

enum bsrtp_dir {
	BSRTP_DIR_PROTECT,	/* plain RTP in, SRTP out (towards the SRTP side of a leg) */
	BSRTP_DIR_UNPROTECT	/* SRTP in, plain RTP out */
};

/* SSRCs tracked per context: a leg normally has one or two; more are a counted drop. */
#define BSRTP_MAX_SSRC 4
/* Packets handed to intel-ipsec-mb in one go; longer bursts are processed in chunks of this. */
#define BSRTP_BURST_MAX 32
/* Longest SDES master key||salt (AES-CM: 16 + 14). */
#define BSRTP_MASTER_LEN_MAX 30
/* Most bytes a protect call appends (SRTCP with GCM: 16-byte tag + 4-byte E||index). */
#define BSRTP_MAX_TRAILER 20

/* X(name, errno, help): outcomes and drop reasons, one counter each, per context; a call that
 * fails for a reason returns minus its errno. */
#define BSRTP_COUNTER_TABLE(X)                                                                     \
	X(protected, 0, "RTP packets protected")                                                   \
	X(unprotected, 0, "SRTP packets authenticated and decrypted")                              \
	X(rtcp_protected, 0, "RTCP packets protected")                                             \
	X(rtcp_unprotected, 0, "SRTCP packets authenticated and decrypted")                        \
	X(auth_fail, EBADMSG, "authentication tag did not match")                                  \
	X(replay_old, EALREADY, "packet index older than the replay window")                       \
	X(replay_dup, EALREADY, "packet index already seen (replayed or repeated)")                \
	X(bad_header, EPROTO, "not RTP/RTCP version 2, or CSRC/extension past the end")            \
	X(too_short, EMSGSIZE, "packet shorter than its header plus trailer")                      \
	X(no_room, ENOBUFS, "caller buffer has no room for the tag and trailer")                   \
	X(unknown_ssrc_full, ENOSPC, "new SSRC while all SSRC slots of the context are taken")     \
	X(index_exhausted, EKEYEXPIRED, "SRTCP index reached 2^31 (rekey needed)")                 \
	X(rtcp_unencrypted, EPROTONOSUPPORT, "SRTCP with the E bit clear (all suites encrypt)")    \
	X(wrong_direction, EINVAL, "protect on an unprotect context or the reverse")               \
	X(crypto_error, EIO, "intel-ipsec-mb refused a job")

enum bsrtp_counter_id {
#define BSRTP_COUNTER_ENUM(name, err, help) BSRTP_CTR_##name,
	BSRTP_COUNTER_TABLE(BSRTP_COUNTER_ENUM)
#undef BSRTP_COUNTER_ENUM
	BSRTP_CTR_COUNT
};

struct bsrtp_counters {
	uint64_t v[BSRTP_CTR_COUNT];	/* WRITER: the owning lcore; READERS: relaxed loads */
};

/* Session keys of one kind (RTP or RTCP), derived once at context set-up. RO after init. */
struct bsrtp_keys {
	union {
		struct {
			_Alignas(16) uint8_t enc_exp[16 * 11];	/* AES-128 encryption schedule */
			_Alignas(16) uint8_t ipad[20];		/* SHA1 state after key^ipad */
			_Alignas(16) uint8_t opad[20];		/* SHA1 state after key^opad */
		} cm;
		struct gcm_key_data gcm;
	} k;
	uint8_t salt[14];	/* 14 bytes for AES-CM, the first 12 for GCM */
};

/* Replay and rollover state of one SSRC. WRITER: the owning lcore. */
struct bsrtp_stream {
	uint64_t rtp_index;		/* highest accepted 48-bit index (ROC << 16 | SEQ) */
	unsigned __int128 rtp_seen;	/* bit k: index rtp_index - k accepted */
	unsigned __int128 rtcp_seen;	/* bit k: SRTCP index rtcp_start + k accepted */
	uint32_t rtcp_start;		/* unprotect: first index of the window; protect: last sent */
	uint32_t ssrc;
	uint8_t in_use;
};

struct bsrtp_ctx {
	struct bsrtp_keys rtp;		/* RO after init */
	struct bsrtp_keys rtcp;		/* RO after init */
	struct bsrtp_stream streams[BSRTP_MAX_SSRC];
	struct bsrtp_counters ctr;
	enum bsrtp_suite suite;		/* RO after init */
	enum bsrtp_dir dir;		/* RO after init */
	uint8_t tag_len;		/* RO after init: SRTP tag, 10, 4 or 16 */
	uint8_t rtcp_tag_len;		/* RO after init: SRTCP tag, 10 for both AES-CM suites
					 * (RFC 4568 §6.2.2), 16 for GCM */
	uint8_t heap;			/* set by bsrtp_ctx_create: destroy frees it */
} __attribute__((aligned(64)));

/* One packet of a burst. The caller fills ctx, data, len and cap (bytes usable at data, at least
 * len + the suite's trailer for protect); the call updates len in place and sets rc. */
struct bsrtp_pkt {
	struct bsrtp_ctx *ctx;
	uint8_t *data;
	uint32_t len;
	uint32_t cap;
	int rc;			/* 0 or a negative errno; the reason is also counted in ctx */
};

#endif
