/* The registrar's life cycle. */
#include "registrar-int.h"

#include "bugle/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t wall_clock(void *arg)
{
	(void)arg;
	return (uint64_t)time(NULL);
}

uint64_t csip_reg_now(struct csip_registrar *r)
{
	return r->now_s(r->now_arg);
}

struct csip_registrar *csip_registrar_new(uv_loop_t *loop, const struct csip_registrar_options *o)
{
	struct csip_registrar *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->loop = loop;
	r->cfg = *o->cfg;
	r->pg = o->pg;
	r->bus = o->bus;
	snprintf(r->node, sizeof(r->node), "%s", o->node ? o->node : "");
	r->key = o->key;
	r->now_s = o->now_s ? o->now_s : wall_clock;
	r->now_arg = o->now_arg;
	r->salt = o->seed * 0x9e3779b97f4a7c15ull;
	r->nc = csip_nc_table_new((size_t)r->cfg.nonce_table_size);
	r->fails = csip_auth_fail_new((size_t)r->cfg.auth_fail_table_size,
				      (uint64_t)r->cfg.auth_fail_window_s, o->seed);
	r->ban = csip_ban_new(loop, o->dp_control);
	if (!r->nc || !r->fails || !r->ban) {
		csip_nc_table_free(r->nc);
		csip_auth_fail_free(r->fails);
		csip_ban_close(r->ban);
		free(r);
		return NULL;
	}
	return r;
}

int csip_registrar_start(struct csip_registrar *r)
{
	return r->pg ? csip_reg_sweep_start(r) : 0;
}

void csip_registrar_counters(const struct csip_registrar *r, struct csip_registrar_counters *out)
{
	*out = r->c;
}

/* Frees once closed, with nothing waiting on the store and the sweep timer closed. */
void csip_reg_release(struct csip_registrar *r)
{
	if (!r->closing || r->busy || r->sweep_open)
		return;
	csip_nc_table_free(r->nc);
	csip_auth_fail_free(r->fails);
	csip_ban_close(r->ban);
	free(r);
}

void csip_registrar_close(struct csip_registrar *r)
{
	if (!r || r->closing)
		return;
	r->closing = true;
	csip_reg_sweep_stop(r);
	csip_reg_release(r);
}
