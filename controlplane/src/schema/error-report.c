/* Validation errors keyed by dotted path and rule, as Crossbar reports them. */
#include "error-report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jschema_report_init(struct jschema_report *r, size_t max_errors)
{
	*r = (struct jschema_report){ .max = max_errors };
}

void jschema_report_release(struct jschema_report *r)
{
	json_decref(r->errors);
	free(r->path);
	*r = (struct jschema_report){ 0 };
}

static int path_grow(struct jschema_report *r)
{
	if (r->depth < r->cap)
		return 0;
	size_t cap = r->cap ? r->cap * 2 : 16;
	struct jschema_path_seg *p = realloc(r->path, cap * sizeof(*p));

	if (!p) {
		r->oom = true;
		return -ENOMEM;
	}
	r->path = p;
	r->cap = cap;
	return 0;
}

int jschema_path_push_key(struct jschema_report *r, const char *key)
{
	int rc = path_grow(r);

	if (!rc)
		r->path[r->depth++] = (struct jschema_path_seg){ .key = key };
	return rc;
}

int jschema_path_push_index(struct jschema_report *r, size_t index)
{
	int rc = path_grow(r);

	if (!rc)
		r->path[r->depth++] = (struct jschema_path_seg){ .index = index };
	return rc;
}

void jschema_path_pop(struct jschema_report *r)
{
	if (r->depth)
		r->depth--;
}

struct key_buf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void key_put(struct key_buf *k, const char *s, size_t n)
{
	if (k->oom)
		return;
	if (k->len + n + 1 > k->cap) {
		size_t cap = k->cap * 2 + n + 32;
		char *p = realloc(k->s, cap);

		if (!p) {
			k->oom = true;
			return;
		}
		k->s = p;
		k->cap = cap;
	}
	memcpy(k->s + k->len, s, n);
	k->len += n;
	k->s[k->len] = 0;
}

/* KAZOO joins path elements with "." and writes a "." inside an element as %2E. */
static void key_put_segment(struct key_buf *k, const char *seg)
{
	if (k->len)
		key_put(k, ".", 1);
	for (const char *dot; (dot = strchr(seg, '.')); seg = dot + 1) {
		key_put(k, seg, (size_t)(dot - seg));
		key_put(k, "%2E", 3);
	}
	key_put(k, seg, strlen(seg));
}

void jschema_report_add(struct jschema_report *r, const char *extra_key, const char *rule,
			json_t *fields)
{
	struct key_buf k = { 0 };
	json_t *at;

	r->count++;
	if (!fields)
		fields = json_object();
	if (!fields || (r->errors && json_object_size(r->errors) >= r->max))
		goto out;
	for (size_t i = 0; i < r->depth; i++) {
		char idx[24];

		if (r->path[i].key) {
			key_put_segment(&k, r->path[i].key);
		} else {
			snprintf(idx, sizeof(idx), "%zu", r->path[i].index);
			key_put_segment(&k, idx);
		}
	}
	if (extra_key)
		key_put_segment(&k, extra_key);
	key_put(&k, "", 0);
	if (k.oom)
		goto oom;
	if (!r->errors && !(r->errors = json_object()))
		goto oom;
	at = json_object_get(r->errors, k.s);
	if (!at) {
		at = json_object();
		if (!at || json_object_set_new(r->errors, k.s, at)) /* consumes at */
			goto oom;
	}
	/* json_object_set_new() consumes fields even when it fails. */
	if (json_object_set_new(at, rule, fields))
		r->oom = true;
	fields = NULL;
	goto out;
oom:
	r->oom = true;
out:
	json_decref(fields);
	free(k.s);
}
