/* The codec name table shared by the call controller and buglectl: every codec the data plane
 * relays has one name, found again from it in any case; unknown names and codecs have none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dp-codec-names.h"

static void test_names_round_trip(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		Bugle__Dp__Codec codec;
	} known[] = {
		{ "PCMU", BUGLE__DP__CODEC__CODEC_PCMU },
		{ "PCMA", BUGLE__DP__CODEC__CODEC_PCMA },
		{ "G722", BUGLE__DP__CODEC__CODEC_G722 },
		{ "G729", BUGLE__DP__CODEC__CODEC_G729 },
		{ "opus", BUGLE__DP__CODEC__CODEC_OPUS },
		{ "telephone-event", BUGLE__DP__CODEC__CODEC_TELEPHONE_EVENT },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		assert_int_equal(dp_codec_from_name(known[i].name), known[i].codec);
		assert_string_equal(dp_codec_name(known[i].codec), known[i].name);
	}
	/* SDP names are case-insensitive. */
	assert_int_equal(dp_codec_from_name("pcmu"), BUGLE__DP__CODEC__CODEC_PCMU);
	assert_int_equal(dp_codec_from_name("OPUS"), BUGLE__DP__CODEC__CODEC_OPUS);
	assert_int_equal(dp_codec_from_name("Telephone-Event"),
			 BUGLE__DP__CODEC__CODEC_TELEPHONE_EVENT);
}

static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(dp_codec_from_name("GSM"), BUGLE__DP__CODEC__CODEC_UNSPECIFIED);
	assert_int_equal(dp_codec_from_name(""), BUGLE__DP__CODEC__CODEC_UNSPECIFIED);
	assert_int_equal(dp_codec_from_name("PCMU "), BUGLE__DP__CODEC__CODEC_UNSPECIFIED);
	assert_int_equal(dp_codec_from_name(NULL), BUGLE__DP__CODEC__CODEC_UNSPECIFIED);
	assert_null(dp_codec_name(BUGLE__DP__CODEC__CODEC_UNSPECIFIED));
	assert_null(dp_codec_name((Bugle__Dp__Codec)9999));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
