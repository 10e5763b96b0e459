/* Codec validation (impossible codecs are refused) and payload-type mapping between legs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "relay_codecs.h"
#include "relay_test_util.h"

static int parse(bugle_dp_LegSpec *l, struct relay_codec *out, uint8_t *n)
{
	char err[160] = "";
	int st = relay_codecs_parse(l->codecs, l->codecs_count, out, n, err, sizeof(err));
	if (st)
		assert_true(err[0] != '\0');	/* every refusal says why */
	return st;
}

static void static_types_are_inferred(void **state)
{
	(void)state;
	bugle_dp_LegSpec l;
	t_leg(&l, "a", "192.0.2.10", 4000);
	t_codec(&l, bugle_dp_Codec_CODEC_UNSPECIFIED, 8, 0);
	t_codec(&l, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 101, 8000);
	struct relay_codec c[RELAY_MAX_CODECS];
	uint8_t n = 0;
	assert_int_equal(parse(&l, c, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].codec, bugle_dp_Codec_CODEC_PCMA);
	assert_int_equal(c[0].clock_rate, 8000);
	assert_int_equal(c[1].pt, 101);
}

static void impossible_codecs_are_refused(void **state)
{
	(void)state;
	struct relay_codec c[RELAY_MAX_CODECS];
	uint8_t n;
	bugle_dp_LegSpec l;
	t_leg(&l, "a", "192.0.2.10", 4000);
	assert_int_not_equal(parse(&l, c, &n), 0);	/* no codecs at all */
	t_codec(&l, bugle_dp_Codec_CODEC_PCMU, 0, 16000);
	assert_int_equal(parse(&l, c, &n), bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	t_leg(&l, "a", "192.0.2.10", 4000);
	t_codec(&l, (bugle_dp_Codec)42, 97, 8000);
	assert_int_equal(parse(&l, c, &n), bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	t_leg(&l, "a", "192.0.2.10", 4000);
	t_codec(&l, bugle_dp_Codec_CODEC_UNSPECIFIED, 97, 8000);	/* dynamic, no name */
	assert_int_equal(parse(&l, c, &n), bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	t_leg(&l, "a", "192.0.2.10", 4000);
	t_codec(&l, bugle_dp_Codec_CODEC_OPUS, 200, 48000);
	assert_int_equal(parse(&l, c, &n), bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	t_leg(&l, "a", "192.0.2.10", 4000);
	t_codec(&l, bugle_dp_Codec_CODEC_OPUS, 72, 48000);	/* RTCP range */
	assert_int_equal(parse(&l, c, &n), bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	t_leg(&l, "a", "192.0.2.10", 4000);
	t_codec(&l, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_codec(&l, bugle_dp_Codec_CODEC_PCMA, 0, 8000);	/* same PT twice */
	assert_int_equal(parse(&l, c, &n), bugle_dp_Status_STATUS_INVALID_ARGUMENT);
}

static void payload_types_map_by_codec(void **state)
{
	(void)state;
	bugle_dp_LegSpec a, b;
	t_leg(&a, "a", "192.0.2.10", 4000);
	t_codec(&a, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_codec(&a, bugle_dp_Codec_CODEC_OPUS, 111, 48000);
	t_codec(&a, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 101, 8000);
	t_leg(&b, "b", "192.0.2.11", 5000);
	t_codec(&b, bugle_dp_Codec_CODEC_OPUS, 96, 48000);
	t_codec(&b, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 100, 8000);
	struct relay_codec ca[RELAY_MAX_CODECS], cb[RELAY_MAX_CODECS];
	uint8_t na, nb;
	assert_int_equal(parse(&a, ca, &na), 0);
	assert_int_equal(parse(&b, cb, &nb), 0);
	uint8_t map[128];
	assert_int_equal(relay_codecs_map(ca, na, cb, nb, map), 1);	/* opus; DTMF not audio */
	assert_int_equal(map[111], 96);
	assert_int_equal(map[101], 100);
	assert_int_equal(map[0], RELAY_PT_NONE);
	assert_int_equal(map[8], RELAY_PT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(static_types_are_inferred),
		cmocka_unit_test(impossible_codecs_are_refused),
		cmocka_unit_test(payload_types_map_by_codec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
