/* Fuzz target: the filter policy's list settings as they come from the config file.
 *
 * The first byte picks the parser (bit 0: User-Agent list, else allow-list); the rest is the
 * text, cut at the first NUL. Checked besides memory safety: a rejected text leaves the policy
 * untouched and gets a message; an accepted one gives a policy that validates, whose items keep
 * their documented form, that prints back to text parsing to the same list, and that a filter
 * built from it enforces (each pattern drops itself as a User-Agent, each network's own address
 * is trusted). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flt-control.h"
#include "flt-counters.h"
#include "flt-policy.h"
#include "flt.h"

#define MAX_TEXT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct flt *small_filter(const struct flt_policy *p)
{
	struct flt_config cfg;

	flt_config_defaults(&cfg);
	cfg.sources = 64;
	cfg.bans = 8;
	cfg.accounts = 8;
	cfg.hash_seed = 1;
	return flt_create(&cfg, p);
}

static void check_ua_list(const struct flt_policy *p)
{
	static char text[FLT_UA_MAX * (FLT_UA_LEN_MAX + 2) + 1];
	struct flt_policy back;
	uint64_t c[FLT_COUNTER_COUNT];
	size_t at = 0;
	struct flt *f;

	text[0] = '\0';
	if (p->ua_count > FLT_UA_MAX)
		abort();
	for (uint32_t i = 0; i < p->ua_count; i++) {
		const char *s = p->ua[i];
		size_t len = strnlen(s, sizeof(p->ua[i]));

		/* Items are trimmed, free of separators and control bytes. */
		if (len < FLT_UA_LEN_MIN || len > FLT_UA_LEN_MAX || strchr(s, ',') || s[0] == ' ' ||
		    s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
			abort();
		for (size_t k = 0; k < len; k++)
			if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
				abort();
		at += (size_t)snprintf(text + at, sizeof(text) - at, "%s%s", i ? "," : "", s);
	}
	memset(&back, 0, sizeof(back));	/* padding too: compared bytewise */
	flt_policy_defaults(&back);
	if (flt_policy_parse_ua_list(&back, text, NULL, 0) != 0 || back.ua_count != p->ua_count)
		abort();
	for (uint32_t i = 0; i < p->ua_count; i++)
		if (strcmp(back.ua[i], p->ua[i]) != 0)
			abort();

	f = small_filter(p);
	if (!f)
		abort();
	for (uint32_t i = 0; i < p->ua_count; i++)
		if (flt_check(f, 1, 0x0a000001u + i, FLT_METHOD_OTHER, p->ua[i], strlen(p->ua[i]),
			      NULL, 0) != FLT_DROP)
			abort();
	flt_counters_read(f, c);
	if (c[FLT_C_scanner_ua] != p->ua_count)
		abort();
	flt_destroy(f);
}

static void check_allow_list(const struct flt_policy *p)
{
	static char text[FLT_ALLOW_MAX * 20 + 1];
	struct flt_policy back;
	uint64_t c[FLT_COUNTER_COUNT];
	size_t at = 0;
	struct flt *f;

	text[0] = '\0';
	if (p->allow_count > FLT_ALLOW_MAX)
		abort();
	for (uint32_t i = 0; i < p->allow_count; i++) {
		const struct flt_cidr *e = &p->allow[i];
		uint32_t mask = e->prefix ? ~0u << (32 - e->prefix) : 0;
		struct in_addr a = {htonl(e->addr)};
		char addr[INET_ADDRSTRLEN];

		if (e->prefix > 32 || (e->addr & ~mask))
			abort();
		inet_ntop(AF_INET, &a, addr, sizeof(addr));
		at += (size_t)snprintf(text + at, sizeof(text) - at, "%s%s/%u", i ? " , " : "", addr,
				       e->prefix);
	}
	memset(&back, 0, sizeof(back));	/* padding too: compared bytewise */
	flt_policy_defaults(&back);
	if (flt_policy_parse_allow_list(&back, text, NULL, 0) != 0 ||
	    back.allow_count != p->allow_count)
		abort();
	/* Field by field: the parser fills entries from a scratch array whose padding is stack
	 * garbage, so a byte comparison would depend on earlier inputs. */
	for (uint32_t i = 0; i < p->allow_count; i++)
		if (back.allow[i].addr != p->allow[i].addr || back.allow[i].prefix != p->allow[i].prefix)
			abort();

	f = small_filter(p);
	if (!f)
		abort();
	for (uint32_t i = 0; i < p->allow_count; i++)
		if (flt_check(f, 1, p->allow[i].addr, FLT_METHOD_OTHER, NULL, 0, NULL, 0) != FLT_ACCEPT)
			abort();
	flt_counters_read(f, c);
	if (c[FLT_C_allowlisted] != p->allow_count)
		abort();
	flt_destroy(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[MAX_TEXT + 1];
	struct flt_policy p, before;
	char err[160];
	bool ua;
	int rc;

	if (size < 1)
		return 0;
	ua = data[0] & 1;
	size = size - 1 > MAX_TEXT ? MAX_TEXT : size - 1;
	memcpy(text, data + 1, size);
	text[size] = '\0';

	memset(&p, 0, sizeof(p));	/* padding too: compared bytewise */
	flt_policy_defaults(&p);
	memcpy(&before, &p, sizeof(p));
	err[0] = '\0';
	rc = ua ? flt_policy_parse_ua_list(&p, text, err, sizeof(err))
		: flt_policy_parse_allow_list(&p, text, err, sizeof(err));
	if (rc != 0) {
		if (rc != -EINVAL || !err[0] || memcmp(&p, &before, sizeof(p)) != 0)
			abort();
		return 0;
	}
	if (flt_policy_validate(&p, err, sizeof(err)) != 0)
		abort();
	if (ua)
		check_ua_list(&p);
	else
		check_allow_list(&p);
	return 0;
}
