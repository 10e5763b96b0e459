/* Refusals: each bad input gets its negative errno and its named counter, and the caller's
 * buffer comes back untouched. Replays (duplicate and too old), tampered header, payload and
 * tag, SSRC slots full (and freed), short and malformed packets, no room for the tag, wrong direction,
 * SRTCP index exhaustion, and keys wiped on destroy. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bsrtp.h"
#include "srtp_test_support.h"

#define BUF (TEST_MAX_PKT + TEST_ROOM)

struct pair {
	struct bsrtp_engine *eng;
	struct bsrtp_ctx *tx, *rx;
	uint8_t master[BSRTP_MASTER_LEN_MAX];
};

static void pair_open(struct pair *p, struct bsrtp_engine *eng, enum bsrtp_suite suite)
{
	size_t mlen = bsrtp_suite_master_len(suite);

	p->eng = eng;
	for (size_t i = 0; i < mlen; i++)
		p->master[i] = (uint8_t)(i * 7 + 3);
	p->tx = bsrtp_ctx_create(eng, suite, BSRTP_DIR_PROTECT, p->master, mlen);
	p->rx = bsrtp_ctx_create(eng, suite, BSRTP_DIR_UNPROTECT, p->master, mlen);
	assert_non_null(p->tx);
	assert_non_null(p->rx);
}

static void pair_close(struct pair *p)
{
	bsrtp_ctx_destroy(p->tx);
	bsrtp_ctx_destroy(p->rx);
}

/* A protected RTP packet of the given SSRC and SEQ, 160 bytes of payload. */
static size_t make_srtp(struct pair *p, uint8_t *buf, uint32_t ssrc, uint16_t seq)
{
	struct test_rng rng = { seq + 1ULL };
	size_t len = test_make_rtp(&rng, buf, ssrc, seq, 160);

	assert_int_equal(bsrtp_protect(p->eng, p->tx, buf, &len, BUF), 0);
	return len;
}

/* Unprotect must refuse with rc, count exactly one `id`, and leave the bytes as they were. */
static void expect_refused(struct pair *p, const uint8_t *pkt, size_t len, int rtcp, int rc,
			   enum bsrtp_counter_id id)
{
	uint8_t buf[BUF];
	size_t l = len;
	uint64_t before = bsrtp_counter_read(p->rx, id);

	memcpy(buf, pkt, len);
	assert_int_equal(rtcp ? bsrtp_unprotect_rtcp(p->eng, p->rx, buf, &l)
			      : bsrtp_unprotect(p->eng, p->rx, buf, &l),
			 rc);
	assert_int_equal(bsrtp_counter_read(p->rx, id), before + 1);
	assert_int_equal(l, len);
	assert_memory_equal(buf, pkt, len);
}

static void expect_accepted(struct pair *p, const uint8_t *pkt, size_t len, int rtcp)
{
	uint8_t buf[BUF];
	size_t l = len;

	memcpy(buf, pkt, len);
	assert_int_equal(rtcp ? bsrtp_unprotect_rtcp(p->eng, p->rx, buf, &l)
			      : bsrtp_unprotect(p->eng, p->rx, buf, &l),
			 0);
}

