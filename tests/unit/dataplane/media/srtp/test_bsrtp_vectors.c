/* Known answers: RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation), libsrtp2's
 * own AES_CM_128_HMAC_SHA1_80 packet, and RFC 7714 §16 AEAD_AES_128_GCM RTP and SRTCP packets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bsrtp.h"
#include "bsrtp_engine-t.h"
#include "bsrtp_jobs.h"
#include "bsrtp_kdf.h"
#include "srtp_test_support.h"

static void expect_hex(const uint8_t *got, size_t len, const char *hex)
{
	uint8_t want[512];
	int n = test_hex(hex, want, sizeof(want));

	assert_int_equal(n, (int)len);
	assert_memory_equal(got, want, len);
}

/* One known-answer packet: tx protects plain_hex into exactly protected_hex (as SRTCP when rtcp)
 * and rx unprotects that back into the plain bytes. Destroys both contexts. */
static void known_answer(struct bsrtp_engine *eng, struct bsrtp_ctx *tx, struct bsrtp_ctx *rx,
			 const char *plain_hex, const char *protected_hex, bool rtcp)
{
	uint8_t buf[256], plain[128];
	int plain_len = test_hex(plain_hex, plain, sizeof(plain));
	size_t len = (size_t)plain_len;

	assert_true(plain_len > 0);
	assert_non_null(tx);
	assert_non_null(rx);
	memcpy(buf, plain, len);
	if (rtcp)
		assert_int_equal(bsrtp_protect_rtcp(eng, tx, buf, &len, sizeof(buf)), 0);
	else
		assert_int_equal(bsrtp_protect(eng, tx, buf, &len, sizeof(buf)), 0);
	expect_hex(buf, len, protected_hex);
	if (rtcp)
		assert_int_equal(bsrtp_unprotect_rtcp(eng, rx, buf, &len), 0);
	else
		assert_int_equal(bsrtp_unprotect(eng, rx, buf, &len), 0);
	assert_int_equal(len, (size_t)plain_len);
	assert_memory_equal(buf, plain, len);
	bsrtp_ctx_destroy(tx);
	bsrtp_ctx_destroy(rx);
}

/* B.2: the counter block is the shifted salt (SSRC and index zero); the vector lists blocks
 * 0..2 and 0xfeff..0xff01 of the segment. */
static void rfc3711_b2_keystream(void **state)
{
	struct bsrtp_engine *eng = *state;
	_Alignas(16) uint8_t key[16], enc[16 * 11], dec[16 * 11], iv[16];
	const size_t blocks = 0xff02;
	uint8_t *ks = calloc(blocks, 16);

	assert_non_null(ks);
	test_hex("2B7E151628AED2A6ABF7158809CF4F3C", key, sizeof(key));
	test_hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000", iv, sizeof(iv));
	IMB_AES_KEYEXP_128(eng->mgr, key, enc, dec);
	bsrtp_jobs_ctr(eng->mgr, enc, iv, ks, (uint32_t)(blocks * 16));
	expect_hex(ks, 48,
		   "E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB"
		   "41E95B3BB0A2E8DD477901E4FCA894C0");
	expect_hex(ks + 0xfeff * 16, 48,
		   "EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE"
		   "6A2CC3787889374FBEB4C81B17BA6C44");
	free(ks);
}

