/* Call-id -> session index for the control path. Return convention: lookups return the
 * session index or -1; the rest 0 or a negative errno. Main lcore only.
 */
#ifndef BUGLE_RELAY_INDEX_H
#define BUGLE_RELAY_INDEX_H

#include "relay-t.h"

/* Room for max_entries keys at a load factor of at most one half. */
int relay_index_init(struct relay_index *ix, uint32_t max_entries);
void relay_index_fini(struct relay_index *ix);
/* sessions resolves a stored index to its call-id. */
int32_t relay_index_find(const struct relay_index *ix, const struct relay_session *sessions,
			 const char *call_id);
/* -EEXIST when present, -ENOSPC when full. */
int relay_index_add(struct relay_index *ix, const struct relay_session *sessions,
		    const char *call_id, uint32_t session);
/* -ENOENT when absent. */
int relay_index_del(struct relay_index *ix, const struct relay_session *sessions,
		    const char *call_id);

#endif
