/* Filter instance life cycle and the per-request check; see flt.h. */
#include "flt.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "flt-hash.h"
#include "flt-instance.h"
#include "flt-policy.h"
#include "token-bucket.h"

#define NS_PER_MS 1000000ull
#define NS_PER_SEC 1000000000ull

void flt_config_defaults(struct flt_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->sources = 65536;
	cfg->bans = 4096;
	cfg->accounts = 1024;
	cfg->notices = 64;
	cfg->sweep_slots = 256;
}

static bool pow2_at_least(uint32_t v, uint32_t min)
{
	return v >= min && (v & (v - 1)) == 0;
}

static int config_valid(const struct flt_config *cfg)
{
	if (!pow2_at_least(cfg->sources, FLT_SOURCE_WAYS) || cfg->sources > (1u << 26) ||
	    !pow2_at_least(cfg->bans, FLT_BAN_WAYS) || cfg->bans > (1u << 24) ||
	    !pow2_at_least(cfg->accounts, 8) || cfg->accounts > (1u << 24) ||
	    !pow2_at_least(cfg->notices, 2) || cfg->notices > (1u << 16) || cfg->sweep_slots == 0 ||
	    (!cfg->alloc != !cfg->free))
		return -EINVAL;
	return 0;
}

struct flt *flt_create(const struct flt_config *cfg, const struct flt_policy *policy)
{
	struct flt_mem mem = { cfg->alloc, cfg->free, cfg->alloc_arg };
	struct flt_policy defaults;
	uint64_t seed = cfg->hash_seed;
	struct flt *f;
	int rc;

