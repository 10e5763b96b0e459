/* The dp_account_push module: every data plane in dataplane.control gets the accounts' CPS
 * limits and realms (dp-account-push.h) when its control channel comes up, and again whenever
 * an account or a limits document is created, edited or deleted (on any control plane: the
 * configuration exchange carries the change). Edits arriving together make one push.
 *
 * The core's control-channel clients are private to mod-dataplanes.c, so this module keeps a
 * client of its own per data plane (as the call module does).
 */
#include "bugle/log.h"
#include "cp/bus.h"
#include "cp/context-t.h"
#include "cp/module-t.h"
#include "cp/pg-pool.h"
#include "dp-account-push.h"
#include "dp-account-rows.h"
#include "dpclient.h"
#include "store-events.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PUSH_MAX_LINKS 16
#define PUSH_GATHER_MS 100	/* edits arriving within this make one push */
#define PUSH_RETRY_MS 2000	/* after a failed query or push */

struct push_module;

struct push_link {
	struct push_module *m;
	struct dpclient *client;
	char addr[128];
	bool up;
	bool dirty;	/* needs the current set */
	bool pushing;	/* a push is waiting for its replies */
};

/* A query's callback may run after the module stopped (the pool fails what is queued when it
 * closes, after this module's stop): it finds m NULL then. */
struct push_query {
	struct push_module *m;
};

/* Owner: the loop thread. */
struct push_module {
	struct cp_ctx *ctx;
	uv_timer_t timer;
	struct push_query *query;	/* the query in flight, or NULL */
	bool again;			/* something changed while the query ran */
	bool stopping;
	unsigned n;
	struct push_link links[PUSH_MAX_LINKS];
	size_t set_n;
	struct dp_account_limit set[DP_ACCOUNT_PUSH_MAX];
};

/* The context has no slot for this module; until it does, its state lives here, read by this
 * file's hooks only. */
static struct push_module *module;

static void refresh(uv_timer_t *t);

static void schedule(struct push_module *m, uint64_t ms)
{
	if (m->stopping)
		return;
	/* An earlier deadline wins over a later one already set. */
	uint64_t due = uv_timer_get_due_in(&m->timer);
	if (uv_is_active((uv_handle_t *)&m->timer) && due <= ms)
		return;
	uv_timer_start(&m->timer, refresh, ms, 0);
}

static void on_pushed(void *arg, int status, const char *error)
{
	struct push_link *l = arg;
	struct push_module *m = l->m;
	l->pushing = false;
	if (m->stopping)
		return;
	if (status) {
		BGL_WARN("dp-account-push: %s: %s", l->addr, error);
		l->dirty = true;
		schedule(m, PUSH_RETRY_MS);
		return;
	}
	BGL_INFO("dp-account-push: %s holds %zu account CPS limits", l->addr, m->set_n);
	if (l->dirty)
		schedule(m, PUSH_GATHER_MS);
}

static void push_to_links(struct push_module *m)
{
	for (unsigned i = 0; i < m->n; i++) {
		struct push_link *l = &m->links[i];
		if (!l->up || !l->dirty || l->pushing)
			continue;
		int rc = dp_account_push_send(l->client, m->set, m->set_n, on_pushed, l);
		if (rc < 0) {
			BGL_WARN("dp-account-push: %s: not sent: %s", l->addr, strerror(-rc));
			schedule(m, PUSH_RETRY_MS);
			continue;
		}
		l->dirty = false;
		l->pushing = true;
	}
}

static void on_rows(void *arg, const PGresult *res, const char *error)
{
	struct push_query *q = arg;
	struct push_module *m = q->m;
	free(q);
	if (!m)
		return;
	m->query = NULL;
	if (error) {
		BGL_WARN("dp-account-push: reading the limits: %s", error);
		schedule(m, PUSH_RETRY_MS);
		return;
	}
	struct dp_account_rows_skipped sk = { 0 };
	m->set_n = dp_account_rows_parse(res, m->set, DP_ACCOUNT_PUSH_MAX, &sk);
	if (sk.realm_too_long || sk.bad_row || sk.over_max)
		BGL_WARN("dp-account-push: left out: %lu realms over %d bytes, %lu bad rows, %lu "
			 "accounts beyond %d",
			 sk.realm_too_long, DP_REALM_MAX, sk.bad_row, sk.over_max,
			 DP_ACCOUNT_PUSH_MAX);
	if (m->again) {
		/* The rows may predate the change: read again before pushing. */
		m->again = false;
		schedule(m, 0);
		return;
	}
	push_to_links(m);
}

static bool any_link_waiting(const struct push_module *m)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->links[i].up && m->links[i].dirty && !m->links[i].pushing)
			return true;
	return false;
}

