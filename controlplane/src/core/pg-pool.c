/* Non-blocking libpq connections on libuv poll handles, with a query FIFO and reconnects. */
#include "cp/pg-pool.h"

#include "bugle/log.h"
#include "cp/pg-message.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum pgc_state {
	PGC_WAITING,	/* down, back-off timer running */
	PGC_CONNECTING,
	PGC_IDLE,
	PGC_BUSY,	/* one query in flight */
	PGC_CLOSED,
};

struct pg_query {
	struct pg_query *next;
	cp_pg_result_cb cb;
	void *arg;
	int nparams;
	char *sql;
	char **params;	/* all in the same allocation as the struct */
};

struct pg_conn {
	struct cp_pg_pool *pool;
	unsigned idx;
	enum pgc_state state;
	PGconn *conn;
	uv_poll_t *poll;	/* one per socket; libpq may change socket on reconnect */
	uv_timer_t retry;
	uint64_t backoff_ms;
	struct pg_query *q;	/* in flight */
	PGresult *res;		/* first result of the query in flight */
	bool ever_connected;
};

struct cp_pg_pool {
	uv_loop_t *loop;
	char *conninfo;
	struct pg_conn *conns;
	unsigned n;
	unsigned queue_max;
	uint64_t reconnect_max_ms;
	uint64_t connect_timeout_ms;
	cp_pg_state_cb on_state;
	void *state_arg;

	struct pg_query *head, *tail;
	unsigned queued;
	bool up;
	bool closing;
	unsigned open_handles;	/* the pool is freed when this drops to 0 while closing */
	char last_error[256];
	struct cp_pg_stats stats;
};

#define BACKOFF_START_MS 100
/* libpq's connect_timeout is not enforced on the asynchronous path: the pool enforces its own. */
#define CONNECT_TIMEOUT_MS_DEFAULT 10000

static void dispatch(struct cp_pg_pool *p);
static void conn_start(struct pg_conn *c);

static void pool_free(struct cp_pg_pool *p)
{
	free(p->conns);
	free(p->conninfo);
	free(p);
}

static void handle_closed(uv_handle_t *h)
{
	struct cp_pg_pool *p = ((struct pg_conn *)h->data)->pool;
	if (h->type == UV_POLL)
		free(h);
	if (--p->open_handles == 0 && p->closing)
		pool_free(p);
}

/* The last connection-level error, reported in the health status. */
static void set_error(struct cp_pg_pool *p, const char *msg)
{
	cp_pg_message_copy(p->last_error, sizeof(p->last_error), msg);
}

static bool conn_usable(const struct pg_conn *c)
{
	return c->state == PGC_IDLE || c->state == PGC_BUSY;
}

static void finish_query(struct cp_pg_pool *p, struct pg_query *q, const PGresult *res,
			 const char *error)
{
	p->stats.queries++;
	if (error)
		p->stats.failed++;
	q->cb(q->arg, res, error);
	free(q);
}

/* Fail every queued query; the queue is detached first so callbacks may queue again. */
static void fail_queue(struct cp_pg_pool *p, const char *why)
{
	struct pg_query *q = p->head;
	p->head = p->tail = NULL;
	p->queued = 0;
	while (q) {
		struct pg_query *next = q->next;
		finish_query(p, q, NULL, why);
		q = next;
	}
}

static void update_state(struct cp_pg_pool *p)
{
	bool up = false, opening = false;
	for (unsigned i = 0; i < p->n; i++) {
		up = up || conn_usable(&p->conns[i]);
		opening = opening || p->conns[i].state == PGC_CONNECTING;
	}
	if (up != p->up) {
		p->up = up;
		if (p->on_state && !p->closing)
			p->on_state(p->state_arg, up, up ? NULL : p->last_error);
	}
	if (!up && !opening && p->head) {
		char why[320];
		snprintf(why, sizeof(why), "postgres is down: %s", p->last_error);
		fail_queue(p, why);
	}
}

