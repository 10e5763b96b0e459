/* Fuzz target: the flood filter driven by a hostile request stream and control channel.
 *
 * Input: a header (table sizes, hash seed, policy figures), then records led by an op byte:
 *   kind (bits 0-2) 0-3: a request: time step, source, method, User-Agent and account slices;
 *                   4:   operator ban add (source, seconds, reason);
 *                   5:   ban remove;
 *                   6:   sweep expired bans, list the bans, or drain the density notices;
 *                   7:   account limit set/remove, or a new User-Agent or allow-list text.
 * Time moves by a 16-bit step scaled by bits 3-6 (from nanoseconds to most of a day) and
 * runs backwards when bit 7 is set. The target keeps its own model of the bans it knows of
 * (operator bans and drained density notices), the account limits and the policy, and checks
 * every verdict against it:
 *   - each check is counted under exactly one verdict counter, and ACCEPT means "accepted";
 *   - a source under a known live ban never gets ACCEPT and is counted as banned;
 *   - past the ban table, a User-Agent is dropped as a scanner exactly when a plain
 *     case-insensitive search finds a pattern in it;
 *   - a trusted source is never dropped by the density detector or a method bucket, and every
 *     accepted request from it is counted allowlisted; an untrusted one never is;
 *   - rate drops only for the request's method class with a limit, density only when enabled,
 *     account CPS only for an INVITE whose account has a limit;
 *   - the control calls answer as documented (a known ban is listed and removable, account
 *     limits are refused only when invalid or the table is full). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "flt-control.h"
#include "flt-counters.h"
#include "flt-policy.h"
#include "flt.h"
#include "fuzz-bytes.h"

#define MAX_RECORDS 400
#define MAX_BANS 64
#define ACCOUNTS 8 /* table slots; at most 3/4 are filled */
#define NS_PER_SEC 1000000000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sources drawn from a small pool so that the same ones recur; 192.0.2.0/29 is in the seeds'
 * allow-lists. A source byte with bit 7 set takes four raw bytes instead. */
static const uint32_t pool[16] = {
	0x0a000001, 0x0a000002, 0x0a000003, 0x0a000004, 0x0a000005, 0x0a000006,
	0xc0000201, 0xc0000202, 0xc0000203, 0xc0000207, 0xc0000208,
	0xcb007101, 0xcb007102, 0xcb007103, 0x00000000, 0xffffffff,
};

struct known_ban {
	uint32_t ip;
	uint64_t expires_ns;
	bool operator_ban;	/* a density ban never replaces it while it lasts */
};

struct model {
	struct flt *f;
	uint64_t now, max_now; /* a ban is surely live only while it outlasts every time seen */
	struct known_ban bans[MAX_BANS];
	unsigned nbans;
	char acct[ACCOUNTS][FLT_ACCOUNT_ID_MAX];
	uint8_t acct_len[ACCOUNTS];
	unsigned naccts;
	struct flt_policy policy;
	uint64_t checks;
};

static uint32_t take_source(struct fz_bytes *in)
{
	uint8_t b = fz_u8(in);

	return b & 0x80 ? fz_u32(in) : pool[b & 15];
}

static struct known_ban *find_ban(struct model *m, uint32_t ip)
{
	for (unsigned i = 0; i < m->nbans; i++)
		if (m->bans[i].ip == ip)
			return &m->bans[i];
	return NULL;
}

static bool ban_live(const struct model *m, const struct known_ban *b)
{
	return b && b->expires_ns > m->max_now;
}

static void note_ban(struct model *m, uint32_t ip, uint64_t expires_ns, enum flt_ban_reason why)
{
	struct known_ban *b = find_ban(m, ip);

	if (b && b->operator_ban && why == FLT_BAN_DENSITY && b->expires_ns > m->now)
		return;

	if (!b && m->nbans < MAX_BANS)
		b = &m->bans[m->nbans++];
	if (!b) {
		/* The model is full: forget one that can no longer be checked for sure. */
		for (unsigned i = 0; i < m->nbans && !b; i++)
			if (!ban_live(m, &m->bans[i]))
				b = &m->bans[i];
		if (!b)
			return;
	}
	b->ip = ip;
	b->expires_ns = expires_ns;
	b->operator_ban = why == FLT_BAN_OPERATOR;
}

