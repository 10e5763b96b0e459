/* Edits the edge needs beyond the SIP library's primitives, added to the same plan so one
 * sip_rw_apply() writes the message. Return 0 or a negative errno (-ENOSPC plan full). */
#ifndef BUGLE_EDGE_RW_H
#define BUGLE_EDGE_RW_H

#include <stddef.h>
#include <stdint.h>

#include "sip_rewrite-t.h"

/* Replace message bytes [start, end) (offsets into plan->m->buf) with the given parts,
 * concatenated. An insertion has start == end. */
int edge_rw_replace(struct sip_rw_plan *plan, uint32_t start, uint32_t end, const char *a,
		    size_t alen, const char *b, size_t blen, const char *c, size_t clen);

/* Offset of a pointer into the message. */
static inline uint32_t edge_rw_off(const struct sip_rw_plan *plan, const char *p)
{
	return (uint32_t)(p - plan->m->buf);
}

#endif
