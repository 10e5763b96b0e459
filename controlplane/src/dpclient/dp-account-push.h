/* Pushing the accounts' CPS limits to one data plane: which account each realm's INVITEs count
 * against (SetAccountRealms) and each account's calls per second (SetAccountLimits). The whole
 * set goes every time, in chunks the data plane's bounded messages hold; the first chunk of
 * each kind replaces what the data plane held, so it ends up with exactly this set.
 *
 * Return convention: dp_account_push_send returns 0 (done will run once, later) or a negative
 * errno (nothing is pending and done never runs).
 *
 * Threading: the dpclient's loop thread, like the dpclient itself.
 */
#ifndef BUGLE_CP_DP_ACCOUNT_PUSH_H
#define BUGLE_CP_DP_ACCOUNT_PUSH_H

#include <stddef.h>
#include <stdint.h>

#include "dpclient.h"

#define DP_ACCOUNT_ID_MAX 63	/* the data plane's FLT_ACCOUNT_ID_MAX */
#define DP_REALM_MAX 128	/* the data plane's EDGE_REALM_MAX */
/* A data plane's realm table holds 768 realms per worker; more would be refused. */
#define DP_ACCOUNT_PUSH_MAX 768
/* Entries per message: well inside the data plane's max_count (256) and frame payload. */
#define DP_ACCOUNT_PUSH_CHUNK 128

/* One account with a CPS limit, as the data planes get it. */
struct dp_account_limit {
	char account_id[DP_ACCOUNT_ID_MAX + 1];
	char realm[DP_REALM_MAX + 1];
	uint32_t cps;
};

/* status: 0 when every message was accepted, else the first failure's Bugle__Dp__Status with
 * its error text. */
typedef void (*dp_account_push_done_fn)(void *arg, int status, const char *error);

/* Sends the n entries of set (n <= DP_ACCOUNT_PUSH_MAX; n 0 clears the data plane's realms and
 * limits). set is copied into the messages before this returns. -EINVAL bad arguments; the
 * dpclient_call errors (-ENOTCONN, -EBUSY, ...) when the first message cannot be sent. */
int dp_account_push_send(struct dpclient *c, const struct dp_account_limit *set, size_t n,
			 dp_account_push_done_fn done, void *arg);

#endif