static void forget_ban(struct model *m, uint32_t ip)
{
	struct known_ban *b = find_ban(m, ip);

	if (b)
		*b = m->bans[--m->nbans];
}

/* Density bans the filter added: learnt in order, before any control call changes a ban. */
static void drain_notices(struct model *m)
{
	struct flt_ban_notice n[4];
	size_t got;

	while ((got = flt_ban_notices_drain(m->f, n, 4)) > 0) {
		for (size_t i = 0; i < got; i++) {
			if (n[i].ban_seconds < 1 || n[i].requests < 1)
				abort();
			/* A live ban of the source would have stopped it before the detector. */
			if (!ban_live(m, find_ban(m, n[i].ip)))
				note_ban(m, n[i].ip, n[i].at_ns + (uint64_t)n[i].ban_seconds * NS_PER_SEC,
					 FLT_BAN_DENSITY);
		}
	}
}

static bool ascii_ieq(unsigned char a, unsigned char b)
{
	if (a >= 'A' && a <= 'Z')
		a = (unsigned char)(a + 32);
	if (b >= 'A' && b <= 'Z')
		b = (unsigned char)(b + 32);
	return a == b;
}

static bool scanner(const struct flt_policy *p, const uint8_t *ua, size_t len)
{
	for (uint32_t k = 0; k < p->ua_count; k++) {
		size_t plen = strlen(p->ua[k]);

		for (size_t i = 0; i + plen <= len; i++) {
			size_t j = 0;

			while (j < plen && ascii_ieq(ua[i + j], (unsigned char)p->ua[k][j]))
				j++;
			if (j == plen)
				return true;
		}
	}
	return false;
}

static bool trusted(const struct flt_policy *p, uint32_t ip)
{
	for (uint32_t i = 0; i < p->allow_count; i++) {
		uint32_t mask = p->allow[i].prefix ? ~0u << (32 - p->allow[i].prefix) : 0;

		if ((ip & mask) == (p->allow[i].addr & mask))
			return true;
	}
	return false;
}

static bool account_limited(const struct model *m, const uint8_t *id, size_t len)
{
	for (unsigned i = 0; i < m->naccts; i++)
		if (m->acct_len[i] == len && memcmp(m->acct[i], id, len) == 0)
			return true;
	return false;
}

static void request(struct model *m, struct fz_bytes *in)
{
	static const enum flt_counter verdicts[] = {
		FLT_C_accepted, FLT_C_banned, FLT_C_scanner_ua, FLT_C_density, FLT_C_register_rate,
		FLT_C_invite_rate, FLT_C_other_rate, FLT_C_account_cps,
	};
	static const enum flt_counter rate_of[FLT_METHOD_COUNT] = {
		FLT_C_register_rate, FLT_C_invite_rate, FLT_C_other_rate,
	};
	uint64_t c0[FLT_COUNTER_COUNT], c1[FLT_COUNTER_COUNT], d[FLT_COUNTER_COUNT];
	uint32_t ip = take_source(in);
	uint8_t mb = fz_u8(in);
	enum flt_method method = (enum flt_method)(mb < 0xf0 ? mb % FLT_METHOD_COUNT : mb);
	unsigned cls = mb < 0xf0 ? mb % FLT_METHOD_COUNT : FLT_METHOD_OTHER;
	size_t ua_len, acct_len;
	const uint8_t *ua = fz_slice(in, fz_u8(in) % 96, &ua_len);
	const uint8_t *acct = fz_slice(in, fz_u8(in) % 72, &acct_len);
	bool known_banned = ban_live(m, find_ban(m, ip));
	bool trust = trusted(&m->policy, ip);
	enum flt_verdict v;
	uint64_t sum = 0;
	int moved = 0;

	flt_counters_read(m->f, c0);
	flt_prefetch(m->f, ip);
	v = flt_check(m->f, m->now, ip, method, (const char *)ua, ua_len, (const char *)acct,
		      acct_len);
	m->checks++;
	flt_counters_read(m->f, c1);
	for (int c = 0; c < FLT_COUNTER_COUNT; c++) {
		if (c1[c] < c0[c])
			abort();
		d[c] = c1[c] - c0[c];
	}
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		if (d[verdicts[i]] > 1)
			abort();
		moved += (int)d[verdicts[i]];
		sum += c1[verdicts[i]];
	}
	if (moved != 1 || sum != m->checks || (v == FLT_ACCEPT) != (d[FLT_C_accepted] == 1) ||
	    (v != FLT_ACCEPT && v != FLT_DROP))
		abort();
	if (known_banned && !d[FLT_C_banned])
		abort();
	if (d[FLT_C_banned])
		return;
	if (d[FLT_C_scanner_ua] != scanner(&m->policy, ua, ua_len))
		abort();
	if (d[FLT_C_scanner_ua])
		return;
	if (trust && (d[FLT_C_density] || d[rate_of[0]] || d[rate_of[1]] || d[rate_of[2]] ||
		      d[FLT_C_table_full_evict]))
		abort();
	if (d[FLT_C_allowlisted] != (trust && v == FLT_ACCEPT))
		abort();
	if (d[FLT_C_ban_table_full] && !d[FLT_C_density])
		abort();
	if (d[FLT_C_density] && !m->policy.density_requests)
		abort();
	for (unsigned c = 0; c < FLT_METHOD_COUNT; c++)
		if (d[rate_of[c]] && (c != cls || !m->policy.method_rate[c].per_sec))
			abort();
	if (d[FLT_C_account_cps] &&
	    (cls != FLT_METHOD_INVITE || !account_limited(m, acct, acct_len)))
		abort();
}

