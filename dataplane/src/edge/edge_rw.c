/* Generic replace edit over a struct sip_rw_plan (see edge_rw.h). */
#include "edge_rw.h"

#include <errno.h>
#include <string.h>

#include "sip-t.h"

int edge_rw_replace(struct sip_rw_plan *plan, uint32_t start, uint32_t end, const char *a,
		    size_t alen, const char *b, size_t blen, const char *c, size_t clen)
{
	size_t len = alen + blen + clen;

	if (plan->n >= SIP_RW_MAX_EDITS || len > (size_t)(SIP_RW_TEXT - plan->used))
		return -ENOSPC;
	if (start > end || end > plan->m->len)
		return -EINVAL;
	char *dst = plan->text + plan->used;
	if (alen)
		memcpy(dst, a, alen);
	if (blen)
		memcpy(dst + alen, b, blen);
	if (clen)
		memcpy(dst + alen + blen, c, clen);
	struct sip_rw_edit *e = &plan->e[plan->n++];
	e->start = start;
	e->end = end;
	e->off = plan->used;
	e->len = (uint16_t)len;
	plan->used = (uint16_t)(plan->used + len);
	return 0;
}
