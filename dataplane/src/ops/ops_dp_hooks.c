/* log.level goes to the logger; dispatcher.probe_interval_ms to the edge's prober (main lcore);
 * filter.* become one FilterPolicy handed to the edge, which passes it to every worker's
 * filter the same way SetFilterPolicy does. */
#include "ops_dp_hooks.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pb_encode.h>

#include "bugle/log.h"
#include "dp_config-t.h"
#include "edge_dp.h"

static int apply_log_level(void *ctx, const void *live, char *err, size_t err_cap)
{
	(void)ctx;
	(void)err;
	(void)err_cap;
	const struct dp_config *cfg = live;
	bgl_log_set_level((enum bgl_log_level)cfg->log_level);
	return 0;
}

/* "a, b,c" -> repeated strings; an item too long or too many is an error, not a truncation. */
static int split(const char *text, char (*out)[64], size_t item_cap, pb_size_t max,
		 pb_size_t *count, const char *what, char *err, size_t err_cap)
{
	*count = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, ",");
		size_t t = n;
		while (t && p[t - 1] == ' ')
			t--;
		if (*count >= max || t >= item_cap) {
			snprintf(err, err_cap, "%s: too many items or an item too long", what);
			return -1;
		}
		memcpy(out[*count], p, t);
		out[*count][t] = '\0';
		(*count)++;
		p += n;
	}
	return 0;
}

static int apply_filter(void *ctx, const void *live, char *err, size_t err_cap)
{
	struct edge_dp *edge = ctx;
	if (!edge)
		return 0;	/* SIP is off: the value is kept for the record */
	const struct edge_config *c = &((const struct dp_config *)live)->edge;
	static bugle_dp_FilterPolicy pol;	/* main lcore only; ~6 KB */
	static char allow[64][64];
	static uint8_t req[8192], resp[8192];
	pol = (bugle_dp_FilterPolicy)bugle_dp_FilterPolicy_init_zero;
	pol.density_requests = (uint32_t)c->density_requests;
	pol.density_window_ms = (uint32_t)c->density_window_ms;
	pol.ban_seconds = (uint32_t)c->ban_seconds;
	pol.register_per_second = (uint32_t)c->register_per_second;
	pol.invite_per_second = (uint32_t)c->invite_per_second;
	const pb_size_t max_ua = sizeof(pol.scanner_user_agents) / sizeof(pol.scanner_user_agents[0]);
	const pb_size_t max_allow = sizeof(pol.allow_sources) / sizeof(pol.allow_sources[0]);
	if (split(c->scanner_user_agents, pol.scanner_user_agents,
		  sizeof(pol.scanner_user_agents[0]), max_ua, &pol.scanner_user_agents_count,
		  "filter.scanner_user_agents", err, err_cap) < 0 ||
	    split(c->allow_sources, allow, sizeof(pol.allow_sources[0]), max_allow,
		  &pol.allow_sources_count, "filter.allow_sources", err, err_cap) < 0)
		return -EINVAL;
	for (pb_size_t i = 0; i < pol.allow_sources_count; i++)
		memcpy(pol.allow_sources[i], allow[i], strlen(allow[i]) + 1);	/* split bounded it */
	pb_ostream_t os = pb_ostream_from_buffer(req, sizeof(req));
	if (!pb_encode(&os, bugle_dp_FilterPolicy_fields, &pol)) {
		snprintf(err, err_cap, "filter policy does not encode: %s", PB_GET_ERROR(&os));
		return -EINVAL;
	}
	size_t resp_len;
	int st = edge_dp_set_filter_policy(edge, req, os.bytes_written, resp, sizeof(resp),
					   &resp_len, err, err_cap);
	return st == bugle_dp_Status_STATUS_OK ? 0 : -EINVAL;
}

static int apply_probe_interval(void *ctx, const void *live, char *err, size_t err_cap)
{
	(void)err;
	(void)err_cap;
	if (ctx)
		edge_dp_set_probe_interval(
			ctx, (uint32_t)((const struct dp_config *)live)->edge.probe_interval_ms);
	return 0;
}

static const struct ops_setting_hook hooks[] = {
	{ "log.level", apply_log_level },
	{ "dispatcher.probe_interval_ms", apply_probe_interval },
	{ "filter.", apply_filter },
};

size_t ops_dp_hooks(const struct ops_setting_hook **out)
{
	*out = hooks;
	return sizeof(hooks) / sizeof(hooks[0]);
}
