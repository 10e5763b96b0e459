/* The words of a `buglectl session batch` line: spaces and tabs separate, blank and comment
 * lines have none, too many words is an error rather than a silently shortened request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "buglectl.h"

static void words_of_a_request_line(void **state)
{
	(void)state;
	char line[] = "\t offer  call-1 a\t192.0.2.10:4000 PCMU/8000/0,telephone-event/8000/101\n";
	char *w[8];
	assert_int_equal(ctl_batch_split(line, w, 8), 5);
	assert_string_equal(w[0], "offer");
	assert_string_equal(w[1], "call-1");
	assert_string_equal(w[2], "a");
	assert_string_equal(w[3], "192.0.2.10:4000");
	assert_string_equal(w[4], "PCMU/8000/0,telephone-event/8000/101");
}

static void blank_and_comment_lines_have_no_words(void **state)
{
	(void)state;
	char blank[] = " \t\r\n", empty[] = "", comment[] = "  # offer call-1 a 1.2.3.4:5 PCMU/8000/0\n";
	char *w[4];
	assert_int_equal(ctl_batch_split(blank, w, 4), 0);
	assert_int_equal(ctl_batch_split(empty, w, 4), 0);
	assert_int_equal(ctl_batch_split(comment, w, 4), 0);
}

static void a_hash_after_the_first_word_is_a_word(void **state)
{
	(void)state;
	char line[] = "query #1";
	char *w[4];
	assert_int_equal(ctl_batch_split(line, w, 4), 2);
	assert_string_equal(w[1], "#1");
}

static void too_many_words_is_an_error(void **state)
{
	(void)state;
	char fits[] = "a b c", over[] = "a b c d";
	char *w[3];
	assert_int_equal(ctl_batch_split(fits, w, 3), 3);
	assert_string_equal(w[2], "c");
	assert_int_equal(ctl_batch_split(over, w, 3), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_of_a_request_line),
		cmocka_unit_test(blank_and_comment_lines_have_no_words),
		cmocka_unit_test(a_hash_after_the_first_word_is_a_word),
		cmocka_unit_test(too_many_words_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
