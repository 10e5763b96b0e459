/* Bursts give exactly what the one-packet calls give in array order: same bytes, same return
 * codes, same counters. Bursts mix two legs (contexts) and two SSRCs each, vary in size past the
 * 32-packet chunk, and carry broken packets, duplicates within one burst and tampered copies.
 * A crafted case makes an earlier packet of a burst change a later one's ROC guess. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bsrtp.h"
#include "srtp_test_support.h"

#define LEGS 2
#define NPKT 400
#define BUF (TEST_MAX_PKT + TEST_ROOM)

struct side {
	struct bsrtp_ctx *tx[LEGS];
	struct bsrtp_ctx *rx[LEGS];
};

struct item {
	uint8_t data[BUF];
	uint32_t len;
	unsigned leg;
};

typedef unsigned (*burst_fn)(struct bsrtp_engine *, struct bsrtp_pkt *, unsigned);
typedef int (*one_fn)(struct bsrtp_engine *, struct bsrtp_ctx *, uint8_t *, size_t *, size_t);

static int unprotect_rtp_one(struct bsrtp_engine *e, struct bsrtp_ctx *c, uint8_t *b, size_t *l,
			     size_t cap)
{
	(void)cap;
	return bsrtp_unprotect(e, c, b, l);
}

static int unprotect_rtcp_one(struct bsrtp_engine *e, struct bsrtp_ctx *c, uint8_t *b, size_t *l,
			      size_t cap)
{
	(void)cap;
	return bsrtp_unprotect_rtcp(e, c, b, l);
}

static void open_side(struct bsrtp_engine *eng, struct side *s, enum bsrtp_suite suite,
		      uint8_t master[LEGS][BSRTP_MASTER_LEN_MAX])
{
	size_t mlen = bsrtp_suite_master_len(suite);

	for (unsigned l = 0; l < LEGS; l++) {
		s->tx[l] = bsrtp_ctx_create(eng, suite, BSRTP_DIR_PROTECT, master[l], mlen);
		s->rx[l] = bsrtp_ctx_create(eng, suite, BSRTP_DIR_UNPROTECT, master[l], mlen);
		assert_non_null(s->tx[l]);
		assert_non_null(s->rx[l]);
	}
}

static void close_side(struct side *s)
{
	for (unsigned l = 0; l < LEGS; l++) {
		bsrtp_ctx_destroy(s->tx[l]);
		bsrtp_ctx_destroy(s->rx[l]);
	}
}

static void expect_same_counters(const struct bsrtp_ctx *a, const struct bsrtp_ctx *b)
{
	for (unsigned id = 0; id < BSRTP_CTR_COUNT; id++)
		assert_int_equal(bsrtp_counter_read(a, id), bsrtp_counter_read(b, id));
}

/* Run items through the burst call on side A (bursts of random size) and one by one on side B;
 * both must agree. The items are left as side A produced them. */
static void run_both(struct bsrtp_engine *eng, struct test_rng *rng, struct item *items,
		     unsigned n, struct bsrtp_ctx *const *ctx_a, struct bsrtp_ctx *const *ctx_b,
		     burst_fn burst, one_fn one, unsigned *ok_total)
{
	struct bsrtp_pkt *pk = calloc(n, sizeof(*pk));
	uint8_t(*copy)[BUF] = malloc((size_t)n * BUF);
	unsigned i = 0;

	assert_non_null(pk);
	assert_non_null(copy);
	for (unsigned k = 0; k < n; k++) {
		memcpy(copy[k], items[k].data, items[k].len);
		pk[k] = (struct bsrtp_pkt){ .ctx = ctx_a[items[k].leg], .data = items[k].data,
					    .len = items[k].len, .cap = BUF, .rc = 1 };
	}
	while (i < n) {
		unsigned len = 1 + (unsigned)(test_rand(rng) % 77);

		if (len > n - i)
			len = n - i;
		unsigned ok = burst(eng, pk + i, len), want = 0;

		for (unsigned k = i; k < i + len; k++)
			want += pk[k].rc == 0;
		assert_int_equal(ok, want);
		i += len;
	}
	for (unsigned k = 0; k < n; k++) {
		size_t len = items[k].len;
		int rc = one(eng, ctx_b[items[k].leg], copy[k], &len, BUF);

		assert_int_equal(pk[k].rc, rc);
		assert_int_equal(pk[k].len, len);
		assert_memory_equal(items[k].data, copy[k], len);
		items[k].len = pk[k].len;
		*ok_total += rc == 0;
	}
	free(copy);
	free(pk);
}

