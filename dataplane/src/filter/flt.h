/* The per-lcore flood filter: one instance per worker lcore, called for every SIP request after
 * parsing and sanity checks and before the edge proxy forwards it.
 *
 * Threading: an instance is single-threaded. Only its owning lcore calls these functions and the
 * ones in flt-control.h; the main lcore sends policies, bans and account limits to it over that
 * worker's SPSC ring and the worker applies them between bursts. Counters alone may be read from
 * another thread (flt-counters.h). All memory is allocated by flt_create().
 *
 * Order of checks in flt_check(): ban table (operator and density bans; an operator ban wins
 * over the allow-list) -> scanner User-Agent -> allow-list (trusted sources skip the density
 * detector and the method buckets) -> density detector -> method bucket -> account CPS (INVITEs
 * with an account id, trusted or not).
 *
 * Return convention: flt_create returns an instance or NULL (errno set); flt_check returns a
 * verdict; flt_expire returns a count; the rest return 0 or a negative errno.
 */
#ifndef BUGLE_FLT_H
#define BUGLE_FLT_H

#include <stddef.h>
#include <stdint.h>

#include "flt-t.h"

struct flt;

/* Sizes: 65536 sources, 4096 bans, 1024 accounts, 64 notices, 256 sweep slots. */
void flt_config_defaults(struct flt_config *cfg);

/* policy NULL: flt_policy_defaults(). EINVAL for a bad config or policy, ENOMEM. */
struct flt *flt_create(const struct flt_config *cfg, const struct flt_policy *policy);
void flt_destroy(struct flt *f);

/* now_ns: a monotonic clock in nanoseconds (the caller's TSC converted); src_ip: host order.
 * ua/account: slices into the packet (not NUL-terminated), NULL or length 0 when absent. The
 * request is counted as accepted or under the one reason it was dropped for. */
enum flt_verdict flt_check(struct flt *f, uint64_t now_ns, uint32_t src_ip, enum flt_method m,
			   const char *ua, size_t ua_len, const char *account, size_t account_len);

/* Starts loading src_ip's table lines into cache. A worker calls it for the request a few
 * places ahead in its burst so that flt_check() finds them there (the l3fwd prefetch idiom). */
void flt_prefetch(const struct flt *f, uint32_t src_ip);

/* Replaces the policy; validated first (-EINVAL leaves the old one in force). Per-source state
 * is kept: buckets are capped to the new bursts on their next refill. */
int flt_policy_apply(struct flt *f, const struct flt_policy *policy);
void flt_policy_current(const struct flt *f, struct flt_policy *out);

/* Periodic sweep of expired bans, examining at most cfg.sweep_slots slots; returns bans removed. */
size_t flt_expire(struct flt *f, uint64_t now_ns);

#endif
