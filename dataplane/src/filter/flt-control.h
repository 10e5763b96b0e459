/* What the control channel asks of a filter instance: bans, account limits, and the queue of
 * bans the density detector added. Called by the owning lcore between bursts (see flt.h).
 *
 * Bans and account limits live per instance: the main lcore fans an operator ban or a limit out
 * to every worker, and passes a density ban one worker raised (its notice) on to the others
 * (edge_dp.c), which add it with flt_ban_add(). An account limit is enforced per instance, so
 * the edge divides an account's CPS among its workers (edge_dp_set_account_limits).
 *
 * Return convention: list and drain calls return a count; the rest return 0 or a negative errno
 * (-EINVAL bad argument, -ENOSPC table full, -ENOENT not found).
 */
#ifndef BUGLE_FLT_CONTROL_H
#define BUGLE_FLT_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include "flt-t.h"

struct flt;

/* seconds 0: permanent. Replaces an existing ban of the same address, except that a density
 * ban leaves a live operator ban as it is. */
int flt_ban_add(struct flt *f, uint64_t now_ns, uint32_t ip, uint32_t seconds,
		enum flt_ban_reason reason);
int flt_ban_remove(struct flt *f, uint32_t ip);

/* Live bans from *cursor (start at 0); *cursor is 0 again when the table has been walked. */
size_t flt_ban_list(const struct flt *f, uint64_t now_ns, struct flt_ban_info *out, size_t max,
		    uint32_t *cursor);

/* Bans held, including expired ones not yet swept. */
uint32_t flt_ban_count(const struct flt *f);

/* Takes up to max queued "new density ban" notices, oldest first. */
size_t flt_ban_notices_drain(struct flt *f, struct flt_ban_notice *out, size_t max);

/* Account ids are byte slices of 1..FLT_ACCOUNT_ID_MAX bytes; cps 1..FLT_RATE_MAX. */
int flt_account_limit_set(struct flt *f, uint64_t now_ns, const char *account, size_t len,
			  uint32_t cps);
int flt_account_limit_remove(struct flt *f, const char *account, size_t len);
/* Forgets every account limit (before the control plane pushes its full set again). */
void flt_account_limit_clear(struct flt *f);

/* Sources currently holding state (walks the table: for tests and the CLI, not the fast path). */
uint32_t flt_source_count(const struct flt *f);

#endif
