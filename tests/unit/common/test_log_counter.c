/* Counter lines for the log: " name=value" appended while the line has room, and nothing
 * written past it once it is full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bugle/log.h"

static void test_appends(void **state)
{
	(void)state;
	char line[64];
	size_t pos = 0;
	bgl_log_counter(line, sizeof(line), &pos, "rx", 3);
	bgl_log_counter(line, sizeof(line), &pos, "dropped", 18446744073709551615ull);
	assert_string_equal(line, " rx=3 dropped=18446744073709551615");
	assert_int_equal(pos, strlen(line));
}

static void test_full_line_stays(void **state)
{
	(void)state;
	char buf[16];
	memset(buf, 'x', sizeof(buf));
	char *line = buf + 2;	/* 12 usable bytes between two guards */
	size_t cap = 12, pos = 0;
	bgl_log_counter(line, cap, &pos, "alpha", 1);	/* " alpha=1": 8 */
	bgl_log_counter(line, cap, &pos, "beta", 22);	/* cut to " be" and its NUL */
	assert_string_equal(line, " alpha=1 be");
	assert_true(pos >= cap);
	bgl_log_counter(line, cap, &pos, "gamma", 3);	/* full: nothing changes */
	assert_string_equal(line, " alpha=1 be");
	assert_int_equal(buf[0], 'x');
	assert_int_equal(buf[1], 'x');
	assert_int_equal(buf[14], 'x');
	assert_int_equal(buf[15], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_full_line_stays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
