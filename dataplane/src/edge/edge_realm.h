/* Realm -> account id, for per-account CPS limits: the edge knows a request's realm (the host
 * of its From URI for a registered device's call, else of its To URI) and the control plane
 * pushes which account each realm belongs to. One table per worker, written only by its worker
 * (the main lcore fans changes out as worker commands, like the filter's account limits).
 * Fixed size, allocated at creation: a full table refuses a new realm, never grows.
 *
 * Realms compare case-insensitively (they are host names).
 *
 * Return convention: create returns a table or NULL (errno set); lookup returns 0 or -ENOENT;
 * the rest return 0 or a negative errno (-EINVAL bad argument, -ENOSPC table full, -ENOENT
 * not found).
 */
#ifndef BUGLE_EDGE_REALM_H
#define BUGLE_EDGE_REALM_H

#include <stddef.h>
#include <stdint.h>

#include "flt-t.h"
#include "sip-t.h"

#define EDGE_REALM_MAX 128	/* bytes of a realm (a host name) */

struct edge_realms;

/* slots: a power of two >= 8; at most 3/4 of them are filled. */
struct edge_realms *edge_realms_create(uint32_t slots);
void edge_realms_destroy(struct edge_realms *t);

/* Adds or replaces. account: 1..FLT_ACCOUNT_ID_MAX bytes; realm: 1..EDGE_REALM_MAX bytes. */
int edge_realms_set(struct edge_realms *t, const char *realm, size_t rlen, const char *account,
		    size_t alen);
int edge_realms_remove(struct edge_realms *t, const char *realm, size_t rlen);
/* Forgets every realm. */
void edge_realms_clear(struct edge_realms *t);
/* *account points into the table: valid until the next set/remove. */
int edge_realms_lookup(const struct edge_realms *t, const char *realm, size_t rlen,
		       struct sip_str *account);
uint32_t edge_realms_count(const struct edge_realms *t);

#endif
