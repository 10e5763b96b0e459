/* Jitter, loss and MOS against values computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mc_quality.h"

static void test_sequence_loss(void **state)
{
	(void)state;
	struct mc_seq_state s;
	/* Probation: the first packet is not counted; counting starts at the second (A.1). */
	mc_seq_init(&s, 100);
	assert_int_equal(mc_seq_update(&s, 100), 0);
	assert_int_equal(mc_seq_update(&s, 101), 1);
	for (uint16_t q = 102; q <= 110; q++)
		if (q != 105 && q != 106)
			assert_int_equal(mc_seq_update(&s, q), 1);
	/* 101..110 expected = 10, received = 8. */
	assert_int_equal(mc_seq_expected(&s), 10);
	assert_int_equal(mc_seq_cumulative_lost(&s), 2);
	assert_int_equal(mc_seq_fraction_lost(&s), 2 * 256 / 10); /* 51 */
	/* 106 arrives late (reorder): counted, loss drops to 1; a duplicate of it is not. */
	assert_int_equal(mc_seq_update(&s, 106), 1);
	assert_int_equal(mc_seq_update(&s, 106), 0);
	assert_int_equal(mc_seq_update(&s, 110), 0);
	assert_int_equal(s.duplicates, 2);
	assert_int_equal(mc_seq_cumulative_lost(&s), 1);
	/* The interval since the last report: no new packets expected, one extra received. */
	assert_int_equal(mc_seq_fraction_lost(&s), 0);
	for (uint16_t q = 111; q <= 120; q++)
		if (q != 115)
			mc_seq_update(&s, q);
	assert_int_equal(mc_seq_fraction_lost(&s), 256 / 10); /* 1 of 10: 25 */
}

static void test_sequence_wrap_and_restart(void **state)
{
	(void)state;
	struct mc_seq_state s;
	mc_seq_init(&s, 65533);
	mc_seq_update(&s, 65533);
	for (uint32_t q = 65534; q < 65536 + 5; q++)
		assert_int_equal(mc_seq_update(&s, (uint16_t)q), 1);
	/* 65534 .. 65540 (extended) = 7 packets, no loss, one wrap. */
	assert_int_equal(s.cycles, 65536);
	assert_int_equal(mc_seq_extended_max(&s), 65536 + 4);
	assert_int_equal(mc_seq_expected(&s), 7);
	assert_int_equal(mc_seq_cumulative_lost(&s), 0);
	/* A wild jump is refused once, accepted when the next packet confirms it (a restart). */
	assert_int_equal(mc_seq_update(&s, 30000), 0);
	assert_int_equal(mc_seq_update(&s, 30001), 1);
	assert_int_equal(mc_seq_expected(&s), 1);
	assert_int_equal(mc_seq_cumulative_lost(&s), 0);
	/* A gap under MAX_DROPOUT is loss, not a restart. */
	assert_int_equal(mc_seq_update(&s, 30101), 1);
	assert_int_equal(mc_seq_cumulative_lost(&s), 99);
}

static void test_jitter(void **state)
{
	(void)state;
	struct mc_jitter_state j;
	mc_jitter_init(&j);
	/* 8 kHz, packets every 160 ticks. Transits: 0, 80, 0, 0.
	 * D = 80 -> J16 = 0 + 80 - 0 = 80
	 * D = 80 -> J16 = 80 + 80 - (88 >> 4 = 5) = 155
	 * D = 0  -> J16 = 155 - (163 >> 4 = 10) = 145 -> jitter 145 >> 4 = 9 */
	mc_jitter_update(&j, 1000, 1000);
	mc_jitter_update(&j, 1240, 1160);
	assert_int_equal(j.jitter_q4, 80);
	assert_int_equal(mc_jitter_value(&j), 5);
	mc_jitter_update(&j, 1320, 1320);
	assert_int_equal(j.jitter_q4, 155);
	mc_jitter_update(&j, 1480, 1480);
	assert_int_equal(j.jitter_q4, 145);
	assert_int_equal(mc_jitter_value(&j), 9);
	/* Perfectly regular arrivals decay it towards zero; timestamp wrap is harmless. */
	mc_jitter_init(&j);
	for (uint32_t i = 0; i < 100; i++)
		mc_jitter_update(&j, 7 + i * 160, 4294967000u + i * 160);
	assert_int_equal(mc_jitter_value(&j), 0);
	assert_int_equal(mc_jitter_ns_to_ticks(1500000000ull, 8000), 12000);
	assert_int_equal(mc_jitter_ns_to_ticks(20000000ull, 48000), 960);
}

static void test_emodel(void **state)
{
	(void)state;
	/* No delay, no loss, G.711: R = 93.2,
	 * MOS = 1 + 0.035*93.2 + 93.2*33.2*6.8*7e-6 = 1 + 3.262 + 0.147286 = 4.409286 */
	struct mc_emodel_input in = {.delay_ms = 0, .loss_pct = 0, .ie = 0, .bpl = 25.1};
	assert_float_equal(mc_emodel_r(&in), 93.2, 1e-9);
	assert_float_equal(mc_emodel_mos(93.2), 4.409286, 1e-5);
	/* 100 ms, 2 % random loss, G.711 with PLC:
	 * Id = 2.4; Ie_eff = 95 * 2 / 27.1 = 7.01107; R = 93.2 - 2.4 - 7.01107 = 83.78893
	 * MOS = 1 + 2.932613 + 83.78893*23.78893*16.21107*7e-6 = 4.1588 */
	in = (struct mc_emodel_input){.delay_ms = 100, .loss_pct = 2, .ie = 0, .bpl = 25.1};
	assert_float_equal(mc_emodel_r(&in), 83.78893, 1e-4);
	assert_float_equal(mc_emodel_mos(mc_emodel_r(&in)), 4.1588, 1e-3);
	/* 200 ms, 1 % loss, G.729A (Ie 11, Bpl 19):
	 * Id = 4.8 + 0.11*22.7 = 7.297; Ie_eff = 11 + 84 * 1/20 = 15.2; R = 70.703
	 * MOS = 1 + 2.474605 + 70.703*10.703*29.297*7e-6 = 3.6298 */
	in = (struct mc_emodel_input){.delay_ms = 200, .loss_pct = 1, .ie = 11, .bpl = 19};
	assert_float_equal(mc_emodel_r(&in), 70.703, 1e-6);
	assert_float_equal(mc_emodel_mos(70.703), 3.6298, 1e-3);
	assert_float_equal(mc_emodel_mos(-5), 1.0, 0);
	assert_float_equal(mc_emodel_mos(120), 4.5, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequence_loss),
		cmocka_unit_test(test_sequence_wrap_and_restart),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_emodel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