static void rfc3711_b3_key_derivation(void **state)
{
	struct bsrtp_engine *eng = *state;
	uint8_t mk[16], ms[14], out[20];

	test_hex("E1F97A0D3E018BE0D64FA32C06DE4139", mk, sizeof(mk));
	test_hex("0EC675AD498AFEEBB6960B3AABE6", ms, sizeof(ms));
	assert_int_equal(bsrtp_kdf(eng->mgr, mk, ms, 14, BSRTP_LABEL_RTP_ENC, out, 16), 0);
	expect_hex(out, 16, "C61E7A93744F39EE10734AFE3FF7A087");
	assert_int_equal(bsrtp_kdf(eng->mgr, mk, ms, 14, BSRTP_LABEL_RTP_SALT, out, 14), 0);
	expect_hex(out, 14, "30CBBC08863D8C85D49DB34A9AE1");
	assert_int_equal(bsrtp_kdf(eng->mgr, mk, ms, 14, BSRTP_LABEL_RTP_AUTH, out, 20), 0);
	expect_hex(out, 20, "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
	/* The derived session keys in a context are these same bytes. */
	uint8_t master[30];
	struct bsrtp_ctx *ctx;

	memcpy(master, mk, 16);
	memcpy(master + 16, ms, 14);
	ctx = bsrtp_ctx_create(eng, BSRTP_AES_CM_128_HMAC_SHA1_80, BSRTP_DIR_PROTECT, master, 30);
	assert_non_null(ctx);
	expect_hex(ctx->rtp.salt, 14, "30CBBC08863D8C85D49DB34A9AE1");
	bsrtp_ctx_destroy(ctx);
}

/* libsrtp2's test driver packet: SSRC 0xcafebabe, SEQ 0x1234, 16 bytes of 0xab. */
static void libsrtp_reference_packet(void **state)
{
	struct bsrtp_engine *eng = *state;
	uint8_t master[30];

	const enum bsrtp_suite suite = BSRTP_AES_CM_128_HMAC_SHA1_80;

	test_hex("E1F97A0D3E018BE0D64FA32C06DE4139 0EC675AD498AFEEBB6960B3AABE6", master, 30);
	known_answer(eng, bsrtp_ctx_create(eng, suite, BSRTP_DIR_PROTECT, master, 30),
		     bsrtp_ctx_create(eng, suite, BSRTP_DIR_UNPROTECT, master, 30),
		     "800f1234decafbadcafebabe abababababababababababababababab",
		     "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb",
		     false);
}

/* An AEAD_AES_128_GCM context with RFC 7714's keys: the RFC gives session keys directly (no
 * KDF), installed over the derived ones. */
static struct bsrtp_ctx *rfc7714_ctx(struct bsrtp_engine *eng, enum bsrtp_dir dir)
{
	uint8_t zero[28] = { 0 }, key[16];
	struct bsrtp_ctx *ctx = bsrtp_ctx_create(eng, BSRTP_AEAD_AES_128_GCM, dir, zero, 28);

	assert_non_null(ctx);
	test_hex("000102030405060708090a0b0c0d0e0f", key, sizeof(key));
	IMB_AES128_GCM_PRE(eng->mgr, key, &ctx->rtp.k.gcm);
	IMB_AES128_GCM_PRE(eng->mgr, key, &ctx->rtcp.k.gcm);
	test_hex("517569642070726f2071756f", ctx->rtp.salt, 12);
	test_hex("517569642070726f2071756f", ctx->rtcp.salt, 12);
	return ctx;
}

static const char rfc7714_rtp_plain[] =
	"8040f17b8041f8d35501a0b2 47616c6c696120657374206f6d6e69732064697669736120"
	"696e207061727465732074726573";
static const char rfc7714_rtp_protected[] =
	"8040f17b8041f8d35501a0b2 f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f"
	"42a5f47a51c7d19b36de3adf8833 899d7f27beb16a9152cf765ee4390cce";
static const char rfc7714_rtcp_plain[] =
	"81c8000d4d617273 4e5450314e545032525450200000042a0000e9304c756e61"
	"deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
static const char rfc7714_rtcp_protected[] =
	"81c8000d4d617273 63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda"
	"4ce09b4686303ded0bb9275b c84aa45896cf4d2fc5abf87245d9eade 800005d4";

static void rfc7714_gcm_rtp(void **state)
{
	struct bsrtp_engine *eng = *state;

	struct bsrtp_ctx *tx = rfc7714_ctx(eng, BSRTP_DIR_PROTECT);

	known_answer(eng, tx, rfc7714_ctx(eng, BSRTP_DIR_UNPROTECT), rfc7714_rtp_plain,
		     rfc7714_rtp_protected, false);
}

static void rfc7714_gcm_rtcp(void **state)
{
	struct bsrtp_engine *eng = *state;
	struct bsrtp_ctx *tx = rfc7714_ctx(eng, BSRTP_DIR_PROTECT);

	/* The vector's sender is at SRTCP index 0x5d4: start its stream just before. */
	tx->streams[0] = (struct bsrtp_stream){ .ssrc = 0x4d617273, .in_use = 1,
						.rtcp_start = 0x5d3 };
	known_answer(eng, tx, rfc7714_ctx(eng, BSRTP_DIR_UNPROTECT), rfc7714_rtcp_plain,
		     rfc7714_rtcp_protected, true);
}

static void suite_parameters(void **state)
{
	struct bsrtp_engine *eng = *state;
	uint8_t master[30] = { 0 };

	assert_int_equal(bsrtp_suite_master_len(BSRTP_AES_CM_128_HMAC_SHA1_80), 30);
	assert_int_equal(bsrtp_suite_master_len(BSRTP_AEAD_AES_128_GCM), 28);
	assert_int_equal(bsrtp_suite_rtp_overhead(BSRTP_AES_CM_128_HMAC_SHA1_32), 4);
	assert_int_equal(bsrtp_suite_rtcp_overhead(BSRTP_AES_CM_128_HMAC_SHA1_32), 14);
	assert_int_equal(bsrtp_suite_rtcp_overhead(BSRTP_AEAD_AES_128_GCM), 20);
	assert_string_equal(bsrtp_suite_name(BSRTP_AEAD_AES_128_GCM), "AEAD_AES_128_GCM");
	assert_null(bsrtp_suite_name(BSRTP_SUITE_COUNT));
	/* Wrong key length and unknown suite are refused. */
	assert_null(bsrtp_ctx_create(eng, BSRTP_AEAD_AES_128_GCM, BSRTP_DIR_PROTECT, master, 30));
	assert_null(bsrtp_ctx_create(eng, BSRTP_SUITE_COUNT, BSRTP_DIR_PROTECT, master, 30));
	assert_string_equal(bsrtp_counter_name(BSRTP_CTR_auth_fail), "auth_fail");
	assert_null(bsrtp_counter_name(BSRTP_CTR_COUNT));
}

static int setup(void **state)
{
	*state = bsrtp_engine_create();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	bsrtp_engine_destroy(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc3711_b2_keystream),
		cmocka_unit_test(rfc3711_b3_key_derivation),
		cmocka_unit_test(libsrtp_reference_packet),
		cmocka_unit_test(rfc7714_gcm_rtp),
		cmocka_unit_test(rfc7714_gcm_rtcp),
		cmocka_unit_test(suite_parameters),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
