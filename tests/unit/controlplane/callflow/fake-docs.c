/* In-memory documents behaving as cf-docs-t.h says the store must. */
#include "fake-docs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct fake_pending {
	cf_doc_cb cb;
	void *arg;
	int err;
	json_t *result;
};


void fake_docs_init(struct fake_docs *d)
{
	memset(d, 0, sizeof(*d));
	d->accounts = json_object();
}

void fake_docs_release(struct fake_docs *d)
{
	json_decref(d->accounts);
	free(d->q);
}

void fake_docs_put(struct fake_docs *d, const char *account, const char *id, const char *type,
		   const char *text)
{
	json_error_t e;
	json_t *doc = json_loads(text, 0, &e);

	if (!doc)
		abort();
	fake_docs_put_json(d, account, id, type, doc);
}

void fake_docs_put_json(struct fake_docs *d, const char *account, const char *id,
			const char *type, json_t *doc)
{
	json_t *acc = json_object_get(d->accounts, account);

	if (!acc) {
		acc = json_object();
		json_object_set_new(d->accounts, account, acc);
	}
	json_object_set_new(doc, "id", json_string(id));
	json_object_set_new(doc, "pvt_type", json_string(type));
	json_object_set_new(acc, id, doc);
}

json_t *fake_docs_get(struct fake_docs *d, const char *account, const char *id)
{
	return json_object_get(json_object_get(d->accounts, account), id);
}

static void complete(struct fake_docs *d, cf_doc_cb cb, void *arg, int err, json_t *result)
{
	if (!d->async) {
		cb(arg, err, result);
		return;
	}
	if (d->qn == d->qcap) {
		d->qcap = d->qcap ? d->qcap * 2 : 16;
		d->q = realloc(d->q, d->qcap * sizeof(*d->q));
		if (!d->q)
			abort();
	}
	d->q[d->qn++] = (struct fake_pending){cb, arg, err, result};
}

int fake_docs_drain(struct fake_docs *d)
{
	int ran = 0;

	while (d->qn > 0) {
		struct fake_pending p = d->q[0];

		memmove(d->q, d->q + 1, (d->qn - 1) * sizeof(*d->q));
		d->qn--;
		p.cb(p.arg, p.err, p.result);
		ran++;
	}
	return ran;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "id")),
		      json_string_value(json_object_get(*(json_t *const *)b, "id")));
}

/* Copies of the account's documents passing keep(), in id order. */
static json_t *select_docs(struct fake_docs *d, const char *account,
			   bool (*keep)(const json_t *doc, const void *arg), const void *arg)
{
	json_t *acc = json_object_get(d->accounts, account);
	json_t *out = json_array();
	json_t **v = calloc(json_object_size(acc) + 1, sizeof(*v));
	const char *key;
	json_t *doc;
	size_t n = 0;

	json_object_foreach(acc, key, doc)
		if (keep(doc, arg))
			v[n++] = doc;
	qsort(v, n, sizeof(*v), by_id);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, json_deep_copy(v[i]));
	free(v);
	return out;
}

static void load(void *docs, const char *account, const char *id, cf_doc_cb cb, void *arg)
{
	struct fake_docs *d = docs;
	json_t *doc = fake_docs_get(d, account, id);

	d->loads++;
	complete(d, cb, arg, doc ? 0 : -ENOENT, doc ? json_deep_copy(doc) : NULL);
}

static bool has_type(const json_t *doc, const void *type)
{
	return strcmp(json_string_value(json_object_get(doc, "pvt_type")), type) == 0;
}

struct numbers {
	const char *const *v;
	size_t n;
};

static bool callflow_candidate(const json_t *doc, const void *arg)
{
	const struct numbers *nums = arg;
	size_t i;
	const json_t *s;

	if (!has_type(doc, "callflow"))
		return false;
	if (json_array_size(json_object_get(doc, "patterns")) > 0)
		return true;
	json_array_foreach(json_object_get(doc, "numbers"), i, s) {
		if (strcmp(json_string_value(s), "no_match") == 0)
			return true;
		for (size_t j = 0; j < nums->n; j++)
			if (strcmp(json_string_value(s), nums->v[j]) == 0)
				return true;
	}
	return false;
}

static void find_callflows(void *docs, const char *account, const char *const *numbers,
			   size_t n, cf_doc_cb cb, void *arg)
{
	struct numbers nums = {numbers, n};

	complete(docs, cb, arg, 0, select_docs(docs, account, callflow_candidate, &nums));
}

static void list(void *docs, const char *account, const char *type, cf_doc_cb cb, void *arg)
{
	struct fake_docs *d = docs;

	if (d->fail_lists) {
		complete(d, cb, arg, d->fail_lists, NULL);
		return;
	}
	complete(d, cb, arg, 0, select_docs(d, account, has_type, type));
}

struct owner {
	const char *type, *owner;
};

static bool owned(const json_t *doc, const void *arg)
{
	const struct owner *o = arg;
	const char *oid = json_string_value(json_object_get(doc, "owner_id"));

	return has_type(doc, o->type) && oid && strcmp(oid, o->owner) == 0;
}

static void owned_by(void *docs, const char *account, const char *type, const char *owner_id,
		     cf_doc_cb cb, void *arg)
{
	struct owner o = {type, owner_id};

	complete(docs, cb, arg, 0, select_docs(docs, account, owned, &o));
}

static void save(void *docs, const char *account, const char *id, const json_t *doc,
		 cf_doc_cb cb, void *arg)
{
	struct fake_docs *d = docs;
	json_t *acc = json_object_get(d->accounts, account);

	if (!json_object_get(acc, id)) {
		complete(d, cb, arg, -ENOENT, NULL);
		return;
	}
	d->saves++;
	json_object_set_new(acc, id, json_deep_copy(doc));
	complete(d, cb, arg, 0, json_deep_copy(doc));
}

const struct cf_doc_ops fake_doc_ops = {
	.load = load,
	.find_callflows = find_callflows,
	.list = list,
	.owned_by = owned_by,
	.save = save,
};
