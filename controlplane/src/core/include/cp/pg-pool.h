/* A small pool of non-blocking PostgreSQL connections driven by the libuv loop: queries wait in
 * one FIFO queue and each completes through its callback. Parameters are always bound
 * (PQsendQueryParams); SQL is never built from input. A connection that dies is re-opened with
 * a doubling back-off; while no connection is usable, queued queries fail with a clear error.
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: everything runs on the loop thread.
 */
#ifndef CP_PG_POOL_H
#define CP_PG_POOL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

struct cp_pg_pool;

/* res: the query's result (NULL when the query never reached the server); error: NULL on
 * success, else why it failed. The pool clears res after the callback returns. */
typedef void (*cp_pg_result_cb)(void *arg, const PGresult *res, const char *error);

/* Called on the loop thread when the pool goes from usable to unusable or back. */
typedef void (*cp_pg_state_cb)(void *arg, bool up, const char *error);

struct cp_pg_pool_options {
	const char *conninfo;
	unsigned size;			/* connections */
	unsigned queue_max;		/* queries waiting for a connection */
	uint64_t reconnect_max_ms;	/* back-off ceiling */
	uint64_t connect_timeout_ms;	/* 0: 10 s */
	cp_pg_state_cb on_state;
	void *state_arg;
};

struct cp_pg_stats {
	uint64_t queries;		/* completed, successfully or not */
	uint64_t failed;		/* completed with an error */
	uint64_t rejected;		/* refused at submit: pool down or queue full */
	uint64_t reconnects;		/* connection attempts after the first */
};

struct cp_pg_pool *cp_pg_pool_new(uv_loop_t *loop, const struct cp_pg_pool_options *opt);

/* Open the connections (asynchronously). */
int cp_pg_pool_start(struct cp_pg_pool *p);

/* Queue a query. -ENOTCONN when no connection is usable or being opened, -EAGAIN when the queue
 * is full, -ESHUTDOWN when closing; the callback is then never called. */
int cp_pg_query(struct cp_pg_pool *p, const char *sql, int nparams, const char *const *params,
		cp_pg_result_cb cb, void *arg);

bool cp_pg_pool_up(const struct cp_pg_pool *p);
void cp_pg_pool_stats(const struct cp_pg_pool *p, struct cp_pg_stats *out);

/* The pool right now (gauges, for metrics). */
struct cp_pg_usage {
	unsigned size;			/* connections configured */
	unsigned connected;		/* usable: idle or busy */
	unsigned busy;			/* a query in flight */
	unsigned queued;		/* queries waiting for a connection */
};
void cp_pg_pool_usage(const struct cp_pg_pool *p, struct cp_pg_usage *out);

/* Fail what is queued, close every connection and handle; the pool frees itself once libuv has
 * closed its handles (run the loop to let that happen). */
void cp_pg_pool_close(struct cp_pg_pool *p);

#endif
