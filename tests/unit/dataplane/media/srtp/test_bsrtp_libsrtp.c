/* Bit identity with libsrtp2, the reference implementation, for all three suites:
 *  - protect: for thousands of random packets (random sizes, CSRCs, header extensions, keys, two
 *    SSRCs, sequence numbers across the 65535 -> 0 wrap) our bytes equal srtp_protect's;
 *  - unprotect: both receivers get the same reordered stream with duplicates, very old replays
 *    and tampered copies, and must accept and refuse exactly the same packets, with the same
 *    plaintext; each side also decrypts what the other side protected.
 * Same for SRTCP (srtp_protect_rtcp), and on every intel-ipsec-mb code path this CPU has. Seeds
 * are fixed, so a failure replays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bsrtp.h"
#include "srtp_test_support.h"

#define PKTS_PER_SSRC 1500
#define NSSRC 2
#define NPKT (PKTS_PER_SSRC * NSSRC)

struct wire {
	uint8_t plain[TEST_MAX_PKT];
	uint8_t prot[TEST_MAX_PKT + TEST_ROOM];
	size_t plain_len;
	size_t prot_len;
};

struct peers {
	struct bsrtp_engine *eng;
	struct bsrtp_ctx *tx, *rx;
	srtp_t ref_tx, ref_rx;
};

static void peers_open(struct peers *p, struct bsrtp_engine *eng, enum bsrtp_suite suite,
		       struct test_rng *rng)
{
	uint8_t master[BSRTP_MASTER_LEN_MAX];
	size_t mlen = bsrtp_suite_master_len(suite);

	test_rand_bytes(rng, master, mlen);
	p->eng = eng;
	p->tx = bsrtp_ctx_create(eng, suite, BSRTP_DIR_PROTECT, master, mlen);
	p->rx = bsrtp_ctx_create(eng, suite, BSRTP_DIR_UNPROTECT, master, mlen);
	p->ref_tx = test_libsrtp_session(suite, 1, master);
	p->ref_rx = test_libsrtp_session(suite, 0, master);
	assert_non_null(p->tx);
	assert_non_null(p->rx);
	assert_non_null(p->ref_tx);
	assert_non_null(p->ref_rx);
}

static void peers_close(struct peers *p)
{
	bsrtp_ctx_destroy(p->tx);
	bsrtp_ctx_destroy(p->rx);
	srtp_dealloc(p->ref_tx);
	srtp_dealloc(p->ref_rx);
}

/* Protect one packet with both; they must agree byte for byte. */
static void protect_both(struct peers *p, struct wire *w, int rtcp)
{
	uint8_t ref[TEST_MAX_PKT + TEST_ROOM];
	int ref_len = (int)w->plain_len;
	size_t len = w->plain_len;
	int rc;

	memcpy(ref, w->plain, w->plain_len);
	memcpy(w->prot, w->plain, w->plain_len);
	if (rtcp) {
		assert_int_equal(srtp_protect_rtcp(p->ref_tx, ref, &ref_len), srtp_err_status_ok);
		rc = bsrtp_protect_rtcp(p->eng, p->tx, w->prot, &len, sizeof(w->prot));
	} else {
		assert_int_equal(srtp_protect(p->ref_tx, ref, &ref_len), srtp_err_status_ok);
		rc = bsrtp_protect(p->eng, p->tx, w->prot, &len, sizeof(w->prot));
	}
	assert_int_equal(rc, 0);
	assert_int_equal(len, (size_t)ref_len);
	assert_memory_equal(w->prot, ref, len);
	w->prot_len = len;
}

struct outcome {
	unsigned ok, refused;
};

static const struct {
	enum bsrtp_counter_id ours;
	srtp_err_status_t ref;
} same_reason[] = {
	{ BSRTP_CTR_auth_fail, srtp_err_status_auth_fail },
	{ BSRTP_CTR_replay_dup, srtp_err_status_replay_fail },
	{ BSRTP_CTR_replay_old, srtp_err_status_replay_old },
};

