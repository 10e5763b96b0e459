/* Asking every data plane to ban a source (METHOD_BAN_ADD over the control channel). Each call
 * runs on libuv's worker pool with the blocking one-call client, so the loop never waits; the
 * outcome is logged and counted.
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: csip_ban_* are called on the loop thread; only the blocking call runs elsewhere,
 * on copies of its inputs.
 */
#ifndef CSIP_BAN_H
#define CSIP_BAN_H

#include <stdint.h>
#include <uv.h>

struct csip_ban;

struct csip_ban_counters {
	uint64_t requested;	/* ban calls started (one per data plane) */
	uint64_t succeeded;
	uint64_t failed;
};

/* control: the comma-separated data-plane control addresses (dataplane.control). */
struct csip_ban *csip_ban_new(uv_loop_t *loop, const char *control);

/* Ban ip for seconds on every data plane; -EMSGSIZE for an over-long address. */
int csip_ban_source(struct csip_ban *b, const char *ip, unsigned seconds, const char *reason);

void csip_ban_counters(const struct csip_ban *b, struct csip_ban_counters *out);

/* Frees once every call in flight has finished. NULL is a no-op. */
void csip_ban_close(struct csip_ban *b);

#endif