static void ban_add(struct model *m, struct fz_bytes *in)
{
	uint32_t ip = take_source(in);
	uint32_t seconds = fz_u8(in);
	uint8_t reason = fz_u8(in) % 3;
	int rc;

	drain_notices(m);
	rc = flt_ban_add(m->f, m->now, ip, seconds, (enum flt_ban_reason)reason);
	if (reason > FLT_BAN_DENSITY) {
		if (rc != -EINVAL)
			abort();
		return;
	}
	if (rc == 0)
		note_ban(m, ip, seconds ? m->now + seconds * NS_PER_SEC : FLT_BAN_PERMANENT,
			 (enum flt_ban_reason)reason);
	else if (rc != -ENOSPC || ban_live(m, find_ban(m, ip)))
		abort(); /* replacing a ban always has room */
}

static void ban_remove(struct model *m, struct fz_bytes *in)
{
	uint32_t ip = take_source(in);
	bool live;

	drain_notices(m);
	live = ban_live(m, find_ban(m, ip));
	int rc = flt_ban_remove(m->f, ip);

	if ((live && rc != 0) || (rc != 0 && rc != -ENOENT))
		abort();
	forget_ban(m, ip);
}

/* Every known live ban is listed once with its expiry; nothing is listed twice. */
static void list_bans(struct model *m)
{
	static struct flt_ban_info all[1024];
	uint32_t cursor = 0;
	size_t n = 0;
	unsigned live = 0;

	drain_notices(m);
	do {
		size_t got = flt_ban_list(m->f, m->now, all + n, 16, &cursor);

		n += got;
		if (n > sizeof(all) / sizeof(all[0]) - 16)
			abort(); /* more bans than the largest table holds */
	} while (cursor != 0);
	for (size_t i = 0; i < n; i++) {
		if ((all[i].expires_ns == FLT_BAN_PERMANENT) != (all[i].seconds_left == UINT32_MAX) ||
		    all[i].expires_ns <= m->now)
			abort();
		for (size_t k = i + 1; k < n; k++)
			if (all[k].ip == all[i].ip)
				abort();
	}
	for (unsigned b = 0; b < m->nbans; b++) {
		bool found = false;

		if (!ban_live(m, &m->bans[b]))
			continue;
		live++;
		for (size_t i = 0; i < n && !found; i++)
			found = all[i].ip == m->bans[b].ip && all[i].expires_ns == m->bans[b].expires_ns;
		if (!found)
			abort();
	}
	if (flt_ban_count(m->f) < live)
		abort();
}