/* Deliver one packet to both receivers: same verdict, same reason, same plaintext. */
static void deliver(struct peers *p, const uint8_t *pkt, size_t plen, int rtcp, struct outcome *o)
{
	uint8_t ours[TEST_MAX_PKT + TEST_ROOM], ref[TEST_MAX_PKT + TEST_ROOM];
	int ref_len = (int)plen;
	size_t len = plen;
	srtp_err_status_t ref_rc;
	int rc;

	uint64_t before[sizeof(same_reason) / sizeof(same_reason[0])];

	for (unsigned i = 0; i < sizeof(same_reason) / sizeof(same_reason[0]); i++)
		before[i] = bsrtp_counter_read(p->rx, same_reason[i].ours);
	memcpy(ours, pkt, plen);
	memcpy(ref, pkt, plen);
	if (rtcp) {
		ref_rc = srtp_unprotect_rtcp(p->ref_rx, ref, &ref_len);
		rc = bsrtp_unprotect_rtcp(p->eng, p->rx, ours, &len);
	} else {
		ref_rc = srtp_unprotect(p->ref_rx, ref, &ref_len);
		rc = bsrtp_unprotect(p->eng, p->rx, ours, &len);
	}
	assert_int_equal(rc == 0, ref_rc == srtp_err_status_ok);
	/* Refused for the same reason, too. */
	for (unsigned i = 0; i < sizeof(same_reason) / sizeof(same_reason[0]); i++)
		assert_int_equal(bsrtp_counter_read(p->rx, same_reason[i].ours) - before[i],
				 ref_rc == same_reason[i].ref);
	if (rc == 0) {
		assert_int_equal(len, (size_t)ref_len);
		assert_memory_equal(ours, ref, len);
		o->ok++;
	} else {
		/* A refused packet is handed back untouched. */
		assert_int_equal(len, plen);
		assert_memory_equal(ours, pkt, plen);
		o->refused++;
	}
}

/* The receivers' stream: mostly in order, with local swaps, late arrivals, duplicates, replays
 * from far back, losses and tampered copies. */
static void deliver_perturbed(struct peers *p, struct wire *w, unsigned n, int rtcp,
			      struct test_rng *rng, struct outcome *o)
{
	unsigned *order = malloc(n * sizeof(*order));
	uint8_t bad[TEST_MAX_PKT + TEST_ROOM];

	assert_non_null(order);
	for (unsigned i = 0; i < n; i++)
		order[i] = i;
	for (unsigned i = 0; i + 1 < n; i++) {
		if (test_rand(rng) % 100 == 0) {
			/* a late arrival 60..129 packets behind: inside a 128-packet window or not */
			unsigned j = i + 60 + (unsigned)(test_rand(rng) % 70);

			if (j < n) {
				unsigned t = order[i];

				order[i] = order[j];
				order[j] = t;
			}
		} else if (test_rand(rng) % 8 == 0) {
			unsigned j = i + 1 + (unsigned)(test_rand(rng) % 4);

			if (j < n) {
				unsigned t = order[i];

				order[i] = order[j];
				order[j] = t;
			}
		}
	}
	for (unsigned k = 0; k < n; k++) {
		const struct wire *x = &w[order[k]];
		unsigned roll = (unsigned)(test_rand(rng) % 100);

		if (roll < 2)
			continue;	/* lost */
		if (roll < 4) {
			memcpy(bad, x->prot, x->prot_len);
			bad[test_rand(rng) % x->prot_len] ^= (uint8_t)(1u << (test_rand(rng) % 8));
			deliver(p, bad, x->prot_len, rtcp, o);
		}
		deliver(p, x->prot, x->prot_len, rtcp, o);
		if (roll >= 97)
			deliver(p, x->prot, x->prot_len, rtcp, o);	/* duplicate */
		if (roll == 96 && k > 300) {
			const struct wire *old = &w[order[k - 300]];

			deliver(p, old->prot, old->prot_len, rtcp, o);	/* replay too old */
		}
	}
	free(order);
}