static void burst_matches_single(struct bsrtp_engine *eng, enum bsrtp_suite suite, int rtcp,
				 uint64_t seed)
{
	struct test_rng rng = { seed };
	uint8_t master[LEGS][BSRTP_MASTER_LEN_MAX];
	struct item *items = calloc(NPKT, sizeof(*items));
	struct item *rcv = calloc(NPKT * 2, sizeof(*rcv));
	struct side a, b;
	uint16_t seq[LEGS][2];
	uint32_t ssrc[LEGS][2];
	unsigned ok = 0, n = 0;

	assert_non_null(items);
	assert_non_null(rcv);
	for (unsigned l = 0; l < LEGS; l++) {
		test_rand_bytes(&rng, master[l], sizeof(master[l]));
		for (unsigned s = 0; s < 2; s++) {
			ssrc[l][s] = (uint32_t)test_rand(&rng);
			seq[l][s] = (uint16_t)(65536 - 100 - test_rand(&rng) % 100);
		}
	}
	open_side(eng, &a, suite, master);
	open_side(eng, &b, suite, master);
	for (unsigned k = 0; k < NPKT; k++) {
		struct item *it = &items[k];
		unsigned l = (unsigned)(test_rand(&rng) % LEGS), s = (unsigned)(test_rand(&rng) % 2);

		it->leg = l;
		if (rtcp)
			it->len = (uint32_t)test_make_rtcp(&rng, it->data, ssrc[l][s]);
		else
			it->len = (uint32_t)test_make_rtp(&rng, it->data, ssrc[l][s], seq[l][s]++, 0);
		if (test_rand(&rng) % 50 == 0)
			it->data[0] = 0x40;	/* version 1: refused before crypto */
		if (test_rand(&rng) % 50 == 0)
			it->len = 5;		/* too short */
		if (!rtcp && test_rand(&rng) % 50 == 0)
			seq[l][s] -= 2;		/* the sender repeats an index: refused */
	}
	run_both(eng, &rng, items, NPKT, a.tx, b.tx, rtcp ? bsrtp_protect_rtcp_burst
							   : bsrtp_protect_burst,
		 rtcp ? bsrtp_protect_rtcp : bsrtp_protect, &ok);
	assert_true(ok > NPKT * 8 / 10);
	/* What the receivers get: the protected packets, duplicates right behind (same burst) or
	 * further back, tampered copies, and some swaps. */
	for (unsigned k = 0; k < NPKT; k++) {
		unsigned roll = (unsigned)(test_rand(&rng) % 100);

		if (roll >= 5 && roll < 10) {
			/* tampered copy first: after the original it would be a replay */
			rcv[n] = items[k];
			rcv[n].data[test_rand(&rng) % rcv[n].len] ^= 0x10;
			n++;
		}
		rcv[n++] = items[k];
		if (roll < 5)
			rcv[n++] = items[k];
		else if (roll < 15 && n > 40) {
			rcv[n] = rcv[n - 40];
			n++;
		}
		if (roll % 7 == 0 && n >= 2) {
			struct item t = rcv[n - 1];

			rcv[n - 1] = rcv[n - 2];
			rcv[n - 2] = t;
		}
	}
	ok = 0;
	run_both(eng, &rng, rcv, n, a.rx, b.rx, rtcp ? bsrtp_unprotect_rtcp_burst
						       : bsrtp_unprotect_burst,
		 rtcp ? unprotect_rtcp_one : unprotect_rtp_one, &ok);
	assert_true(ok > NPKT * 7 / 10);
	assert_true(ok < n);
	for (unsigned l = 0; l < LEGS; l++) {
		expect_same_counters(a.tx[l], b.tx[l]);
		expect_same_counters(a.rx[l], b.rx[l]);
		assert_true(bsrtp_counter_read(a.rx[l], BSRTP_CTR_auth_fail) > 0);
		assert_true(bsrtp_counter_read(a.rx[l], BSRTP_CTR_replay_dup) > 0);
	}
	close_side(&a);
	close_side(&b);
	free(rcv);
	free(items);
}