static void poll_cb(uv_poll_t *h, int status, int events);

static void poll_set(struct pg_conn *c, int events)
{
	int rc = uv_poll_start(c->poll, events, poll_cb);
	if (rc < 0)
		BGL_ERR("postgres: poll on connection %u: %s", c->idx, uv_strerror(rc));
}

/* Drop the socket: stop polling before libpq closes the descriptor. */
static void conn_teardown(struct pg_conn *c)
{
	if (c->poll) {
		uv_poll_stop(c->poll);
		uv_close((uv_handle_t *)c->poll, handle_closed);
		c->poll = NULL;
	}
	if (c->res) {
		PQclear(c->res);
		c->res = NULL;
	}
	if (c->conn) {
		PQfinish(c->conn);
		c->conn = NULL;
	}
}

static void conn_fail(struct pg_conn *c, const char *msg);

/* One timer per connection: the back-off while WAITING, the deadline while CONNECTING. */
static void retry_cb(uv_timer_t *t)
{
	struct pg_conn *c = t->data;
	if (c->state == PGC_CONNECTING) {
		conn_fail(c, "timed out connecting");
		return;
	}
	c->pool->stats.reconnects++;
	conn_start(c);
}

static void conn_fail(struct pg_conn *c, const char *msg)
{
	struct cp_pg_pool *p = c->pool;
	set_error(p, msg);
	if (conn_usable(c) || c->state == PGC_CONNECTING)
		BGL_DEBUG("postgres: connection %u lost: %s", c->idx, p->last_error);
	struct pg_query *q = c->q;
	c->q = NULL;
	conn_teardown(c);
	c->state = PGC_WAITING;
	uv_timer_start(&c->retry, retry_cb, c->backoff_ms, 0);
	c->backoff_ms *= 2;
	if (c->backoff_ms > p->reconnect_max_ms)
		c->backoff_ms = p->reconnect_max_ms;
	if (q) {
		char why[320];
		snprintf(why, sizeof(why), "postgres connection lost: %s", p->last_error);
		finish_query(p, q, NULL, why);
	}
	update_state(p);
}

static void conn_start(struct pg_conn *c)
{
	struct cp_pg_pool *p = c->pool;
	c->conn = PQconnectStart(p->conninfo);
	if (!c->conn) {
		conn_fail(c, "out of memory");
		return;
	}
	if (PQstatus(c->conn) == CONNECTION_BAD) {
		conn_fail(c, PQerrorMessage(c->conn));
		return;
	}
	c->poll = malloc(sizeof(*c->poll));
	int rc = c->poll ? uv_poll_init(p->loop, c->poll, PQsocket(c->conn)) : UV_ENOMEM;
	if (rc < 0) {
		free(c->poll);
		c->poll = NULL;
		conn_fail(c, uv_strerror(rc));
		return;
	}
	p->open_handles++;
	c->poll->data = c;
	c->state = PGC_CONNECTING;
	uv_timer_start(&c->retry, retry_cb, p->connect_timeout_ms, 0);
	/* PQconnectStart leaves the connection in PGRES_POLLING_WRITING. */
	poll_set(c, UV_WRITABLE);
}

static void connect_step(struct pg_conn *c)
{
	switch (PQconnectPoll(c->conn)) {
	case PGRES_POLLING_READING:
		poll_set(c, UV_READABLE);
		return;
	case PGRES_POLLING_WRITING:
		poll_set(c, UV_WRITABLE);
		return;
	case PGRES_POLLING_OK:
		break;
	default:
		conn_fail(c, PQerrorMessage(c->conn));
		return;
	}
	if (PQsetnonblocking(c->conn, 1) != 0) {
		conn_fail(c, PQerrorMessage(c->conn));
		return;
	}
	uv_timer_stop(&c->retry);
	c->state = PGC_IDLE;
	c->backoff_ms = BACKOFF_START_MS;
	if (!c->ever_connected)
		BGL_DEBUG("postgres: connection %u open", c->idx);
	c->ever_connected = true;
	poll_set(c, UV_READABLE);
	update_state(c->pool);
	dispatch(c->pool);
}

