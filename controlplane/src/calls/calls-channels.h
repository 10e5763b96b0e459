/* Live channels per account, for GET/DELETE /v2/accounts/{ID}/channels.
 *
 * Shared through the bus, not PostgreSQL: every node already publishes each channel event on
 * the callevt exchange, so every node builds its view of the others' channels from those
 * (CHANNEL_CREATE..BRIDGE insert or refresh, CHANNEL_DESTROY removes); remote entries expire
 * after `remote_ttl_ms` without news, so a node that dies leaves no ghosts. Writing each
 * channel change to PostgreSQL would add several writes per call at hundreds of calls per
 * second for state that is stale the moment a node crashes.
 * Return convention: creators return a pointer or NULL; lookups a JSON value or NULL; the rest
 * 0 or a negative errno.
 *
 * Threading: the loop thread only.
 */
#ifndef CALLS_CHANNELS_H
#define CALLS_CHANNELS_H

#include "calls-leg-t.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct calls_channels;

struct calls_channels *calls_channels_new(const char *node, uint64_t remote_ttl_ms);
void calls_channels_free(struct calls_channels *c);

/* A local leg's event. */
int calls_channels_local(struct calls_channels *c, enum calls_event_kind kind,
			 const struct calls_leg *leg, uint64_t now_ms);
/* A call event heard on the bus (KAZOO JSON); events of this node are ignored.
 * -EINVAL: not a usable call event (counted by the caller). */
int calls_channels_remote(struct calls_channels *c, const json_t *event, uint64_t now_ms);
/* This node's channels for its periodic announcement (new reference; NULL on no memory):
 * {"Event-Category":"channels","Event-Name":"CHANNELS_ANNOUNCE","Node":..,"Channels":[..]}.
 * Announcements keep long calls alive in other nodes' views (no event may come for hours)
 * and let a node that starts late learn the calls already up. */
json_t *calls_channels_announcement(const struct calls_channels *c);
/* Another node's announcement: its channels are added or refreshed. Own ones are ignored.
 * Returns how many were applied, or -EINVAL for a malformed message. */
int calls_channels_announced(struct calls_channels *c, const json_t *msg, uint64_t now_ms);
/* Forget remote channels not heard of within the TTL; returns how many went. */
int calls_channels_expire(struct calls_channels *c, uint64_t now_ms);

/* The account's channels as a KAZOO-shaped array (new reference), or NULL on no memory. */
json_t *calls_channels_list(const struct calls_channels *c, const char *account_id);
/* One channel (borrowed; valid until the next change), or NULL. */
const json_t *calls_channels_find(const struct calls_channels *c, const char *account_id,
				  const char *call_id);
size_t calls_channels_count(const struct calls_channels *c);
/* Only this node's own channels (its live calls), not the ones peers announce: what a
 * drain of this node waits for. */
size_t calls_channels_local_count(const struct calls_channels *c);

#endif
