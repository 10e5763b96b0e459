/* Group commit for creates (see store-batch.h). A group is one INSERT ... SELECT over a jsonb
 * array of [account_id, type, id, data] entries: every value still a bound parameter, and one
 * statement is one transaction, so the group commits (or fails) as a whole. A failed group is
 * re-sent one create at a time, so one bad create only fails itself. */
#include "store-batch.h"
#include "store-exec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	struct entry *next;
	char account_id[64], type[64], id[64];
	json_t *data;
	store_cb cb;
	void *arg;
};

struct store_batcher {
	struct cp_pg_pool *pg;
	unsigned max_inflight, max_group;
	unsigned inflight;
	struct entry *head, *tail;	/* waiting */
	unsigned waiting;
	struct store_batch_stats stats;
};

struct group {
	struct store_batcher *b;
	struct entry *entries;
	unsigned n;
};

/* The rows come back without their data: it is the body each create handed in, so neither
 * PostgreSQL nor this side spends time turning it into text and back (the profile of PUT showed
 * both). */
#define GROUP_SQL                                                                                  \
	"INSERT INTO documents (account_id, type, id, data) "                                      \
	"SELECT e->>0, e->>1, e->>2, e->3 FROM jsonb_array_elements($1::jsonb) e "                 \
	"RETURNING id, type, rev, extract(epoch from created)::bigint AS created, "                \
	"extract(epoch from modified)::bigint AS modified"

static void send_waiting(struct store_batcher *b);

static void finish(struct entry *e, const struct store_result *r)
{
	e->cb(e->arg, r);
	json_decref(e->data);
	free(e);
}

static void fail_all(struct entry *e, enum store_status status, const char *why)
{
	while (e) {
		struct entry *next = e->next;
		json_t *rows = json_array();
		struct store_result r = { .status = status, .error = why, .rows = rows };
		finish(e, &r);
		json_decref(rows);
		e = next;
	}
}

static void alone_done(void *arg, const struct store_result *res)
{
	struct entry *e = arg;
	e->cb(e->arg, res);
	json_decref(e->data);
	free(e);
}

/* After a group failed: each create on its own, to learn which one was at fault. */
static void retry_alone(struct store_batcher *b, struct entry *e)
{
	while (e) {
		struct entry *next = e->next;
		e->next = NULL;
		b->stats.retried_alone++;
		int rc = store_doc_create(b->pg, e->account_id, e->type, e->id, e->data, alone_done, e);
		if (rc < 0)
			fail_all(e, STORE_UNAVAILABLE, "the database refused the request");
		e = next;
	}
}

static void group_done(void *arg, const PGresult *res, const char *error)
{
	struct group *g = arg;
	struct store_batcher *b = g->b;
	b->inflight--;
	if (error) {
		enum store_status st = store_status_of_error(res);
		/* Only the caller's fault can be told apart by retrying; an outage fails them all. */
		if (g->n > 1 && st != STORE_UNAVAILABLE)
			retry_alone(b, g->entries);
		else
			fail_all(g->entries, st, error);
	} else {
		json_t *rows = store_rows_decode(res);
		for (struct entry *e = g->entries, *next; e; e = next) {
			next = e->next;
			json_t *row = NULL, *one = json_array(), *r;
			size_t i;
			json_array_foreach(rows, i, r)
				if (json_is_string(json_object_get(r, "id")) &&
				    strcmp(json_string_value(json_object_get(r, "id")), e->id) == 0)
					row = r;
			struct store_result out = { .status = STORE_OK, .rows = one };
			if (!rows || !one || !row || json_object_set(row, "data", e->data) < 0)
				out = (struct store_result){ .status = STORE_ERROR,
							     .error = "the row did not come back",
							     .rows = one };
			else
				json_array_append(one, row);
			finish(e, &out);
			json_decref(one);
		}
		json_decref(rows);
	}
	free(g);
	send_waiting(b);
}

static int send_group(struct store_batcher *b, struct entry *entries, unsigned n)
{
	json_t *arr = json_array();
	struct group *g = malloc(sizeof(*g));
	for (struct entry *e = entries; arr && e; e = e->next)
		json_array_append_new(arr, json_pack("[s,s,s,O]", e->account_id, e->type, e->id,
						     e->data));
	char *text = arr && json_array_size(arr) == n ? store_json_text(arr) : NULL;
	json_decref(arr);
	if (!g || !text) {
		free(g);
		free(text);
		return -ENOMEM;
	}
	*g = (struct group){ .b = b, .entries = entries, .n = n };
	const char *p[] = { text };
	int rc = cp_pg_query(b->pg, GROUP_SQL, 1, p, group_done, g);
	free(text);
	if (rc < 0) {
		free(g);
		return rc;
	}
	b->inflight++;
	b->stats.statements++;
	b->stats.rows += n;
	if (n > b->stats.largest)
		b->stats.largest = n;
	return 0;
}

/* Groups what waits, max_group at a time, while there is room in flight. */
static void send_waiting(struct store_batcher *b)
{
	while (b->head && b->inflight < b->max_inflight) {
		struct entry *first = b->head, *last = first;
		unsigned n = 1;
		while (n < b->max_group && last->next) {
			last = last->next;
			n++;
		}
		b->head = last->next;
		if (!b->head)
			b->tail = NULL;
		b->waiting -= n;
		last->next = NULL;
		int rc = send_group(b, first, n);
		if (rc < 0)
			fail_all(first, STORE_UNAVAILABLE, "the database refused the request");
	}
}

struct store_batcher *store_batcher_new(struct cp_pg_pool *pg, unsigned max_inflight,
					unsigned max_group)
{
	struct store_batcher *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->pg = pg;
	b->max_inflight = max_inflight ? max_inflight : 1;
	b->max_group = max_group ? max_group : 1;
	return b;
}

void store_batcher_free(struct store_batcher *b)
{
	if (!b)
		return;
	fail_all(b->head, STORE_UNAVAILABLE, "shutting down");
	free(b);
}

static bool copy(char *dst, size_t len, const char *src)
{
	size_t n = src ? strlen(src) : len;
	if (n >= len)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

int store_batch_doc_create(struct store_batcher *b, const char *account_id, const char *type,
			   const char *id, json_t *data, store_cb cb, void *arg)
{
	if (!b || !cb || !type || !json_is_object(data))
		return -EINVAL;
	/* Callflows take a per-account lock to keep numbers unique: they go alone. */
	if (strcmp(type, "callflow") == 0)
		return store_doc_create(b->pg, account_id, type, id, data, cb, arg);
	struct entry *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	if (!copy(e->account_id, sizeof(e->account_id), account_id) ||
	    !copy(e->type, sizeof(e->type), type) || !copy(e->id, sizeof(e->id), id)) {
		free(e);
		return -EINVAL;
	}
	e->data = json_incref(data);
	e->cb = cb;
	e->arg = arg;
	/* Nothing waits while there is room in flight (completions drain the queue), so this
	 * one goes now, alone, and a refusal is the caller's to hear synchronously. */
	if (b->inflight < b->max_inflight) {
		int rc = send_group(b, e, 1);
		if (rc < 0) {
			json_decref(e->data);
			free(e);
		}
		return rc;
	}
	if (b->tail)
		b->tail->next = e;
	else
		b->head = e;
	b->tail = e;
	b->waiting++;
	return 0;
}

void store_batcher_stats(const struct store_batcher *b, struct store_batch_stats *out)
{
	*out = b->stats;
}