static void query_done(struct pg_conn *c)
{
	struct pg_query *q = c->q;
	PGresult *res = c->res;
	c->q = NULL;
	c->res = NULL;
	c->state = PGC_IDLE;
	const char *err = NULL;
	char why[320];
	if (!res) {
		snprintf(why, sizeof(why), "no result from postgres");
		err = why;
	} else {
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			cp_pg_message_copy(why, sizeof(why), PQresultErrorMessage(res));
			err = why;
		}
	}
	finish_query(c->pool, q, res, err);
	PQclear(res);
	dispatch(c->pool);
}

static void io_step(struct pg_conn *c, int events)
{
	if (events & UV_WRITABLE) {
		int f = PQflush(c->conn);
		if (f < 0) {
			conn_fail(c, PQerrorMessage(c->conn));
			return;
		}
		if (f == 0)
			poll_set(c, UV_READABLE);
	}
	if (!(events & UV_READABLE))
		return;
	if (!PQconsumeInput(c->conn)) {
		conn_fail(c, PQerrorMessage(c->conn));
		return;
	}
	/* Notifications are not used yet; drain them so they do not pile up. */
	for (PGnotify *n; (n = PQnotifies(c->conn)) != NULL;)
		PQfreemem(n);
	if (c->state != PGC_BUSY) {
		if (PQstatus(c->conn) == CONNECTION_BAD)
			conn_fail(c, PQerrorMessage(c->conn));
		return;
	}
	while (!PQisBusy(c->conn)) {
		PGresult *r = PQgetResult(c->conn);
		if (!r) {
			query_done(c);
			return;
		}
		if (!c->res)
			c->res = r;
		else
			PQclear(r);
	}
	if (PQstatus(c->conn) == CONNECTION_BAD)
		conn_fail(c, PQerrorMessage(c->conn));
}

static void poll_cb(uv_poll_t *h, int status, int events)
{
	struct pg_conn *c = h->data;
	if (status < 0) {
		conn_fail(c, uv_strerror(status));
		return;
	}
	if (c->state == PGC_CONNECTING)
		connect_step(c);
	else if (conn_usable(c))
		io_step(c, events);
}

static void send_query(struct pg_conn *c, struct pg_query *q)
{
	c->q = q;
	c->state = PGC_BUSY;
	if (!PQsendQueryParams(c->conn, q->sql, q->nparams, NULL, (const char *const *)q->params,
			       NULL, NULL, 0)) {
		conn_fail(c, PQerrorMessage(c->conn));
		return;
	}
	int f = PQflush(c->conn);
	if (f < 0)
		conn_fail(c, PQerrorMessage(c->conn));
	else
		poll_set(c, f ? (UV_READABLE | UV_WRITABLE) : UV_READABLE);
}

static void dispatch(struct cp_pg_pool *p)
{
	for (unsigned i = 0; i < p->n && p->head && !p->closing; i++) {
		struct pg_conn *c = &p->conns[i];
		if (c->state != PGC_IDLE)
			continue;
		struct pg_query *q = p->head;
		p->head = q->next;
		if (!p->head)
			p->tail = NULL;
		p->queued--;
		q->next = NULL;
		send_query(c, q);
	}
}