static void rtp_identity(struct bsrtp_engine *eng, enum bsrtp_suite suite, uint64_t seed)
{
	struct test_rng rng = { seed };
	struct wire *w = calloc(NPKT, sizeof(*w));
	struct peers p;
	struct outcome o = { 0 };
	uint32_t ssrc[NSSRC];
	uint16_t seq[NSSRC];

	assert_non_null(w);
	peers_open(&p, eng, suite, &rng);
	for (unsigned s = 0; s < NSSRC; s++) {
		ssrc[s] = (uint32_t)test_rand(&rng);
		/* Start close enough to 65535 that every stream wraps to ROC 1. */
		seq[s] = (uint16_t)(65536 - 200 - test_rand(&rng) % 1000);
	}
	for (unsigned i = 0; i < NPKT; i++) {
		unsigned s = i % NSSRC;

		w[i].plain_len = test_make_rtp(&rng, w[i].plain, ssrc[s], seq[s], 0);
		protect_both(&p, &w[i], 0);
		/* Mostly consecutive, sometimes a gap (lost upstream) */
		seq[s] = (uint16_t)(seq[s] + 1 + (test_rand(&rng) % 20 == 0 ? test_rand(&rng) % 50 : 0));
	}
	deliver_perturbed(&p, w, NPKT, 0, &rng, &o);
	/* The stream must have been mostly accepted, and some of it refused. */
	assert_true(o.ok > NPKT * 9 / 10);
	assert_true(o.refused > 50);
	assert_int_equal(bsrtp_counter_read(p.rx, BSRTP_CTR_unprotected), o.ok);
	assert_true(bsrtp_counter_read(p.rx, BSRTP_CTR_auth_fail) > 0);
	assert_true(bsrtp_counter_read(p.rx, BSRTP_CTR_replay_dup) > 0);
	assert_true(bsrtp_counter_read(p.rx, BSRTP_CTR_replay_old) > 0);
	peers_close(&p);
	free(w);
}

static void rtcp_identity(struct bsrtp_engine *eng, enum bsrtp_suite suite, uint64_t seed)
{
	enum { N = 1200 };
	struct test_rng rng = { seed };
	struct wire *w = calloc(N, sizeof(*w));
	struct peers p;
	struct outcome o = { 0 };
	uint32_t ssrc[NSSRC];

	assert_non_null(w);
	peers_open(&p, eng, suite, &rng);
	for (unsigned s = 0; s < NSSRC; s++)
		ssrc[s] = (uint32_t)test_rand(&rng);
	for (unsigned i = 0; i < N; i++) {
		w[i].plain_len = test_make_rtcp(&rng, w[i].plain, ssrc[i % NSSRC]);
		protect_both(&p, &w[i], 1);
	}
	deliver_perturbed(&p, w, N, 1, &rng, &o);
	assert_true(o.ok > N * 9 / 10);
	assert_true(o.refused > 20);
	assert_int_equal(bsrtp_counter_read(p.rx, BSRTP_CTR_rtcp_unprotected), o.ok);
	peers_close(&p);
	free(w);
}

/* Every intel-ipsec-mb code path this CPU has must give libsrtp2's bytes. */
struct engines {
	struct bsrtp_engine *e[8];
	const char *name[8];
	unsigned n;
};

#define FOR_EACH_ENGINE(state, eng)                                                        \
	for (unsigned _i = 0; _i < ((struct engines *)(state))->n; _i++)                     \
		for (struct bsrtp_engine *eng = ((struct engines *)(state))->e[_i]; eng; eng = NULL)

static void cm80_rtp(void **state)
{
	FOR_EACH_ENGINE(*state, eng)
		rtp_identity(eng, BSRTP_AES_CM_128_HMAC_SHA1_80, 0x1001);
}

static void cm32_rtp(void **state)
{
	FOR_EACH_ENGINE(*state, eng)
		rtp_identity(eng, BSRTP_AES_CM_128_HMAC_SHA1_32, 0x1002);
}

static void gcm_rtp(void **state)
{
	FOR_EACH_ENGINE(*state, eng)
		rtp_identity(eng, BSRTP_AEAD_AES_128_GCM, 0x1003);
}

static void cm80_rtcp(void **state)
{
	FOR_EACH_ENGINE(*state, eng)
		rtcp_identity(eng, BSRTP_AES_CM_128_HMAC_SHA1_80, 0x2001);
}

static void cm32_rtcp(void **state)
{
	FOR_EACH_ENGINE(*state, eng)
		rtcp_identity(eng, BSRTP_AES_CM_128_HMAC_SHA1_32, 0x2002);
}

