/* Test double for the callflow document interface: documents in memory, answered at once or
 * queued (async mode) until fake_docs_drain().
 * Return convention: 0 or a negative errno; drain returns how many completions it ran.
 */
#ifndef BUGLE_TEST_FAKE_DOCS_H
#define BUGLE_TEST_FAKE_DOCS_H

#include <jansson.h>
#include <stdbool.h>

#include "cf-docs-t.h"

struct fake_pending;

struct fake_docs {
	json_t *accounts;	/* {account_id: {id: doc}} */
	bool async;
	struct fake_pending *q;	/* pending completions (async mode), oldest first */
	size_t qn, qcap;
	unsigned saves, loads;
	int fail_lists;		/* negative errno returned by list() when set */
};

extern const struct cf_doc_ops fake_doc_ops;

void fake_docs_init(struct fake_docs *d);
void fake_docs_release(struct fake_docs *d);
/* Adds doc (a JSON text) as account/id of type. */
void fake_docs_put(struct fake_docs *d, const char *account, const char *id, const char *type,
		   const char *json);
/* The same with a parsed document (the store takes the reference). */
void fake_docs_put_json(struct fake_docs *d, const char *account, const char *id,
			const char *type, json_t *doc);
json_t *fake_docs_get(struct fake_docs *d, const char *account, const char *id);
int fake_docs_drain(struct fake_docs *d);

#endif
