/* One CDR row per leg: the indexed columns the table has, and KAZOO's CDR document in data. */
#include "calls-cdr.h"
#include "calls-payload.h"
#include "calls-time.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The one-row statement's "(...)" after VALUES, repeated with its $n moved on by
 * CALLS_CDR_NPARAMS per row, so the rows' shape is written once (CALLS_CDR_INSERT_SQL). */
char *calls_cdr_insert_sql(unsigned rows)
{
	static const char one[] = CALLS_CDR_INSERT_SQL;
	const char *open = strstr(one, "VALUES (");
	const char *close = open ? strstr(open, ") ON CONFLICT") : NULL;
	if (!rows || !close)
		return NULL;
	open += strlen("VALUES ");
	close++;
	size_t tuple = (size_t)(close - open);
	/* Each row: its tuple, ", ", and at most 4 more digits per parameter. */
	size_t cap = sizeof(one) + (size_t)rows * (tuple + 2 + 4 * CALLS_CDR_NPARAMS);
	char *sql = malloc(cap);
	if (!sql)
		return NULL;
	size_t n = (size_t)(open - one);
	memcpy(sql, one, n);
	for (unsigned r = 0; r < rows; r++) {
		if (r)
			n += (size_t)snprintf(sql + n, cap - n, ", ");
		for (const char *p = open; p < close;) {
			if (*p == '$') {
				char *end;
				long k = strtol(p + 1, &end, 10);
				n += (size_t)snprintf(sql + n, cap - n, "$%ld",
						      k + (long)r * CALLS_CDR_NPARAMS);
				p = end;
			} else {
				sql[n++] = *p++;
			}
		}
	}
	snprintf(sql + n, cap - n, "%s", close);
	return sql;
}

void calls_cdr_row_clear(struct calls_cdr_row *row)
{
	for (int i = 0; i < CALLS_CDR_NPARAMS; i++) {
		free(row->params[i]);
		row->params[i] = NULL;
	}
}

static int set(struct calls_cdr_row *row, enum calls_cdr_param p, const char *val)
{
	if (!val)
		return 0;
	row->params[p] = strdup(val);
	return row->params[p] ? 0 : -ENOMEM;
}

static int set_int(struct calls_cdr_row *row, enum calls_cdr_param p, long long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", v);
	return set(row, p, buf);
}

static json_t *cdr_document(const struct calls_leg *leg, const char *node, const char *id,
			    const struct calls_durations *d)
{
	char iso[32], code[16];
	json_t *o = json_object();
	if (!o)
		return NULL;
	calls_json_put_str(o, "id", id);
	calls_json_put_str(o, "call_id", leg->call_id);
	calls_json_put_str(o, "other_leg_call_id", leg->other_leg_call_id);
	calls_json_put_str(o, "call_direction", calls_direction_name(leg->direction));
	calls_json_put_parties(o, leg, CALLS_KEYS_SNAKE);
	json_object_set_new(o, "duration_seconds", json_integer(d->duration_s));
	json_object_set_new(o, "billing_seconds", json_integer(d->billing_s));
	json_object_set_new(o, "ringing_seconds", json_integer(d->ringing_s));
	calls_json_put_str(o, "hangup_cause", calls_hangup_cause(leg));
	calls_hangup_code(leg, code, sizeof(code));
	calls_json_put_str(o, "hangup_code", code);
	json_object_set_new(o, "timestamp", json_integer(calls_gregorian_s(leg->ended_us)));
	calls_iso8601(leg->ended_us, iso, sizeof(iso));
	calls_json_put_str(o, "timestamp_iso", iso);
	json_object_set_new(o, "channel_created_time", json_integer(leg->created_us));
	json_object_set_new(o, "start_timestamp", json_integer(calls_gregorian_s(leg->created_us)));
	calls_iso8601(leg->created_us, iso, sizeof(iso));
	calls_json_put_str(o, "start_timestamp_iso", iso);
	if (leg->answered_us) {
		json_object_set_new(o, "answered_timestamp",
				    json_integer(calls_gregorian_s(leg->answered_us)));
		calls_iso8601(leg->answered_us, iso, sizeof(iso));
		calls_json_put_str(o, "answered_timestamp_iso", iso);
	}
	calls_json_put_str(o, "account_id", leg->account_id);
	calls_json_put_str(o, "authorizing_id", leg->authorizing_id);
	calls_json_put_str(o, "authorizing_type", leg->authorizing_type);
	calls_json_put_str(o, "media_server", node);
	calls_json_put_str(o, "user_agent", leg->user_agent);
	json_object_set_new(o, "custom_channel_vars",
			    json_is_object(leg->custom_channel_vars)
				    ? json_deep_copy(leg->custom_channel_vars) : json_object());
	return o;
}