static void cm80_rtp(void **state)
{
	burst_matches_single(*state, BSRTP_AES_CM_128_HMAC_SHA1_80, 0, 0x4001);
}

static void cm32_rtp(void **state)
{
	burst_matches_single(*state, BSRTP_AES_CM_128_HMAC_SHA1_32, 0, 0x4002);
}

static void gcm_rtp(void **state)
{
	burst_matches_single(*state, BSRTP_AEAD_AES_128_GCM, 0, 0x4003);
}

static void cm80_rtcp(void **state)
{
	burst_matches_single(*state, BSRTP_AES_CM_128_HMAC_SHA1_80, 1, 0x5001);
}

static void gcm_rtcp(void **state)
{
	burst_matches_single(*state, BSRTP_AEAD_AES_128_GCM, 1, 0x5003);
}

/* The receiver is at index 32000 (libsrtp2 does not guess a ROC yet). One burst brings SEQ 33000
 * and then SEQ 100 of the next cycle: alone against 32000, SEQ 100 looks 31900 packets old, but
 * after SEQ 33000 it is the ROC 1 packet it really is. libsrtp2 accepts both; so must a burst. */
static void burst_guess_moves_with_earlier_packet(void **state)
{
	struct bsrtp_engine *eng = *state;
	struct test_rng rng = { 0x6001 };
	uint8_t master[30];
	uint8_t pkt[4][BUF];
	size_t len[4];
	const uint16_t seqs[4] = { 32000, 33000, 60000, 100 };
	struct bsrtp_pkt burst[2];
	struct bsrtp_ctx *tx, *rx;
	srtp_t ref_rx;

	test_rand_bytes(&rng, master, sizeof(master));
	tx = bsrtp_ctx_create(eng, BSRTP_AES_CM_128_HMAC_SHA1_80, BSRTP_DIR_PROTECT, master, 30);
	rx = bsrtp_ctx_create(eng, BSRTP_AES_CM_128_HMAC_SHA1_80, BSRTP_DIR_UNPROTECT, master, 30);
	ref_rx = test_libsrtp_session(BSRTP_AES_CM_128_HMAC_SHA1_80, 0, master);
	assert_non_null(tx);
	assert_non_null(rx);
	assert_non_null(ref_rx);
	for (unsigned i = 0; i < 4; i++) {
		len[i] = test_make_rtp(&rng, pkt[i], 0xabcdef01, seqs[i], 40);
		assert_int_equal(bsrtp_protect(eng, tx, pkt[i], &len[i], BUF), 0);
	}
	/* libsrtp2 on the same arrivals: 32000, 33000, 100 (60000 lost). */
	for (unsigned i = 0; i < 4; i++) {
		uint8_t copy[BUF];
		int l = (int)len[i];

		if (i == 2)
			continue;
		memcpy(copy, pkt[i], len[i]);
		assert_int_equal(srtp_unprotect(ref_rx, copy, &l), srtp_err_status_ok);
	}
	assert_int_equal(bsrtp_unprotect(eng, rx, pkt[0], &len[0]), 0);
	burst[0] = (struct bsrtp_pkt){ .ctx = rx, .data = pkt[1], .len = (uint32_t)len[1], .cap = BUF };
	burst[1] = (struct bsrtp_pkt){ .ctx = rx, .data = pkt[3], .len = (uint32_t)len[3], .cap = BUF };
	assert_int_equal(bsrtp_unprotect_burst(eng, burst, 2), 2);
	assert_int_equal(burst[1].rc, 0);
	assert_int_equal(bsrtp_counter_read(rx, BSRTP_CTR_replay_old), 0);
	bsrtp_ctx_destroy(tx);
	bsrtp_ctx_destroy(rx);
	srtp_dealloc(ref_rx);
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
		cmocka_unit_test(cm80_rtp),
		cmocka_unit_test(cm32_rtp),
		cmocka_unit_test(gcm_rtp),
		cmocka_unit_test(cm80_rtcp),
		cmocka_unit_test(gcm_rtcp),
		cmocka_unit_test(burst_guess_moves_with_earlier_packet),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
