/* Document-change announcements, KAZOO style: routing key
 * "<doc_created|doc_edited|doc_deleted>.<account db>.<type>.<id>" on the configuration
 * exchange, where the account db is KAZOO's encoded name "account%2Fab%2Fcd%2Frest".
 * Return convention: 0 or a negative errno (-EINVAL malformed, -ENOSPC buffer too small).
 */
#ifndef STORE_EVENTS_H
#define STORE_EVENTS_H

#include <stddef.h>

enum store_event_kind {
	STORE_EVENT_CREATED,
	STORE_EVENT_EDITED,
	STORE_EVENT_DELETED,
};

struct store_event {
	enum store_event_kind kind;
	char account_id[33];
	char type[64];
	char id[129];
};

int store_event_routing_key(const struct store_event *ev, char *out, size_t outlen);
int store_event_parse(const char *routing_key, struct store_event *ev);
const char *store_event_name(enum store_event_kind kind);

#endif
