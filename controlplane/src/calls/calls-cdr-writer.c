/* The CDR queue: one INSERT in flight at a time keeps the order simple; it takes every row
 * waiting (up to BATCH_MAX) so that calls ending together (a few hundred legs a second at the
 * goal call rate) cost a few statements, not one pool round trip each. A batch PostgreSQL
 * refuses is sent again row by row, so one bad row is told apart from the others. */
#include "calls-cdr-writer.h"
#include "bugle/log.h"
#include "calls-payload.h"
#include "cp/bus.h"
#include "cp/pg-pool.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define RETRY_FIRST_MS 250
#define RETRY_MAX_MS 10000
#define REFUSED_ATTEMPTS 3
#define BATCH_MAX 64

struct pending {
	struct calls_cdr_row row;
	unsigned refused;
	struct pending *next;
};

struct calls_cdr_writer {
	struct cp_pg_pool *pg;
	struct cp_bus *bus;
	unsigned queue_max;
	struct pending *head, **tail;
	unsigned count;
	unsigned in_flight;		/* rows of the INSERT in flight: the queue's first ones */
	unsigned single;		/* rows still to send one at a time (a refused batch's) */
	bool closing;
	unsigned open;			/* timer + query in flight */
	uint64_t delay_ms;
	uv_timer_t retry;
	struct calls_cdr_writer_stats stats;
};

static void pump(struct calls_cdr_writer *w);

static void release(struct calls_cdr_writer *w)
{
	if (--w->open == 0 && w->closing)
		free(w);
}

static void timer_closed(uv_handle_t *h)
{
	release(h->data);
}

static void on_retry(uv_timer_t *t)
{
	pump(t->data);
}

static void back_off(struct calls_cdr_writer *w)
{
	w->delay_ms = w->delay_ms ? w->delay_ms * 2 : RETRY_FIRST_MS;
	if (w->delay_ms > RETRY_MAX_MS)
		w->delay_ms = RETRY_MAX_MS;
	w->stats.retried++;
	uv_timer_start(&w->retry, on_retry, w->delay_ms, 0);
}

static void pop_free(struct calls_cdr_writer *w)
{
	struct pending *p = w->head;
	w->head = p->next;
	if (!w->head)
		w->tail = &w->head;
	w->count--;
	calls_cdr_row_clear(&p->row);
	free(p);
}

static void announce(struct calls_cdr_writer *w, const struct calls_cdr_row *row)
{
	char word[512], key[600];
	const char *acct = row->params[CALLS_CDR_ACCOUNT_ID];
	if (!w->bus || calls_routing_word(row->params[CALLS_CDR_CALL_ID], word, sizeof(word)) < 0)
		return;
	snprintf(key, sizeof(key), "cdr.%s.%s", acct, word);
	json_t *doc = json_loads(row->params[CALLS_CDR_DATA], 0, NULL);
	if (!doc)
		return;
	json_object_set_new(doc, "Event-Category", json_string("cdr"));
	json_object_set_new(doc, "Event-Name", json_string("cdr"));
	char *text = json_dumps(doc, JSON_COMPACT);
	if (text)
		cp_bus_publish(w->bus, "callevt", key, text);
	free(text);
	json_decref(doc);
}

static void on_inserted(void *arg, const PGresult *res, const char *error)
{
	struct calls_cdr_writer *w = arg;
	unsigned rows = w->in_flight;
	w->in_flight = 0;
	if (w->closing) {
		release(w);
		return;
	}
	release(w);
	struct pending *p = w->head;
	if (!error) {
		w->delay_ms = 0;
		for (unsigned i = 0; i < rows && w->head; i++) {
			w->stats.stored++;
			announce(w, &w->head->row);
			pop_free(w);
			if (w->single)
				w->single--;
		}
		pump(w);
		return;
	}
	if (res && rows > 1) {
		w->single = rows;	/* which row? each on its own */
		pump(w);
		return;
	}
	/* res present: PostgreSQL answered and refused this row; absent: the connection went. */
	if (res && ++p->refused >= REFUSED_ATTEMPTS) {
		BGL_ERR("calls: CDR %s dropped: %s", p->row.params[CALLS_CDR_ID], error);
		w->stats.dropped_refused++;
		pop_free(w);
		if (w->single)
			w->single--;
		pump(w);
		return;
	}
	back_off(w);
}

static void pump(struct calls_cdr_writer *w)
{
	if (w->closing || w->in_flight || !w->head || uv_is_active((uv_handle_t *)&w->retry))
		return;
	unsigned rows = w->single ? 1 : w->count < BATCH_MAX ? w->count : BATCH_MAX;
	char *sql = rows > 1 ? calls_cdr_insert_sql(rows) : NULL;
	if (!sql)
		rows = 1;
	const char *params[BATCH_MAX * CALLS_CDR_NPARAMS];
	const struct pending *p = w->head;
	for (unsigned r = 0; r < rows; r++, p = p->next)
		memcpy(&params[r * CALLS_CDR_NPARAMS], p->row.params, sizeof(p->row.params));
	int rc = cp_pg_query(w->pg, sql ? sql : CALLS_CDR_INSERT_SQL,
			     (int)(rows * CALLS_CDR_NPARAMS), params, on_inserted, w);
	free(sql);
	if (rc < 0) {
		back_off(w);
		return;
	}
	w->in_flight = rows;
	w->open++;
}

struct calls_cdr_writer *calls_cdr_writer_new(uv_loop_t *loop, struct cp_pg_pool *pg,
					      struct cp_bus *bus, unsigned queue_max)
{
	if (!pg || queue_max == 0)
		return NULL;
	struct calls_cdr_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->pg = pg;
	w->bus = bus;
	w->queue_max = queue_max;
	w->tail = &w->head;
	uv_timer_init(loop, &w->retry);
	w->retry.data = w;
	w->open = 1;
	return w;
}

int calls_cdr_writer_put(struct calls_cdr_writer *w, struct calls_cdr_row *row)
{
	if (w->closing)
		return -ESHUTDOWN;
	struct pending *p = calloc(1, sizeof(*p));
	if (!p) {
		w->stats.dropped_queue_full++;
		calls_cdr_row_clear(row);
		return -ENOMEM;
	}
	p->row = *row;
	memset(row, 0, sizeof(*row));
	/* Full: drop the oldest that is not in flight (the newest records are kept). */
	if (w->count >= w->queue_max) {
		struct pending **pp = &w->head;
		for (unsigned i = 0; i < w->in_flight && *pp; i++)
			pp = &(*pp)->next;
		if (*pp) {
			struct pending *old = *pp;
			*pp = old->next;
			if (w->tail == &old->next)
				w->tail = pp;
			w->count--;
			calls_cdr_row_clear(&old->row);
			free(old);
		}
		w->stats.dropped_queue_full++;
	}
	*w->tail = p;
	w->tail = &p->next;
	w->count++;
	pump(w);
	return 0;
}

void calls_cdr_writer_stats(const struct calls_cdr_writer *w, struct calls_cdr_writer_stats *o)
{
	*o = w->stats;
	o->queued = w->count;
}

void calls_cdr_writer_close(struct calls_cdr_writer *w)
{
	if (!w || w->closing)
		return;
	w->closing = true;
	if (w->count)
		BGL_WARN("calls: %u CDRs not stored at shutdown", w->count);
	while (w->head)
		pop_free(w);
	uv_timer_stop(&w->retry);
	uv_close((uv_handle_t *)&w->retry, timer_closed);
}