static void replay_and_tamper(struct bsrtp_engine *eng, enum bsrtp_suite suite)
{
	struct pair p;
	uint8_t first[BUF], pkt[BUF], bad[BUF], lost[BUF];
	size_t first_len, len, lost_len = 0;

	pair_open(&p, eng, suite);
	first_len = make_srtp(&p, first, 0x1234, 1000);
	/* Tampering anywhere (header, payload, tag) fails authentication. */
	const size_t spots[] = { 1, 5, 20, first_len - 1 };

	for (size_t i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
		memcpy(bad, first, first_len);
		bad[spots[i]] ^= 0x01;
		expect_refused(&p, bad, first_len, 0, -EBADMSG, BSRTP_CTR_auth_fail);
	}
	/* A tag cut short is a tag that does not match either. */
	expect_refused(&p, first, first_len - 1, 0, -EBADMSG, BSRTP_CTR_auth_fail);
	expect_accepted(&p, first, first_len, 0);
	expect_refused(&p, first, first_len, 0, -EALREADY, BSRTP_CTR_replay_dup);
	/* 200 packets later, the first one is behind the 128-packet window. */
	for (uint16_t s = 1001; s <= 1200; s++) {
		len = make_srtp(&p, pkt, 0x1234, s);
		if (s == 1100) {
			memcpy(lost, pkt, len);	/* held back in the network */
			lost_len = len;
		} else {
			expect_accepted(&p, pkt, len, 0);
		}
	}
	expect_refused(&p, first, first_len, 0, -EALREADY, BSRTP_CTR_replay_old);
	/* 1100 arrives 100 packets late: still inside the window, so taken once. */
	expect_accepted(&p, lost, lost_len, 0);
	expect_refused(&p, lost, lost_len, 0, -EALREADY, BSRTP_CTR_replay_dup);
	/* The sender refuses to use an index twice, as libsrtp2 does. */
	struct test_rng rng = { 1 };

	len = test_make_rtp(&rng, pkt, 0x1234, 1100, 160);
	assert_int_equal(bsrtp_protect(p.eng, p.tx, pkt, &len, BUF), -EALREADY);
	assert_int_equal(bsrtp_counter_read(p.tx, BSRTP_CTR_replay_dup), 1);
	pair_close(&p);
}

static void replay_and_tamper_cm80(void **state)
{
	replay_and_tamper(*state, BSRTP_AES_CM_128_HMAC_SHA1_80);
}

static void replay_and_tamper_cm32(void **state)
{
	replay_and_tamper(*state, BSRTP_AES_CM_128_HMAC_SHA1_32);
}

static void replay_and_tamper_gcm(void **state)
{
	replay_and_tamper(*state, BSRTP_AEAD_AES_128_GCM);
}

/* The sender keeps its own window (as libsrtp2 does): a packet that was lost before protect can
 * still be sent late, and the receiver takes it. */
static void late_packet_inside_window(void **state)
{
	struct pair p;
	uint8_t pkt[BUF], late[BUF];
	size_t len, late_len;
	struct test_rng rng = { 9 };

	pair_open(&p, *state, BSRTP_AES_CM_128_HMAC_SHA1_80);
	for (uint16_t s = 1; s <= 100; s++) {
		if (s == 50)
			continue;
		len = make_srtp(&p, pkt, 0x77, s);
		expect_accepted(&p, pkt, len, 0);
	}
	late_len = test_make_rtp(&rng, late, 0x77, 50, 160);
	assert_int_equal(bsrtp_protect(p.eng, p.tx, late, &late_len, BUF), 0);
	expect_accepted(&p, late, late_len, 0);
	expect_refused(&p, late, late_len, 0, -EALREADY, BSRTP_CTR_replay_dup);
	pair_close(&p);
}

static void ssrc_slots_full(void **state)
{
	struct pair p;
	uint8_t pkt[BUF];
	size_t len;
	struct test_rng rng = { 5 };

	pair_open(&p, *state, BSRTP_AEAD_AES_128_GCM);
	for (uint32_t s = 0; s < BSRTP_MAX_SSRC; s++) {
		len = make_srtp(&p, pkt, 100 + s, 1);
		expect_accepted(&p, pkt, len, 0);
	}
	/* The sender side refuses a fifth SSRC ... */
	len = test_make_rtp(&rng, pkt, 999, 1, 160);
	assert_int_equal(bsrtp_protect(p.eng, p.tx, pkt, &len, BUF), -ENOSPC);
	assert_int_equal(bsrtp_counter_read(p.tx, BSRTP_CTR_unknown_ssrc_full), 1);
	/* ... and so does the receiver, given one from another sender with the same key. */
	struct bsrtp_ctx *other = bsrtp_ctx_create(p.eng, BSRTP_AEAD_AES_128_GCM, BSRTP_DIR_PROTECT,
						   p.master, 28);

	assert_non_null(other);
	assert_int_equal(bsrtp_protect(p.eng, other, pkt, &len, BUF), 0);
	expect_refused(&p, pkt, len, 0, -ENOSPC, BSRTP_CTR_unknown_ssrc_full);
	/* Known SSRCs still pass. */
	len = make_srtp(&p, pkt, 101, 2);
	expect_accepted(&p, pkt, len, 0);
	/* Once the leg forgets an SSRC, the new one gets its slot. */
	assert_int_equal(bsrtp_ctx_forget_ssrc(p.rx, 100), 0);
	assert_int_equal(bsrtp_ctx_forget_ssrc(p.rx, 100), -ENOENT);
	len = test_make_rtp(&rng, pkt, 999, 2, 160);
	assert_int_equal(bsrtp_protect(p.eng, other, pkt, &len, BUF), 0);
	expect_accepted(&p, pkt, len, 0);
	bsrtp_ctx_destroy(other);
	pair_close(&p);
}