static void account_op(struct model *m, struct fz_bytes *in, uint8_t sub)
{
	size_t len;
	const uint8_t *id = fz_slice(in, fz_u8(in) % 72, &len);
	bool known = account_limited(m, id, len);
	bool valid = len >= 1 && len <= FLT_ACCOUNT_ID_MAX;

	if (sub == 0) {
		uint32_t cps = fz_u32(in) % (FLT_RATE_MAX + 2);
		int rc = flt_account_limit_set(m->f, m->now, (const char *)id, len, cps);

		if (!valid || cps == 0 || cps > FLT_RATE_MAX) {
			if (rc != -EINVAL)
				abort();
		} else if (rc == -ENOSPC) {
			if (known || m->naccts * 4 < ACCOUNTS * 3)
				abort();
		} else if (rc != 0) {
			abort();
		} else if (!known) {
			memcpy(m->acct[m->naccts], id, len);
			m->acct_len[m->naccts++] = (uint8_t)len;
		}
		return;
	}
	int rc = flt_account_limit_remove(m->f, (const char *)id, len);

	if (rc != (known ? 0 : -ENOENT))
		abort();
	for (unsigned i = 0; known && i < m->naccts; i++) {
		if (m->acct_len[i] == len && memcmp(m->acct[i], id, len) == 0) {
			m->naccts--;
			memcpy(m->acct[i], m->acct[m->naccts], sizeof(m->acct[i]));
			m->acct_len[i] = m->acct_len[m->naccts];
			break;
		}
	}
}

/* A new list text from the config file: applied only when it parses. */
static void policy_text(struct model *m, struct fz_bytes *in, bool ua)
{
	char text[256];
	size_t len;
	const uint8_t *s = fz_slice(in, fz_u8(in), &len);
	struct flt_policy p = m->policy;
	int rc;

	memcpy(text, s, len);
	text[len] = '\0';
	rc = ua ? flt_policy_parse_ua_list(&p, text, NULL, 0)
		: flt_policy_parse_allow_list(&p, text, NULL, 0);
	if (rc != 0)
		return;
	if (flt_policy_apply(m->f, &p) != 0)
		abort();
	flt_policy_current(m->f, &m->policy);
}

static void step_time(struct model *m, uint8_t op, struct fz_bytes *in)
{
	uint64_t step = (uint64_t)fz_u16(in) << (((op >> 3) & 15) * 2);

	if (op & 0x80)
		m->now = step > m->now ? 0 : m->now - step;
	else
		m->now += step;
	if (m->now > m->max_now)
		m->max_now = m->now;
}

static void setup(struct model *m, struct fz_bytes *in)
{
	struct flt_config cfg;
	uint8_t sizes = fz_u8(in);
	struct flt_policy *p = &m->policy;

	flt_config_defaults(&cfg);
	cfg.sources = 8u << (sizes & 3);
	cfg.bans = 8u << ((sizes >> 2) & 3);
	cfg.accounts = ACCOUNTS;
	cfg.notices = 2u << ((sizes >> 4) & 3);
	cfg.sweep_slots = fz_u8(in) % 64 + 1;
	cfg.hash_seed = fz_u32(in) | 1;

	flt_policy_defaults(p);
	p->density_requests = fz_u8(in) % 40;
	p->density_window_ms = fz_u16(in) % 5000 + 1;
	p->ban_seconds = fz_u8(in) % 120 + 1;
	for (int c = 0; c < FLT_METHOD_COUNT; c++) {
		p->method_rate[c].per_sec = fz_u8(in) % 30;
		p->method_rate[c].burst = fz_u8(in) % 40 + 1;
	}
	if (sizes & 0x40)
		flt_policy_parse_allow_list(p, "192.0.2.0/29", NULL, 0);
	m->f = flt_create(&cfg, p);
	if (!m->f)
		abort(); /* every configuration drawn here is valid */
	m->now = m->max_now = (uint64_t)fz_u32(in) << 8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct fz_bytes in = {data, size};

	memset(&m, 0, sizeof(m));
	setup(&m, &in);
	for (int r = 0; r < MAX_RECORDS && in.n; r++) {
		uint8_t op = fz_u8(&in);

		step_time(&m, op, &in);
		switch (op & 7) {
		case 4:
			ban_add(&m, &in);
			break;
		case 5:
			ban_remove(&m, &in);
			break;
		case 6:
			switch (fz_u8(&in) % 3) {
			case 0:
				flt_expire(m.f, m.now);
				break;
			case 1:
				list_bans(&m);
				break;
			default:
				drain_notices(&m);
				break;
			}
			break;
		case 7: {
			uint8_t sub = fz_u8(&in) % 4;

			if (sub < 2)
				account_op(&m, &in, sub);
			else
				policy_text(&m, &in, sub == 2);
			break;
		}
		default:
			request(&m, &in);
			break;
		}
	}
	flt_destroy(m.f);
	return 0;
}
