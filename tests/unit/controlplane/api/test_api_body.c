/* Request input without a daemon: the envelope, PATCH merging (RFC 7396), private fields, and
 * listing parameters that the store can always turn into a statement. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api-int.h"
#include "store.h"

static json_t *parse(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);
	assert_non_null(v);
	return v;
}

static void test_envelope(void **state)
{
	(void)state;
	json_t *env, *data, *why;
	const char *ok = "{\"data\":{\"name\":\"d\"},\"revision\":\"2\"}";
	assert_int_equal(api_envelope_parse(ok, strlen(ok), &env, &data, &why), 0);
	assert_string_equal(json_string_value(json_object_get(data, "name")), "d");
	assert_null(why);
	json_decref(env);

	const char *not_json = "{\"data\":";
	assert_int_equal(api_envelope_parse(not_json, strlen(not_json), &env, &data, &why), -EBADMSG);
	assert_null(env);
	assert_non_null(json_object_get(why, "position"));
	json_decref(why);

	/* jansson quotes the bad bytes in its message; the reply must still be valid JSON. */
	const char *bad_utf8 = "{\"data\":{\"a\":\"\\u000\xd0\x96\x8f\"}}";
	assert_int_equal(api_envelope_parse(bad_utf8, strlen(bad_utf8), &env, &data, &why), -EBADMSG);
	assert_non_null(why);
	json_decref(why);

	const char *nul = "{\"data\":{\"a\":\"x\\u0000y\"}}";
	assert_int_equal(api_envelope_parse(nul, strlen(nul), &env, &data, &why), -EBADMSG);
	json_decref(why);

	const char *array = "{\"data\":[1]}";
	assert_int_equal(api_envelope_parse(array, strlen(array), &env, &data, &why), -EINVAL);
	json_decref(why);

	char deep[256] = "{\"data\":";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	for (int i = 0; i < 40; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	assert_int_equal(api_envelope_parse(deep, strlen(deep), &env, &data, &why), -EINVAL);
	json_decref(why);
}

static void test_patch_merge(void **state)
{
	(void)state;
	json_t *current = parse("{\"name\":\"a\",\"sip\":{\"username\":\"u\",\"password\":\"p\"},"
				"\"pvt_md5\":\"h\",\"n\":1}");
	json_t *patch = parse("{\"sip\":{\"password\":null},\"n\":null,\"x\":{\"y\":null,\"z\":1},"
			      "\"list\":[null],\"pvt_md5\":\"forged\",\"id\":\"other\"}");
	json_t *next = api_doc_next_body(current, patch, true);
	json_t *want = parse("{\"name\":\"a\",\"sip\":{\"username\":\"u\"},\"x\":{\"z\":1},"
			     "\"list\":[null]}");
	assert_true(json_equal(next, want));
	api_doc_keep_private(next, current);
	assert_string_equal(json_string_value(json_object_get(next, "pvt_md5")), "h");
	json_decref(want);
	json_decref(next);

	/* POST replaces: the client's fields only, minus what clients may not set. */
	next = api_doc_next_body(current, patch, false);
	assert_null(json_object_get(next, "pvt_md5"));
	assert_null(json_object_get(next, "id"));
	assert_null(json_object_get(next, "name"));
	assert_true(json_is_null(json_object_get(next, "n")));
	json_decref(next);
	json_decref(patch);
	json_decref(current);
}

static void test_list_params(void **state)
{
	(void)state;
	struct store_list_query q;
	const char *why = NULL;
	memset(&q, 0, sizeof(q));
	assert_int_equal(api_list_param(&q, "filter_sip.username", "u1", &why), 0);
	assert_int_equal(api_list_param(&q, "filter_a..b", "v", &why), -EINVAL);
	assert_string_equal(why, "bad filter key");
	assert_int_equal(api_list_param(&q, "has_key", "a.", &why), -EINVAL);
	assert_int_equal(api_list_param(&q, "filter_x", "\xff", &why), -EINVAL);
	assert_string_equal(why, "parameters must be UTF-8");
	assert_int_equal(api_list_param(&q, "filter_\xc0\xaf", "v", &why), -EINVAL);
	assert_int_equal(api_list_param(&q, "filter_name", "caf\xc3\xa9", &why), 0);
	assert_int_equal(api_list_param(&q, "page_size", "0", &why), -EINVAL);
	assert_int_equal(api_list_param(&q, "created_from", "63800000000", &why), 0);
	assert_int_equal(q.created_from, 63800000000LL - 62167219200LL);

	/* Whatever is accepted builds: the most and longest keys, each character escaped. */
	char keys[STORE_MAX_FILTERS][STORE_MAX_KEY_LEN + 8];
	memset(&q, 0, sizeof(q));
	for (int i = 0; i < STORE_MAX_FILTERS; i++) {
		strcpy(keys[i], "filter_");
		memset(keys[i] + 7, '"', STORE_MAX_KEY_LEN);
		keys[i][7 + STORE_MAX_KEY_LEN] = '\0';
		assert_int_equal(api_list_param(&q, keys[i], "v", &why), 0);
	}
	assert_int_equal(api_list_param(&q, "has_key", "one.more", &why), -EINVAL);
	assert_string_equal(why, "too many filters");
	struct store_sql *s = malloc(sizeof(*s));
	assert_non_null(s);
	assert_int_equal(store_list_sql("a", "device", &q, s), 0);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_patch_merge),
		cmocka_unit_test(test_list_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
