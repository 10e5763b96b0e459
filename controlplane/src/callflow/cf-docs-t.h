/* Types only: the document interface the callflow engine reads and writes documents through.
 * Return convention: none (types only).
 *
 * Every operation completes exactly once through its cf_doc_cb, synchronously or later on the
 * loop thread. err is 0 or a negative errno (-ENOENT: no such document); on success `result`
 * is a new reference the callback owns, else NULL. Documents are the JSONB `data` of a row of
 * the documents table with "id" (the row id) and "pvt_type" (the row type) added.
 *
 * What the real implementation (store + cache) must do, per operation:
 *
 * load(account_id, id):
 *     SELECT id, type, data FROM documents
 *      WHERE account_id = $1 AND id = $2 AND NOT deleted
 *   Accounts themselves are loaded with id = account_id.
 *
 * find_callflows(account_id, numbers[]):  (result: a JSON array of callflow documents)
 *     SELECT id, type, data FROM documents
 *      WHERE account_id = $1 AND type = 'callflow' AND NOT deleted
 *        AND (data->'numbers' ?| $2::text[]        -- any spelling of the dialed number
 *             OR data->'numbers' ? 'no_match'
 *             OR jsonb_array_length(COALESCE(data->'patterns', '[]')) > 0)
 *      ORDER BY id
 *   $2 is `numbers` (cf_number_forms()); the engine picks exact, then longest pattern, then
 *   no_match itself. A cache may keep an account's pattern callflows and drop them on change.
 *
 * list(account_id, type):  (result: a JSON array, ORDER BY id)
 *     SELECT id, type, data FROM documents
 *      WHERE account_id = $1 AND type = $2 AND NOT deleted ORDER BY id
 *   Used for 'resource' (offnet) and 'temporal_rule'.
 *
 * owned_by(account_id, type, owner_id):  (result: a JSON array, ORDER BY id)
 *     ... AND type = $2 AND data->>'owner_id' = $3 ...   (a user's devices)
 *
 * save(account_id, id, doc):  (result: the stored document)
 *     UPDATE documents SET data = $3 WHERE account_id = $1 AND id = $2 AND NOT deleted
 *   with "id"/"pvt_type" removed from $3, then the document-change event on the bus so every
 *   cache drops it (feature codes change device/user documents this way).
 */
#ifndef BUGLE_CF_DOCS_T_H
#define BUGLE_CF_DOCS_T_H

#include <jansson.h>
#include <stddef.h>

typedef void (*cf_doc_cb)(void *arg, int err, json_t *result);

struct cf_doc_ops {
	void (*load)(void *docs, const char *account_id, const char *id, cf_doc_cb cb, void *arg);
	void (*find_callflows)(void *docs, const char *account_id, const char *const *numbers,
			       size_t n_numbers, cf_doc_cb cb, void *arg);
	void (*list)(void *docs, const char *account_id, const char *type, cf_doc_cb cb,
		     void *arg);
	void (*owned_by)(void *docs, const char *account_id, const char *type,
			 const char *owner_id, cf_doc_cb cb, void *arg);
	/* doc is borrowed for the duration of the call (copy it if kept). */
	void (*save)(void *docs, const char *account_id, const char *id, const json_t *doc,
		     cf_doc_cb cb, void *arg);
};

#endif
