/* Control-channel operations on a filter instance; see flt-control.h. */
#include "flt-control.h"

#include <errno.h>

#include "flt-instance.h"

#define NS_PER_SEC 1000000000ull

int flt_ban_add(struct flt *f, uint64_t now_ns, uint32_t ip, uint32_t seconds,
		enum flt_ban_reason reason)
{
	uint64_t expires = seconds ? now_ns + (uint64_t)seconds * NS_PER_SEC : FLT_BAN_PERMANENT;

	if (reason != FLT_BAN_OPERATOR && reason != FLT_BAN_DENSITY)
		return -EINVAL;
	return flt_ban_table_add(&f->bans, ip, now_ns, expires, reason);
}

int flt_ban_remove(struct flt *f, uint32_t ip)
{
	return flt_ban_table_remove(&f->bans, ip);
}

size_t flt_ban_list(const struct flt *f, uint64_t now_ns, struct flt_ban_info *out, size_t max,
		    uint32_t *cursor)
{
	return flt_ban_table_list(&f->bans, now_ns, out, max, cursor);
}

uint32_t flt_ban_count(const struct flt *f)
{
	return f->bans.count;
}

size_t flt_ban_notices_drain(struct flt *f, struct flt_ban_notice *out, size_t max)
{
	size_t n = 0;

	while (n < max && f->notice_head != f->notice_tail) {
		out[n++] = f->notices[f->notice_head & f->notice_mask];
		f->notice_head++;
	}
	return n;
}

int flt_account_limit_set(struct flt *f, uint64_t now_ns, const char *account, size_t len,
			  uint32_t cps)
{
	return flt_account_table_set(&f->accounts, account, len, cps, now_ns);
}

int flt_account_limit_remove(struct flt *f, const char *account, size_t len)
{
	return flt_account_table_remove(&f->accounts, account, len);
}

void flt_account_limit_clear(struct flt *f)
{
	flt_account_table_clear(&f->accounts);
}

uint32_t flt_source_count(const struct flt *f)
{
	return flt_source_table_used(&f->sources);
}
