/* The dataplanes module: one control-channel client per address in dataplane.control, each a
 * dependency in the health status ("dataplane <addr>"). */
#include "bugle/log.h"
#include "cp/context-t.h"
#include "cp/health.h"
#include "cp/modules.h"
#include "dpclient.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CP_MAX_DATAPLANES 16

struct cp_dp_link {
	struct cp_ctx *ctx;
	struct dpclient *client;
	int dep;			/* health index */
	char addr[128];
};

/* Owner: the loop thread; freed by stop (after every client is closed). */
struct cp_dataplanes {
	unsigned n;
	struct cp_dp_link links[CP_MAX_DATAPLANES];
};

static void link_state(void *arg, bool up)
{
	struct cp_dp_link *l = arg;
	cp_health_report(&l->ctx->health, l->dep, up, up ? NULL : "control channel down");
}

static void link_event(void *arg, const Bugle__Dp__Event *ev)
{
	struct cp_dp_link *l = arg;
	(void)ev;
	/* Consumers (media, filter) subscribe to these in later modules. */
	BGL_DEBUG("dataplane %s: event", l->addr);
}

/* Split "a, b ,c" into trimmed, non-empty addresses. */
static int parse_addresses(const char *list, struct cp_dataplanes *dps)
{
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (dps->n == CP_MAX_DATAPLANES || len >= sizeof(dps->links[0].addr)) {
			BGL_ERR("dataplane.control: too many addresses or one too long (at '%.*s')",
				(int)len, p);
			return -EINVAL;
		}
		struct cp_dp_link *l = &dps->links[dps->n++];
		memcpy(l->addr, p, len);
		l->addr[len] = '\0';
		p += len;
	}
	return 0;
}

static int dataplanes_init(struct cp_ctx *ctx)
{
	struct cp_dataplanes *dps = calloc(1, sizeof(*dps));
	if (!dps)
		return -ENOMEM;
	ctx->dataplanes = dps;
	int rc = parse_addresses(ctx->cfg.dp_control, dps);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < dps->n; i++) {
		struct cp_dp_link *l = &dps->links[i];
		char name[160];
		snprintf(name, sizeof(name), "dataplane %s", l->addr);
		l->ctx = ctx;
		l->dep = cp_health_register(&ctx->health, name);
		if (l->dep < 0)
			return l->dep;
	}
	return 0;
}

static int dataplanes_start(struct cp_ctx *ctx)
{
	struct cp_dataplanes *dps = ctx->dataplanes;
	for (unsigned i = 0; i < dps->n; i++) {
		struct cp_dp_link *l = &dps->links[i];
		struct dpclient_config cfg = {
			.addr = l->addr,
			.node = ctx->cfg.node_name,
			.heartbeat_ms = (unsigned)ctx->cfg.dp_heartbeat_ms,
		};
		struct dpclient_callbacks cbs = { .on_event = link_event, .on_state = link_state,
						  .arg = l };
		/* Down until the client says otherwise (it reports transitions only). */
		cp_health_report(&ctx->health, l->dep, false, "connecting");
		l->client = dpclient_new(ctx->loop, &cfg, &cbs);
		if (!l->client) {
			int rc = errno ? -errno : -EINVAL;
			BGL_ERR("dataplane %s: %s", l->addr, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static void dataplanes_stop(struct cp_ctx *ctx)
{
	struct cp_dataplanes *dps = ctx->dataplanes;
	if (!dps)
		return;
	/* dpclient_free runs no callback later (it is marked freeing), so the links can go. */
	for (unsigned i = 0; i < dps->n; i++)
		dpclient_free(dps->links[i].client);
	free(dps);
	ctx->dataplanes = NULL;
}

const struct cp_module cp_module_dataplanes = {
	.name = "dataplanes",
	.init = dataplanes_init,
	.start = dataplanes_start,
	.stop = dataplanes_stop,
};
