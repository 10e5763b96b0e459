/* Helpers shared by the SRTP unit tests: hex decoding, a seeded packet generator and libsrtp2
 * sessions as the reference. Creators return a pointer or NULL, the rest 0 or a negative errno
 * (hex decoding returns the byte count).
 */
#ifndef BUGLE_SRTP_TEST_SUPPORT_H
#define BUGLE_SRTP_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include <srtp2/srtp.h>

#include "bsrtp.h"

/* Room every test buffer keeps past the packet (covers both libraries' trailers). */
#define TEST_ROOM 64
#define TEST_MAX_PKT 1600

/* Decode hex (spaces ignored) into out; returns the byte count, or -1 on a bad digit/overflow. */
int test_hex(const char *hex, uint8_t *out, size_t cap);

/* xorshift64*: deterministic per seed so a failure can be replayed. */
struct test_rng {
	uint64_t s;
};
uint64_t test_rand(struct test_rng *r);
void test_rand_bytes(struct test_rng *r, uint8_t *out, size_t n);

/* A random RTP packet: random CSRC count, sometimes a header extension, payload 12..1400 bytes
 * (or the given payload length when payload_len is non-zero). Returns its length. */
size_t test_make_rtp(struct test_rng *r, uint8_t *buf, uint32_t ssrc, uint16_t seq,
		     size_t payload_len);
/* A random RTCP compound packet (sender report + random-length tail). Returns its length. */
size_t test_make_rtcp(struct test_rng *r, uint8_t *buf, uint32_t ssrc);

/* libsrtp2 session (srtp_init must have run once in the process) for a suite in one direction (ssrc_any_outbound or ssrc_any_inbound), with the
 * libsrtp2 default 128-packet replay window. */
srtp_t test_libsrtp_session(enum bsrtp_suite suite, int outbound, const uint8_t *master);

#endif