static void malformed_packets(void **state)
{
	struct pair p;
	uint8_t pkt[BUF], good[BUF];
	size_t len, good_len;
	struct test_rng rng = { 6 };

	pair_open(&p, *state, BSRTP_AES_CM_128_HMAC_SHA1_80);
	good_len = make_srtp(&p, good, 0x42, 7);
	/* Shorter than the fixed header plus tag. */
	expect_refused(&p, good, 21, 0, -EMSGSIZE, BSRTP_CTR_too_short);
	/* Version 1. */
	memcpy(pkt, good, good_len);
	pkt[0] = (uint8_t)((pkt[0] & 0x3f) | 0x40);
	expect_refused(&p, pkt, good_len, 0, -EPROTO, BSRTP_CTR_bad_header);
	/* 15 CSRCs on a 30-byte packet. */
	memcpy(pkt, good, 30);
	pkt[0] = 0x8f;
	expect_refused(&p, pkt, 30, 0, -EPROTO, BSRTP_CTR_bad_header);
	/* An extension whose length runs past the end. */
	memcpy(pkt, good, good_len);
	pkt[0] = 0x90;
	pkt[14] = 0xff;
	pkt[15] = 0xff;
	expect_refused(&p, pkt, good_len, 0, -EPROTO, BSRTP_CTR_bad_header);
	/* Protect: no room for the tag; wrong direction both ways. */
	len = test_make_rtp(&rng, pkt, 0x42, 8, 160);
	assert_int_equal(bsrtp_protect(p.eng, p.tx, pkt, &len, len + 9), -ENOBUFS);
	assert_int_equal(bsrtp_counter_read(p.tx, BSRTP_CTR_no_room), 1);
	assert_int_equal(bsrtp_protect(p.eng, p.rx, pkt, &len, BUF), -EINVAL);
	assert_int_equal(bsrtp_counter_read(p.rx, BSRTP_CTR_wrong_direction), 1);
	/* Plain RTP sent to an SRTP receiver: its last bytes are no tag. */
	expect_refused(&p, pkt, len, 0, -EBADMSG, BSRTP_CTR_auth_fail);
	len = 11;
	assert_int_equal(bsrtp_protect(p.eng, p.tx, pkt, &len, BUF), -EMSGSIZE);
	/* RTCP: too short and a bad version. */
	expect_refused(&p, good, 8 + 4 + 9, 1, -EMSGSIZE, BSRTP_CTR_too_short);
	memcpy(pkt, good, good_len);
	pkt[0] = 0x00;
	expect_refused(&p, pkt, good_len, 1, -EPROTO, BSRTP_CTR_bad_header);
	/* None of this disturbed the stream. */
	expect_accepted(&p, good, good_len, 0);
	pair_close(&p);
}

