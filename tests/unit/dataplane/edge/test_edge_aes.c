/* AES-256-CTR on intel-ipsec-mb: the FIPS-197 AES-256 example as the first counter block, the
 * counter stepping in the last eight bytes, partial blocks and lengths beyond one batch of counter
 * blocks agreeing with short ones. On a CPU without AES-NI only edge_aes_available() is checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "edge_aes.h"

static const uint8_t fips_key[32] = { 0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
				      11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
				      22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };
static const uint8_t fips_block[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
/* FIPS-197 appendix C.3: AES-256 of fips_block under fips_key. */
static const uint8_t fips_out[16] = { 0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf,
				      0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49, 0x60, 0x89 };
/* AES-256 (same key) of fips_block with byte 8 plus one, i.e. counter block 1. */
static const uint8_t next_out[16] = { 0x8a, 0x42, 0xba, 0x1a, 0x79, 0xa8, 0x67, 0xa9,
				      0x32, 0xcf, 0x4e, 0x57, 0xd0, 0xb2, 0x2a, 0xd1 };

static void test_known_answer(void **state)
{
	struct edge_aes256 ks;
	uint8_t zero[32] = { 0 }, out[32];
	(void)state;

	if (!edge_aes_available())
		return; /* the token code then uses ChaCha20, tested in test_edge_topo */
	edge_aes256_init(&ks, fips_key);
	edge_aes256_ctr_xor(&ks, fips_block, zero, out, sizeof(out));
	assert_memory_equal(out, fips_out, 16);
	assert_memory_equal(out + 16, next_out, 16);
}

/* Every length up to 600 bytes (several batches of counter blocks and a partial block):
 * the key stream is the same whatever the length, and XOR twice gives the input back. */
static void test_lengths_agree(void **state)
{
	struct edge_aes256 ks;
	uint8_t zero[600] = { 0 }, full[600], part[600], data[600], back[600];
	(void)state;

	if (!edge_aes_available())
		return;
	edge_aes256_init(&ks, fips_key);
	edge_aes256_ctr_xor(&ks, fips_block, zero, full, sizeof(full));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	for (size_t len = 1; len <= sizeof(zero); len++) {
		memset(part, 0xaa, sizeof(part));
		edge_aes256_ctr_xor(&ks, fips_block, zero, part, len);
		assert_memory_equal(part, full, len);
		assert_int_equal(part[len < sizeof(part) ? len : len - 1],
				 len < sizeof(part) ? 0xaa : full[len - 1]);
		edge_aes256_ctr_xor(&ks, fips_block, data, back, len);
		edge_aes256_ctr_xor(&ks, fips_block, back, back, len); /* in place */
		assert_memory_equal(back, data, len);
	}
	/* Blocks differ from each other: the counter moves. */
	for (size_t b = 1; b < sizeof(full) / 16; b++)
		assert_memory_not_equal(full, full + 16 * b, 16);
}

/* The counter wraps within the last eight bytes and leaves the first eight alone. */
static void test_counter_wraps(void **state)
{
	struct edge_aes256 ks;
	uint8_t iv[16], iv0[16], zero[32] = { 0 }, out[32], first[16];
	(void)state;

	if (!edge_aes_available())
		return;
	edge_aes256_init(&ks, fips_key);
	memcpy(iv, fips_block, 8);
	memset(iv + 8, 0xff, 8);
	edge_aes256_ctr_xor(&ks, iv, zero, out, sizeof(out));
	memcpy(iv0, fips_block, 8);
	memset(iv0 + 8, 0, 8);
	edge_aes256_ctr_xor(&ks, iv0, zero, first, sizeof(first));
	assert_memory_equal(out + 16, first, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_lengths_agree),
		cmocka_unit_test(test_counter_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
