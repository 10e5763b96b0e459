/* The allocator the filter's tables are created with: the caller's (for example DPDK memory on
 * the worker's socket) or aligned_alloc. Used at creation and destruction only.
 *
 * Return convention: flt_mem_zalloc returns a zeroed block or NULL.
 */
#ifndef BUGLE_FLT_MEM_H
#define BUGLE_FLT_MEM_H

#include <stdlib.h>
#include <string.h>

struct flt_mem {
	void *(*alloc)(size_t size, size_t align, void *arg);
	void (*free)(void *ptr, void *arg);
	void *arg;
};

static inline void *flt_mem_zalloc(const struct flt_mem *m, size_t size)
{
	/* aligned_alloc wants a multiple of the alignment. */
	size_t rounded = (size + 63) & ~(size_t)63;
	void *p = m->alloc ? m->alloc(rounded, 64, m->arg) : aligned_alloc(64, rounded);

	if (p)
		memset(p, 0, rounded);
	return p;
}

static inline void flt_mem_free(const struct flt_mem *m, void *p)
{
	if (!p)
		return;
	if (m->free)
		m->free(p, m->arg);
	else
		free(p);
}

#endif
