/* libpq messages become single lines for logs and the status file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cp/pg-message.h"

#include <string.h>

static void test_flatten(void **state)
{
	(void)state;
	char out[128];
	cp_pg_message_copy(out, sizeof(out),
			   "connection failed: No such file\n\tIs the server running?\n");
	assert_string_equal(out, "connection failed: No such file Is the server running?");
	cp_pg_message_copy(out, sizeof(out), "ERROR:  syntax error\nLINE 2: \n        ^\n");
	assert_string_equal(out, "ERROR:  syntax error LINE 2: ^");
	cp_pg_message_copy(out, sizeof(out), NULL);
	assert_string_equal(out, "unknown error");
	cp_pg_message_copy(out, sizeof(out), "");
	assert_string_equal(out, "unknown error");
	char tiny[6];
	cp_pg_message_copy(tiny, sizeof(tiny), "abcdefgh");
	assert_string_equal(tiny, "abcde");
	cp_pg_message_copy(tiny, 0, "x"); /* nothing written, no crash */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flatten),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