static void rtcp_replay_tamper_and_exhaustion(void **state)
{
	struct pair p;
	uint8_t pkt[BUF], first[BUF], bad[BUF];
	size_t len, first_len;
	struct test_rng rng = { 7 };

	pair_open(&p, *state, BSRTP_AES_CM_128_HMAC_SHA1_32);
	first_len = test_make_rtcp(&rng, first, 0x55);
	assert_int_equal(bsrtp_protect_rtcp(p.eng, p.tx, first, &first_len, BUF), 0);
	memcpy(bad, first, first_len);
	bad[first_len - 1] ^= 0x80;
	expect_refused(&p, bad, first_len, 1, -EBADMSG, BSRTP_CTR_auth_fail);
	memcpy(bad, first, first_len);
	bad[9] ^= 0x80;
	expect_refused(&p, bad, first_len, 1, -EBADMSG, BSRTP_CTR_auth_fail);
	expect_accepted(&p, first, first_len, 1);
	expect_refused(&p, first, first_len, 1, -EALREADY, BSRTP_CTR_replay_dup);
	for (int i = 0; i < 200; i++) {
		len = test_make_rtcp(&rng, pkt, 0x55);
		assert_int_equal(bsrtp_protect_rtcp(p.eng, p.tx, pkt, &len, BUF), 0);
		expect_accepted(&p, pkt, len, 1);
	}
	expect_refused(&p, first, first_len, 1, -EALREADY, BSRTP_CTR_replay_old);
	/* The 31-bit SRTCP index runs out: the sender must rekey. */
	for (unsigned i = 0; i < BSRTP_MAX_SSRC; i++)
		if (p.tx->streams[i].in_use)
			p.tx->streams[i].rtcp_start = 0x7fffffff;
	len = test_make_rtcp(&rng, pkt, 0x55);
	assert_int_equal(bsrtp_protect_rtcp(p.eng, p.tx, pkt, &len, BUF), -EKEYEXPIRED);
	assert_int_equal(bsrtp_counter_read(p.tx, BSRTP_CTR_index_exhausted), 1);
	pair_close(&p);
}

/* SRTCP with the E bit clear (authenticated, not encrypted), as libsrtp2 sends it when RTCP
 * confidentiality is off: a receiver that expects encryption refuses it, libsrtp2's as ours. */
static void rtcp_unencrypted(void **state)
{
	struct pair p;
	uint8_t pkt[BUF], copy[BUF];
	struct test_rng rng = { 8 };
	srtp_policy_t pol;
	srtp_t ref, ref_rx;
	uint8_t key[64] = { 0 };

	pair_open(&p, *state, BSRTP_AES_CM_128_HMAC_SHA1_80);
	memset(&pol, 0, sizeof(pol));
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	pol.rtcp.sec_serv = sec_serv_auth;
	memcpy(key, p.master, 30);
	pol.key = key;
	pol.ssrc.type = ssrc_any_outbound;
	assert_int_equal(srtp_create(&ref, &pol), srtp_err_status_ok);
	ref_rx = test_libsrtp_session(BSRTP_AES_CM_128_HMAC_SHA1_80, 0, p.master);
	assert_non_null(ref_rx);
	int ref_len = (int)test_make_rtcp(&rng, pkt, 0x66);

	assert_int_equal(srtp_protect_rtcp(ref, pkt, &ref_len), srtp_err_status_ok);
	assert_int_equal(pkt[ref_len - 14] & 0x80, 0);	/* E bit clear */
	memcpy(copy, pkt, (size_t)ref_len);
	assert_int_equal(srtp_unprotect_rtcp(ref_rx, copy, &ref_len), srtp_err_status_cant_check);
	expect_refused(&p, pkt, (size_t)ref_len, 1, -EPROTONOSUPPORT, BSRTP_CTR_rtcp_unencrypted);
	srtp_dealloc(ref_rx);
	srtp_dealloc(ref);
	pair_close(&p);

	/* GCM: same, on a packet of ours with the bit cleared. */
	pair_open(&p, *state, BSRTP_AEAD_AES_128_GCM);
	size_t len = test_make_rtcp(&rng, pkt, 0x66);

	assert_int_equal(bsrtp_protect_rtcp(p.eng, p.tx, pkt, &len, BUF), 0);
	pkt[len - 4] &= 0x7f;
	expect_refused(&p, pkt, len, 1, -EPROTONOSUPPORT, BSRTP_CTR_rtcp_unencrypted);
	pair_close(&p);
}