	if (!policy) {
		flt_policy_defaults(&defaults);
		policy = &defaults;
	}
	if (config_valid(cfg) < 0 || flt_policy_validate(policy, NULL, 0) < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (!seed && getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		return NULL;

	f = flt_mem_zalloc(&mem, sizeof(*f));
	if (!f) {
		errno = ENOMEM;
		return NULL;
	}
	f->mem = mem;
	f->sweep_slots = cfg->sweep_slots;
	f->notice_mask = cfg->notices - 1;
	f->notices = flt_mem_zalloc(&mem, (size_t)cfg->notices * sizeof(*f->notices));
	rc = f->notices ? 0 : -ENOMEM;
	if (!rc)
		rc = flt_source_table_init(&f->sources, &mem, cfg->sources, seed);
	if (!rc)
		rc = flt_ban_table_init(&f->bans, &mem, cfg->bans, flt_hash_seed_next(seed, 1));
	if (!rc)
		rc = flt_account_table_init(&f->accounts, &mem, cfg->accounts,
					    flt_hash_seed_next(seed, 2));
	if (!rc)
		rc = flt_policy_apply(f, policy);
	if (rc) {
		flt_destroy(f);
		errno = -rc;
		return NULL;
	}
	return f;
}

void flt_destroy(struct flt *f)
{
	struct flt_mem mem;

	if (!f)
		return;
	mem = f->mem;
	flt_source_table_fini(&f->sources, &mem);
	flt_ban_table_fini(&f->bans, &mem);
	flt_account_table_fini(&f->accounts, &mem);
	flt_mem_free(&mem, f->notices);
	flt_mem_free(&mem, f);
}

/* Ticks after which an untouched source has refilled every bucket and left its density window,
 * so its slot may be reused without counting an eviction. One tick is added because ticks are
 * truncated time. */
static uint32_t idle_ticks_for(const struct flt_policy *p)
{
	uint64_t need_ns = (uint64_t)p->density_window_ms * NS_PER_MS;

	for (int c = 0; c < FLT_METHOD_COUNT; c++) {
		const struct flt_rate *r = &p->method_rate[c];
		uint64_t fill_ns;

		if (!r->per_sec)
			continue;
		fill_ns = ((uint64_t)r->burst * NS_PER_SEC + r->per_sec - 1) / r->per_sec;
		if (fill_ns > need_ns)
			need_ns = fill_ns;
	}
	return (uint32_t)((need_ns + (1ull << FLT_TICK_SHIFT) - 1) >> FLT_TICK_SHIFT) + 1;
}

int flt_policy_apply(struct flt *f, const struct flt_policy *p)
{
	struct flt_ua_matcher ua;
	struct flt_allow_list allow;

	if (flt_policy_validate(p, NULL, 0) < 0 || flt_ua_matcher_build(&ua, p->ua, p->ua_count) < 0 ||
	    flt_allow_list_build(&allow, p->allow, p->allow_count) < 0)
		return -EINVAL;
	f->ua = ua;
	f->allow = allow;
	memcpy(f->rate, p->method_rate, sizeof(f->rate));
	f->window_ns = (uint64_t)p->density_window_ms * NS_PER_MS;
	f->ban_ns = (uint64_t)p->ban_seconds * NS_PER_SEC;
	f->density_requests = p->density_requests;
	f->idle_ticks = idle_ticks_for(p);
	f->policy = *p;
	return 0;
}

void flt_policy_current(const struct flt *f, struct flt_policy *out)
{
	*out = f->policy;
}

size_t flt_expire(struct flt *f, uint64_t now_ns)
{
	return flt_ban_table_sweep(&f->bans, now_ns, f->sweep_slots);
}

static void queue_notice(struct flt *f, uint32_t ip, uint64_t now_ns, uint32_t requests)
{
	struct flt_ban_notice *n;

	if (f->notice_tail - f->notice_head > f->notice_mask) {
		flt_count(f, FLT_C_notice_overflow);
		return;
	}
	n = &f->notices[f->notice_tail & f->notice_mask];
	n->ip = ip;
	n->ban_seconds = f->policy.ban_seconds;
	n->at_ns = now_ns;
	n->requests = requests;
	f->notice_tail++;
}

static enum flt_verdict drop(struct flt *f, enum flt_counter why)
{
	flt_count(f, why);
	return FLT_DROP;
}

/* Density detector and method bucket for an untrusted source. */
static enum flt_verdict check_source(struct flt *f, uint64_t now_ns, uint32_t ip, unsigned cls)
{
	static const enum flt_counter rate_counter[FLT_METHOD_COUNT] = {
		[FLT_METHOD_REGISTER] = FLT_C_register_rate,
		[FLT_METHOD_INVITE] = FLT_C_invite_rate,
		[FLT_METHOD_OTHER] = FLT_C_other_rate,
	};
	enum flt_source_lookup how;
	struct flt_source *s = flt_source_lookup(&f->sources, ip, now_ns, f->idle_ticks, &how);

	if (how != FLT_SOURCE_FOUND) {
		if (how == FLT_SOURCE_EVICTED)
			flt_count(f, FLT_C_table_full_evict);
		for (int c = 0; c < FLT_METHOD_COUNT; c++)
			s->units[c] = flt_bucket_full(&f->rate[c]);
		s->last_ns = now_ns;
		s->window_start_ns = now_ns;
	} else {
		/* Refill even with no time passed: that is where a lowered burst takes effect. A
		 * clock that went backwards earns nothing. */
		uint64_t elapsed = now_ns > s->last_ns ? now_ns - s->last_ns : 0;

		for (int c = 0; c < FLT_METHOD_COUNT; c++)
			flt_bucket_refill(&s->units[c], elapsed, &f->rate[c]);
		s->last_ns += elapsed;
	}

	/* Time running backwards wraps the difference and also starts a new window. */
	if (now_ns - s->window_start_ns >= f->window_ns) {
		s->window_start_ns = now_ns;
		s->window_count = 0;
	}
	s->window_count += s->window_count < UINT32_MAX;
	if (f->density_requests && s->window_count >= f->density_requests) {
		uint64_t until = now_ns + f->ban_ns;

		if (flt_ban_table_add(&f->bans, ip, now_ns, until, FLT_BAN_DENSITY) == 0) {
			queue_notice(f, ip, now_ns, s->window_count);
			/* A fresh window once the ban is over. */
			s->window_count = 0;
		} else {
			flt_count(f, FLT_C_ban_table_full);
		}
		return drop(f, FLT_C_density);
	}

	if (f->rate[cls].per_sec && !flt_bucket_take(&s->units[cls]))
		return drop(f, rate_counter[cls]);
	return FLT_ACCEPT;
}

void flt_prefetch(const struct flt *f, uint32_t src_ip)
{
	flt_source_prefetch(&f->sources, src_ip);
	if (f->bans.count)
		flt_ban_table_prefetch(&f->bans, src_ip);
}

enum flt_verdict flt_check(struct flt *f, uint64_t now_ns, uint32_t src_ip, enum flt_method m,
			   const char *ua, size_t ua_len, const char *account, size_t account_len)
{
	unsigned cls = (unsigned)m < FLT_METHOD_COUNT ? (unsigned)m : FLT_METHOD_OTHER;
	bool trusted;

	/* Operator bans win over the allow-list, so the ban table comes first. */
	if (f->bans.count && flt_ban_table_banned(&f->bans, src_ip, now_ns))
		return drop(f, FLT_C_banned);
	if (flt_ua_matcher_match(&f->ua, ua, ua_len))
		return drop(f, FLT_C_scanner_ua);
	trusted = flt_allow_list_match(&f->allow, src_ip);
	if (!trusted && check_source(f, now_ns, src_ip, cls) == FLT_DROP)
		return FLT_DROP;
	if (cls == FLT_METHOD_INVITE && account_len &&
	    !flt_account_table_admit(&f->accounts, account, account_len, now_ns))
		return drop(f, FLT_C_account_cps);
	flt_count(f, FLT_C_accepted);
	if (trusted)
		flt_count(f, FLT_C_allowlisted);
	return FLT_ACCEPT;
}