static void gcm_rtcp(void **state)
{
	FOR_EACH_ENGINE(*state, eng)
		rtcp_identity(eng, BSRTP_AEAD_AES_128_GCM, 0x2003);
}

/* A stream that starts at sequence 0 stays in libsrtp2's "ROC not guessed yet" phase for its
 * first 2^15 packets; run a sparse stream through it and past the first wrap. */
static void early_phase_and_wrap(void **state)
{
	struct bsrtp_engine *eng = ((struct engines *)*state)->e[0];
	struct test_rng rng = { 0x3001 };
	struct peers p;
	struct outcome o = { 0 };
	struct wire *w = calloc(1, sizeof(*w));
	uint16_t seq = 0;

	assert_non_null(w);
	peers_open(&p, eng, BSRTP_AES_CM_128_HMAC_SHA1_80, &rng);
	for (unsigned i = 0; i < 700; i++) {
		w->plain_len = test_make_rtp(&rng, w->plain, 0x11223344, seq, 20);
		protect_both(&p, w, 0);
		deliver(&p, w->prot, w->prot_len, 0, &o);
		seq = (uint16_t)(seq + 1 + test_rand(&rng) % 300);
	}
	assert_int_equal(o.ok, 700);
	peers_close(&p);
	free(w);
}

/* Nothing to encrypt (header only, with and without CSRCs and an extension): the tag alone
 * must still match libsrtp2's. */
static void header_only_packets(void **state)
{
	FOR_EACH_ENGINE(*state, eng) {
		for (enum bsrtp_suite suite = 0; suite < BSRTP_SUITE_COUNT; suite++) {
			struct test_rng rng = { 0x7001 + suite };
			struct peers p;
			struct outcome o = { 0 };
			struct wire *w = calloc(1, sizeof(*w));

			assert_non_null(w);
			peers_open(&p, eng, suite, &rng);
			for (uint16_t seq = 1; seq <= 40; seq++) {
				static const uint8_t hdrs[3][24] = {
					{ 0x80, 0x00 },
					{ 0x82, 0x00 },
					{ 0x90, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 2 },
				};
				static const size_t hlen[3] = { 12, 20, 24 };
				unsigned k = seq % 3;

				memcpy(w->plain, hdrs[k], hlen[k]);
				w->plain[2] = (uint8_t)(seq >> 8);
				w->plain[3] = (uint8_t)seq;
				w->plain[11] = 0x42;	/* SSRC */
				w->plain_len = hlen[k];
				protect_both(&p, w, 0);
				deliver(&p, w->prot, w->prot_len, 0, &o);
			}
			assert_int_equal(o.ok, 40);
			peers_close(&p);
			free(w);
		}
	}
}

static int setup(void **state)
{
	static const char *const paths[] = { "auto", "sse", "avx", "avx2", "avx512" };
	struct engines *es = calloc(1, sizeof(*es));

	if (!es || srtp_init() != srtp_err_status_ok)
		return -1;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct bsrtp_engine *e = bsrtp_engine_create_arch(paths[i]);

		if (!e)
			continue;	/* this CPU lacks the path */
		es->name[es->n] = paths[i];
		es->e[es->n++] = e;
		print_message("code path %s: %s / %s\n", paths[i], bsrtp_engine_arch(e, 0),
			      bsrtp_engine_arch(e, 1));
	}
	*state = es;
	/* "auto" exists on every CPU intel-ipsec-mb runs on. */
	return es->n > 0 && !strcmp(es->name[0], "auto") ? 0 : -1;
}

static int teardown(void **state)
{
	struct engines *es = *state;

	for (unsigned i = 0; i < es->n; i++)
		bsrtp_engine_destroy(es->e[i]);
	free(es);
	srtp_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cm80_rtp),  cmocka_unit_test(cm32_rtp),
		cmocka_unit_test(gcm_rtp),   cmocka_unit_test(cm80_rtcp),
		cmocka_unit_test(cm32_rtcp), cmocka_unit_test(gcm_rtcp),
		cmocka_unit_test(early_phase_and_wrap),
		cmocka_unit_test(header_only_packets),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