int calls_cdr_build(const struct calls_leg *leg, const char *node, struct calls_cdr_row *row)
{
	memset(row, 0, sizeof(*row));
	if (!leg->call_id || !leg->account_id || leg->ended_us <= 0)
		return -EINVAL;
	struct calls_durations d;
	calls_durations(leg, &d);
	time_t t = (time_t)(leg->ended_us / 1000000);
	struct tm tm;
	char month[8], id[640], created[40];
	if (!gmtime_r(&t, &tm) || strftime(month, sizeof(month), "%Y%m", &tm) == 0)
		return -EINVAL;
	int n = snprintf(id, sizeof(id), "%s-%s", month, leg->call_id);
	if (n < 0 || (size_t)n >= sizeof(id))
		return -EINVAL;
	/* Microseconds kept: legs ending in the same second still order by created. */
	snprintf(created, sizeof(created), "%lld.%06lld", (long long)(leg->ended_us / 1000000),
		 (long long)(leg->ended_us % 1000000));
	json_t *doc = cdr_document(leg, node, id, &d);
	char *data = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	int rc = data ? 0 : -ENOMEM;
	if (rc == 0)
		row->params[CALLS_CDR_DATA] = data;
	if (rc == 0)
		rc = set(row, CALLS_CDR_ACCOUNT_ID, leg->account_id);
	if (rc == 0)
		rc = set(row, CALLS_CDR_ID, id);
	if (rc == 0)
		rc = set(row, CALLS_CDR_CALL_ID, leg->call_id);
	if (rc == 0)
		rc = set(row, CALLS_CDR_CREATED, created);
	if (rc == 0)
		rc = set(row, CALLS_CDR_DIRECTION, calls_direction_name(leg->direction));
	if (rc == 0)
		rc = set(row, CALLS_CDR_CALLER_ID_NUMBER, leg->caller_id_number);
	if (rc == 0)
		rc = set(row, CALLS_CDR_CALLER_ID_NAME, leg->caller_id_name);
	if (rc == 0)
		rc = set(row, CALLS_CDR_CALLEE_ID_NUMBER, leg->callee_id_number);
	if (rc == 0)
		rc = set(row, CALLS_CDR_REQUEST, leg->request);
	if (rc == 0)
		rc = set(row, CALLS_CDR_HANGUP_CAUSE, calls_hangup_cause(leg));
	if (rc == 0)
		rc = set_int(row, CALLS_CDR_DURATION, d.duration_s);
	if (rc == 0)
		rc = set_int(row, CALLS_CDR_BILLING, d.billing_s);
	if (rc == 0)
		rc = set(row, CALLS_CDR_NODE, node);
	if (rc < 0)
		calls_cdr_row_clear(row);
	return rc;
}

int calls_cdr_list(struct cp_pg_pool *pg, const char *account_id, int64_t from_s, int64_t to_s,
		   const char *start_key, unsigned page_size, cp_pg_result_cb cb, void *arg)
{
	char f[24], t[24], l[16];
	if (!account_id || page_size == 0 || page_size > 1000 || from_s > to_s)
		return -EINVAL;
	snprintf(f, sizeof(f), "%lld", (long long)from_s);
	snprintf(t, sizeof(t), "%lld", (long long)to_s);
	snprintf(l, sizeof(l), "%u", page_size + 1);
	const char *p[] = { account_id, f, t, start_key, l };
	return cp_pg_query(pg, store_cdr_page_sql, 5, p, cb, arg);
}