struct cp_pg_pool *cp_pg_pool_new(uv_loop_t *loop, const struct cp_pg_pool_options *opt)
{
	if (!opt->conninfo || opt->size == 0)
		return NULL;
	struct cp_pg_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->loop = loop;
	p->n = opt->size;
	p->queue_max = opt->queue_max ? opt->queue_max : 1024;
	p->reconnect_max_ms = opt->reconnect_max_ms > BACKOFF_START_MS ? opt->reconnect_max_ms
									: BACKOFF_START_MS;
	p->connect_timeout_ms = opt->connect_timeout_ms ? opt->connect_timeout_ms
							: CONNECT_TIMEOUT_MS_DEFAULT;
	p->on_state = opt->on_state;
	p->state_arg = opt->state_arg;
	p->conninfo = strdup(opt->conninfo);
	p->conns = calloc(p->n, sizeof(*p->conns));
	if (!p->conninfo || !p->conns) {
		pool_free(p);
		return NULL;
	}
	set_error(p, "not connected yet");
	for (unsigned i = 0; i < p->n; i++) {
		struct pg_conn *c = &p->conns[i];
		c->pool = p;
		c->idx = i;
		c->state = PGC_CLOSED;
		c->backoff_ms = BACKOFF_START_MS;
		uv_timer_init(loop, &c->retry);
		c->retry.data = c;
		p->open_handles++;
	}
	return p;
}

int cp_pg_pool_start(struct cp_pg_pool *p)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->conns[i].state == PGC_CLOSED)
			conn_start(&p->conns[i]);
	return 0;
}

int cp_pg_query(struct cp_pg_pool *p, const char *sql, int nparams, const char *const *params,
		cp_pg_result_cb cb, void *arg)
{
	if (p->closing)
		return -ESHUTDOWN;
	if (nparams < 0 || !sql || !cb)
		return -EINVAL;
	bool usable = false;
	for (unsigned i = 0; i < p->n && !usable; i++)
		usable = conn_usable(&p->conns[i]) || p->conns[i].state == PGC_CONNECTING;
	if (!usable || p->queued >= p->queue_max) {
		p->stats.rejected++;
		return usable ? -EAGAIN : -ENOTCONN;
	}
	/* One allocation: the struct, the parameter pointers, then every string. */
	size_t need = sizeof(struct pg_query) + (size_t)nparams * sizeof(char *) + strlen(sql) + 1;
	for (int i = 0; i < nparams; i++)
		need += params[i] ? strlen(params[i]) + 1 : 0;
	struct pg_query *q = malloc(need);
	if (!q)
		return -ENOMEM;
	q->next = NULL;
	q->cb = cb;
	q->arg = arg;
	q->nparams = nparams;
	q->params = (char **)(q + 1);
	char *s = (char *)(q->params + nparams);
	q->sql = s;
	s = stpcpy(s, sql) + 1;
	for (int i = 0; i < nparams; i++) {
		if (!params[i]) {
			q->params[i] = NULL; /* SQL NULL */
			continue;
		}
		q->params[i] = s;
		s = stpcpy(s, params[i]) + 1;
	}
	if (p->tail)
		p->tail->next = q;
	else
		p->head = q;
	p->tail = q;
	p->queued++;
	dispatch(p);
	return 0;
}

bool cp_pg_pool_up(const struct cp_pg_pool *p)
{
	return p->up;
}

void cp_pg_pool_stats(const struct cp_pg_pool *p, struct cp_pg_stats *out)
{
	*out = p->stats;
}

void cp_pg_pool_usage(const struct cp_pg_pool *p, struct cp_pg_usage *out)
{
	*out = (struct cp_pg_usage){ .size = p->n, .queued = p->queued };
	for (unsigned i = 0; i < p->n; i++) {
		out->connected += conn_usable(&p->conns[i]);
		out->busy += p->conns[i].state == PGC_BUSY;
	}
}

void cp_pg_pool_close(struct cp_pg_pool *p)
{
	if (p->closing)
		return;
	p->closing = true;
	for (unsigned i = 0; i < p->n; i++) {
		struct pg_conn *c = &p->conns[i];
		struct pg_query *q = c->q;
		c->q = NULL;
		conn_teardown(c);
		c->state = PGC_CLOSED;
		uv_timer_stop(&c->retry);
		uv_close((uv_handle_t *)&c->retry, handle_closed);
		if (q)
			finish_query(p, q, NULL, "postgres pool is shutting down");
	}
	fail_queue(p, "postgres pool is shutting down");
}