static void refresh(uv_timer_t *t)
{
	struct push_module *m = t->data;
	if (m->query) {
		m->again = true;
		return;
	}
	if (!any_link_waiting(m))
		return;
	struct push_query *q = calloc(1, sizeof(*q));
	int rc = q ? cp_pg_query(m->ctx->pg, dp_account_rows_sql, 0, NULL, on_rows, q) : -ENOMEM;
	if (rc < 0) {
		free(q);
		BGL_DEBUG("dp-account-push: query not queued: %s", strerror(-rc));
		schedule(m, PUSH_RETRY_MS);
		return;
	}
	q->m = m;
	m->query = q;
}

static void link_state(void *arg, bool up)
{
	struct push_link *l = arg;
	l->up = up;
	/* A data plane that comes up (a restart, a new connection) may hold anything. */
	l->dirty = up;
	if (up)
		schedule(l->m, PUSH_GATHER_MS);
}

static void on_doc_event(void *arg, const char *exchange, const char *routing_key,
			 const char *body, size_t len)
{
	/* The bus keeps subscriptions until it closes, after this module stopped: the module is
	 * looked up, not taken from arg. */
	struct push_module *m = module;
	struct store_event ev;
	(void)arg;
	(void)exchange;
	(void)body;
	(void)len;
	if (!m || store_event_parse(routing_key, &ev) < 0)
		return;
	if (strcmp(ev.type, "account") != 0 && strcmp(ev.type, "limits") != 0)
		return;
	for (unsigned i = 0; i < m->n; i++)
		m->links[i].dirty = m->links[i].up;
	schedule(m, PUSH_GATHER_MS);
}

/* Split "a, b ,c" into trimmed, non-empty addresses. */
static int parse_addresses(struct push_module *m, const char *list)
{
	const char *p = list;
	while (*p) {
		p += strspn(p, " \t,");
		size_t len = strcspn(p, ",");
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (!len)
			break;
		if (m->n == PUSH_MAX_LINKS || len >= sizeof(m->links[0].addr))
			return -EINVAL;
		struct push_link *l = &m->links[m->n++];
		memcpy(l->addr, p, len);
		l->addr[len] = '\0';
		l->m = m;
		p += len;
	}
	return 0;
}

static int push_init(struct cp_ctx *ctx)
{
	struct push_module *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	module = m;
	m->ctx = ctx;
	uv_timer_init(ctx->loop, &m->timer);
	m->timer.data = m;
	if (parse_addresses(m, ctx->cfg.dp_control) < 0) {
		BGL_ERR("dp-account-push: dataplane.control: too many addresses or one too long");
		return -EINVAL;
	}
	return 0;
}

static int push_start(struct cp_ctx *ctx)
{
	struct push_module *m = module;
	if (!ctx->pg || m->n == 0)
		return 0;
	if (ctx->bus) {
		static const char *const keys[] = {
			"doc_created.*.account.*", "doc_edited.*.account.*", "doc_deleted.*.account.*",
			"doc_created.*.limits.*",  "doc_edited.*.limits.*",  "doc_deleted.*.limits.*",
		};
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			int rc = cp_bus_subscribe(ctx->bus, "configuration", keys[i], on_doc_event,
						  NULL);
			if (rc < 0) {
				BGL_ERR("dp-account-push: cannot subscribe to %s", keys[i]);
				return rc;
			}
		}
	}
	for (unsigned i = 0; i < m->n; i++) {
		struct push_link *l = &m->links[i];
		struct dpclient_config cfg = { .addr = l->addr, .node = ctx->cfg.node_name };
		struct dpclient_callbacks cbs = { .on_state = link_state, .arg = l };
		l->client = dpclient_new(ctx->loop, &cfg, &cbs);
		if (!l->client) {
			int rc = errno ? -errno : -EINVAL;
			BGL_ERR("dp-account-push: %s: %s", l->addr, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static void free_module(uv_handle_t *h)
{
	free(h->data);
}

static void push_stop(struct cp_ctx *ctx)
{
	struct push_module *m = module;
	(void)ctx;
	if (!m)
		return;
	m->stopping = true;
	if (m->query)
		m->query->m = NULL;
	/* Pending pushes end here (CANCELLED), before the links go. */
	for (unsigned i = 0; i < m->n; i++)
		dpclient_free(m->links[i].client);
	uv_timer_stop(&m->timer);
	uv_close((uv_handle_t *)&m->timer, free_module);
	module = NULL;
}

const struct cp_module cp_module_dp_account_push = {
	.name = "dp_account_push",
	.init = push_init,
	.start = push_start,
	.stop = push_stop,
};
