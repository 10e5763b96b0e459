/* Loose checks for the "format" values our schemas use. */
#include "format-check.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

/* Reads exactly n digits at *p into *out. */
static bool digits(const char **p, const char *end, int n, int *out)
{
	int v = 0;

	if (end - *p < n)
		return false;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool expect(const char **p, const char *end, char c)
{
	if (*p >= end || tolower((unsigned char)**p) != tolower((unsigned char)c))
		return false;
	(*p)++;
	return true;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static bool parse_date(const char **p, const char *end)
{
	int y, m, d;

	return digits(p, end, 4, &y) && expect(p, end, '-') && digits(p, end, 2, &m) &&
	       expect(p, end, '-') && digits(p, end, 2, &d) && m >= 1 && m <= 12 && d >= 1 &&
	       d <= days_in_month(y, m);
}

/* full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM) */
static bool parse_time(const char **p, const char *end)
{
	int h, mi, s, oh, om;

	if (!(digits(p, end, 2, &h) && expect(p, end, ':') && digits(p, end, 2, &mi) &&
	      expect(p, end, ':') && digits(p, end, 2, &s)))
		return false;
	if (h > 23 || mi > 59 || s > 60)
		return false;
	if (*p < end && **p == '.') {
		(*p)++;
		const char *start = *p;
		while (*p < end && isdigit((unsigned char)**p))
			(*p)++;
		if (*p == start)
			return false;
	}
	if (expect(p, end, 'z'))
		return true;
	if (*p >= end || (**p != '+' && **p != '-'))
		return false;
	(*p)++;
	return digits(p, end, 2, &oh) && expect(p, end, ':') && digits(p, end, 2, &om) &&
	       oh <= 23 && om <= 59;
}

static bool is_date_time(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	return parse_date(&p, end) && expect(&p, end, 't') && parse_time(&p, end) && p == end;
}

static bool is_date(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	return parse_date(&p, end) && p == end;
}

static bool is_time(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	return parse_time(&p, end) && p == end;
}

/* local@domain with both parts present, one '@', no spaces or controls. */
static bool is_email(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);

	if (!at || at == s || at == s + n - 1 || memchr(at + 1, '@', (size_t)(s + n - at - 1)))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ')
			return false;
	return true;
}

/* scheme ":" rest, with an RFC 3986 scheme and no spaces, controls or '\' anywhere. */
static bool is_uri(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !isalpha((unsigned char)s[0]))
		return false;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i == n || s[i] != ':')
		return false;
	for (; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '\\' || s[i] == '"' || s[i] == '<' ||
		    s[i] == '>' || (unsigned char)s[i] == 0x7f)
			return false;
	return true;
}

/* Dotted quad, each part 1-3 digits without leading zeros and at most 255. */
static bool is_ipv4(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	for (int part = 0; part < 4; part++) {
		int v = 0, len = 0;

		if (part && !expect(&p, end, '.'))
			return false;
		while (p < end && isdigit((unsigned char)*p) && len < 4) {
			v = v * 10 + (*p++ - '0');
			len++;
		}
		if (len == 0 || len > 3 || v > 255 || (len > 1 && p[-len] == '0'))
			return false;
	}
	return p == end;
}

static bool is_ipv6(const char *s, size_t n)
{
	char buf[INET6_ADDRSTRLEN + 1];
	unsigned char addr[16];

	if (n >= sizeof(buf) || memchr(s, 0, n))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	return inet_pton(AF_INET6, buf, addr) == 1;
}

/* RFC 1123 names: labels of letters, digits and inner hyphens, 63 bytes each, 253 in all. */
static bool is_hostname(const char *s, size_t n)
{
	size_t label = 0;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum((unsigned char)s[i]) || (s[i] == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && s[n - 1] != '-';
}

static const struct {
	const char *name;
	bool (*check)(const char *s, size_t n);
} formats[] = {
	{ "date-time", is_date_time }, { "date", is_date },	    { "time", is_time },
	{ "email", is_email },	       { "uri", is_uri },	    { "ipv4", is_ipv4 },
	{ "ipv6", is_ipv6 },	       { "hostname", is_hostname },
};

bool jschema_format_ok(const char *format, const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, format) == 0)
			return formats[i].check(s, n);
	return true;
}
