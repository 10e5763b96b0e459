/* Parsing the policy's list settings from config-file text; see flt-policy.h. */
#include "flt-policy.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <errno.h>
#include <string.h>

#include "allow-list.h"
#include "policy-error.h"

/* One comma-separated item with surrounding blanks trimmed. */
struct item {
	const char *s;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits text at commas into items[]; returns the count or -1 past max items. An all-blank
 * text gives zero items; an empty item among others is kept (len 0) for the caller to reject. */
static int split(const char *text, struct item *items, int max)
{
	const char *p = text;
	int n = 0;

	while (is_blank(*p))
		p++;
	if (!*p)
		return 0;
	for (;;) {
		const char *end = p;

		while (*end && *end != ',')
			end++;
		if (n == max)
			return -1;
		items[n].s = p;
		items[n].len = (size_t)(end - p);
		while (items[n].len && is_blank(items[n].s[0])) {
			items[n].s++;
			items[n].len--;
		}
		while (items[n].len && is_blank(items[n].s[items[n].len - 1]))
			items[n].len--;
		n++;
		if (!*end)
			return n;
		p = end + 1;
	}
}

int flt_policy_parse_ua_list(struct flt_policy *p, const char *text, char *err, size_t errlen)
{
	struct item items[FLT_UA_MAX];
	char parsed[FLT_UA_MAX][FLT_UA_LEN_MAX + 1];
	int n = split(text, items, FLT_UA_MAX);

	if (n < 0)
		return flt_policy_fail(err, errlen, "more than %d User-Agent patterns", FLT_UA_MAX);
	for (int i = 0; i < n; i++) {
		if (items[i].len == 0)
			return flt_policy_fail(err, errlen, "User-Agent pattern %d is empty", i + 1);
		if (items[i].len < FLT_UA_LEN_MIN || items[i].len > FLT_UA_LEN_MAX)
			return flt_policy_fail(err, errlen,
					       "User-Agent pattern %d \"%.*s\" has %zu bytes, not %d..%d",
					       i + 1, (int)(items[i].len > 70 ? 70 : items[i].len),
					       items[i].s, items[i].len, FLT_UA_LEN_MIN, FLT_UA_LEN_MAX);
		for (size_t k = 0; k < items[i].len; k++) {
			unsigned char c = (unsigned char)items[i].s[k];

			if (c < 0x20 || c == 0x7f)
				return flt_policy_fail(err, errlen,
						       "User-Agent pattern %d has a control character",
						       i + 1);
		}
		memcpy(parsed[i], items[i].s, items[i].len);
		parsed[i][items[i].len] = '\0';
	}
	memset(p->ua, 0, sizeof(p->ua));
	memcpy(p->ua, parsed, (size_t)n * sizeof(parsed[0]));
	p->ua_count = (uint32_t)n;
	return 0;
}

/* "a.b.c.d" or "a.b.c.d/len" with len 0..32 in decimal, no host bits set. */
static int parse_cidr(const struct item *it, int index, struct flt_cidr *out, char *err,
		      size_t errlen)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = memchr(it->s, '/', it->len);
	size_t addr_len = slash ? (size_t)(slash - it->s) : it->len;
	int shown = it->len > 40 ? 40 : (int)it->len;
	unsigned prefix = 32;
	struct in_addr in;

	if (it->len == 0)
		return flt_policy_fail(err, errlen, "allow-list entry %d is empty", index);
	if (addr_len == 0 || addr_len >= sizeof(addr))
		return flt_policy_fail(err, errlen, "allow-list entry %d \"%.*s\": bad IPv4 address",
				       index, shown, it->s);
	memcpy(addr, it->s, addr_len);
	addr[addr_len] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1)
		return flt_policy_fail(err, errlen, "allow-list entry %d \"%.*s\": bad IPv4 address",
				       index, shown, it->s);
	if (slash) {
		size_t digits = it->len - addr_len - 1;

		if (digits == 0 || digits > 2)
			return flt_policy_fail(err, errlen,
					       "allow-list entry %d \"%.*s\": bad prefix length",
					       index, shown, it->s);
		prefix = 0;
		for (size_t k = 0; k < digits; k++) {
			char c = slash[1 + k];

			if (c < '0' || c > '9')
				return flt_policy_fail(err, errlen,
						       "allow-list entry %d \"%.*s\": bad prefix length",
						       index, shown, it->s);
			prefix = prefix * 10 + (unsigned)(c - '0');
		}
		if (prefix > 32)
			return flt_policy_fail(err, errlen,
					       "allow-list entry %d \"%.*s\": prefix above 32",
					       index, shown, it->s);
	}
	out->addr = ntohl(in.s_addr);
	out->prefix = (uint8_t)prefix;
	if (out->addr & ~flt_prefix_mask(out->prefix))
		return flt_policy_fail(err, errlen,
				       "allow-list entry %d \"%.*s\": host bits set beyond /%u",
				       index, shown, it->s, prefix);
	return 0;
}

int flt_policy_parse_allow_list(struct flt_policy *p, const char *text, char *err, size_t errlen)
{
	struct item items[FLT_ALLOW_MAX];
	struct flt_cidr parsed[FLT_ALLOW_MAX];
	int n = split(text, items, FLT_ALLOW_MAX);

	if (n < 0)
		return flt_policy_fail(err, errlen, "more than %d allow-list entries", FLT_ALLOW_MAX);
	for (int i = 0; i < n; i++) {
		int rc = parse_cidr(&items[i], i + 1, &parsed[i], err, errlen);

		if (rc < 0)
			return rc;
	}
	memset(p->allow, 0, sizeof(p->allow));
	memcpy(p->allow, parsed, (size_t)n * sizeof(parsed[0]));
	p->allow_count = (uint32_t)n;
	return 0;
}
