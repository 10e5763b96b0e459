/* The Method enum must list the rpcs of service DataPlane, in order, spelled as
 * METHOD_<UPPER_SNAKE of the rpc name>: the client maps one to the other by position. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dpclient.h"

/* "GetStats" -> "GET_STATS": an underscore before each capital that follows a lower-case
 * letter or digit, or that starts a word after an acronym ("HTTPRequest" -> "HTTP_REQUEST"). */
static void upper_snake(const char *camel, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; camel[i] && n + 2 < cap; i++) {
		char ch = camel[i];
		bool boundary = i > 0 && isupper((unsigned char)ch) &&
				(islower((unsigned char)camel[i - 1]) ||
				 isdigit((unsigned char)camel[i - 1]) ||
				 (isupper((unsigned char)camel[i - 1]) && islower((unsigned char)camel[i + 1])));
		if (boundary)
			out[n++] = '_';
		out[n++] = (char)toupper((unsigned char)ch);
	}
	out[n] = '\0';
}

static void test_upper_snake(void **state)
{
	char buf[64];

	(void)state;
	upper_snake("GetStats", buf, sizeof(buf));
	assert_string_equal(buf, "GET_STATS");
	upper_snake("Heartbeat", buf, sizeof(buf));
	assert_string_equal(buf, "HEARTBEAT");
	upper_snake("HTTPRequest2Go", buf, sizeof(buf));
	assert_string_equal(buf, "HTTP_REQUEST2_GO");
}

static void test_method_enum_matches_service(void **state)
{
	const ProtobufCServiceDescriptor *svc = &bugle__dp__data_plane__descriptor;
	const ProtobufCEnumDescriptor *en = &bugle__dp__method__descriptor;
	char want[96], snake[80];

	(void)state;
	assert_true(svc->n_methods > 0);
	/* Every rpc, plus METHOD_UNSPECIFIED = 0, and nothing else. */
	assert_int_equal(en->n_values, svc->n_methods + 1);
	const ProtobufCEnumValue *zero = protobuf_c_enum_descriptor_get_value(en, 0);
	assert_non_null(zero);
	assert_string_equal(zero->name, "METHOD_UNSPECIFIED");
	for (unsigned i = 0; i < svc->n_methods; i++) {
		const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(en, (int)i + 1);

		upper_snake(svc->methods[i].name, snake, sizeof(snake));
		snprintf(want, sizeof(want), "METHOD_%s", snake);
		if (!v)
			fail_msg("rpc %s has no Method value %u", svc->methods[i].name, i + 1);
		if (strcmp(v->name, want) != 0)
			fail_msg("Method value %u is %s but rpc %u is %s (want %s)", i + 1, v->name,
				 i + 1, svc->methods[i].name, want);
	}
}

static void test_descriptor_lookup(void **state)
{
	(void)state;
	assert_null(dpclient_method_descriptor(BUGLE__DP__METHOD__METHOD_UNSPECIFIED));
	assert_null(dpclient_method_descriptor((Bugle__Dp__Method)999));
	const ProtobufCMethodDescriptor *m =
		dpclient_method_descriptor(BUGLE__DP__METHOD__METHOD_GET_STATS);
	assert_non_null(m);
	assert_ptr_equal(m->input, &bugle__dp__stats_request__descriptor);
	assert_ptr_equal(m->output, &bugle__dp__stats_reply__descriptor);
	m = dpclient_method_descriptor(BUGLE__DP__METHOD__METHOD_SUBSCRIBE);
	assert_ptr_equal(m->output, &bugle__dp__event__descriptor);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upper_snake),
		cmocka_unit_test(test_method_enum_matches_service),
		cmocka_unit_test(test_descriptor_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