/* Random bytes and mutated valid packets at every length from 0 to 300, RTP and RTCP, all
 * suites: never accepted unless genuine, never a crash, the buffer untouched when refused. */
static void garbage_is_refused_cleanly(void **state)
{
	struct test_rng rng = { 0xbad };

	for (enum bsrtp_suite suite = 0; suite < BSRTP_SUITE_COUNT; suite++) {
		struct pair p;
		uint8_t valid[2][BUF], pkt[BUF], keep[BUF];
		size_t valid_len[2];

		pair_open(&p, *state, suite);
		valid_len[0] = make_srtp(&p, valid[0], 0x99, 3);
		valid_len[1] = test_make_rtcp(&rng, valid[1], 0x99);
		assert_int_equal(bsrtp_protect_rtcp(p.eng, p.tx, valid[1], &valid_len[1], BUF), 0);
		for (int i = 0; i < 6000; i++) {
			int rtcp = i & 1;
			size_t len = (size_t)(test_rand(&rng) % 301);

			if (test_rand(&rng) % 2) {
				test_rand_bytes(&rng, pkt, len);
				pkt[0] = (uint8_t)((pkt[0] & 0x3f) | 0x80);	/* past the version check */
			} else {
				memcpy(pkt, valid[rtcp], valid_len[rtcp]);
				len = valid_len[rtcp] - (test_rand(&rng) % 3 ? 0 : test_rand(&rng) % 20);
				pkt[test_rand(&rng) % len] ^= (uint8_t)(1 + test_rand(&rng) % 255);
			}
			memcpy(keep, pkt, len);
			size_t l = len;
			int rc = rtcp ? bsrtp_unprotect_rtcp(p.eng, p.rx, pkt, &l)
				      : bsrtp_unprotect(p.eng, p.rx, pkt, &l);

			assert_true(rc < 0);
			assert_int_equal(l, len);
			assert_memory_equal(pkt, keep, len);
		}
		/* The genuine packets still pass afterwards. */
		expect_accepted(&p, valid[0], valid_len[0], 0);
		expect_accepted(&p, valid[1], valid_len[1], 1);
		pair_close(&p);
	}
}

static void keys_wiped_on_destroy(void **state)
{
	struct bsrtp_ctx *ctx = aligned_alloc(64, sizeof(*ctx));
	uint8_t master[30];
	const uint8_t *bytes = (const uint8_t *)ctx;
	size_t nonzero = 0;

	assert_non_null(ctx);
	memset(master, 0x5a, sizeof(master));
	assert_int_equal(bsrtp_ctx_init(ctx, *state, BSRTP_AES_CM_128_HMAC_SHA1_80,
					BSRTP_DIR_PROTECT, master, 30),
			 0);
	for (size_t i = 0; i < sizeof(*ctx); i++)
		nonzero += bytes[i] != 0;
	assert_true(nonzero > 100);
	bsrtp_ctx_destroy(ctx);	/* caller storage: wiped, not freed */
	for (size_t i = 0; i < sizeof(*ctx); i++)
		assert_int_equal(bytes[i], 0);
	free(ctx);
	bsrtp_ctx_destroy(NULL);
}

static int setup(void **state)
{
	if (srtp_init() != srtp_err_status_ok)
		return -1;
	*state = bsrtp_engine_create();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	bsrtp_engine_destroy(*state);
	srtp_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_and_tamper_cm80),
		cmocka_unit_test(replay_and_tamper_cm32),
		cmocka_unit_test(replay_and_tamper_gcm),
		cmocka_unit_test(late_packet_inside_window),
		cmocka_unit_test(ssrc_slots_full),
		cmocka_unit_test(malformed_packets),
		cmocka_unit_test(rtcp_replay_tamper_and_exhaustion),
		cmocka_unit_test(rtcp_unencrypted),
		cmocka_unit_test(garbage_is_refused_cleanly),
		cmocka_unit_test(keys_wiped_on_destroy),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
