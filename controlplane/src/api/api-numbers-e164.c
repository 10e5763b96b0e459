/* Phone numbers as the registry keys them: E.164 with its "+". */
#include "api-numbers.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* Longer input is no phone number, however many separators it has. */
#define SPELLING_MAX 64

static bool is_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

int api_number_e164(const char *in, char out[API_NUMBER_MAX])
{
	char digits[API_NUMBER_MAX];
	size_t n = 0;
	bool plus = false, seen = false;

	if (!in || strlen(in) > SPELLING_MAX)
		return -EINVAL;
	for (const char *p = in; *p; p++) {
		if (is_separator(*p))
			continue;
		if (*p == '+' && !seen) {
			plus = seen = true;
			continue;
		}
		seen = true;
		if (*p < '0' || *p > '9' || n + 1 >= sizeof(digits))
			return -EINVAL;
		digits[n++] = *p;
	}
	digits[n] = '\0';
	if (plus) {
		if (n < 7 || n > 15 || digits[0] == '0')
			return -EINVAL;
		out[0] = '+';
		memcpy(out + 1, digits, n + 1);
		return 0;
	}
	/* NANP without its "+": what the callflow lookup already takes for the same number. */
	const char *national = n == 11 && digits[0] == '1' ? digits + 1 : digits;
	if (strlen(national) != 10 || national[0] < '2')
		return -EINVAL;
	memcpy(out, "+1", 2);
	memcpy(out + 2, national, 11);
	return 0;
}
