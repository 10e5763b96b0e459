/* The document store: API documents as JSONB rows in PostgreSQL over the control plane's pg
 * pool, with optimistic revisions, soft deletion, filtered listings and the account tree.
 * Every value travels as a bound parameter; no SQL is ever built from input.
 * Return convention: the asynchronous calls return 0 (the callback will run once, later, on the
 * loop thread) or a negative errno (-EINVAL bad arguments, -ENOTCONN/-EAGAIN pool refused; the
 * callback then never runs); the pure helpers return 0 or a negative errno.
 */
#ifndef STORE_H
#define STORE_H

#include "cp/pg-pool.h"
#include "store-t.h"

/* Documents ---------------------------------------------------------------------------------*/

/* Row: id, type, rev, created, modified (unix seconds), data. */
int store_doc_get(struct cp_pg_pool *pg, const char *account_id, const char *type,
		  const char *id, store_cb cb, void *arg);
/* The same, whatever its type (the caller checks it: caches key documents by id). */
int store_doc_get_any(struct cp_pg_pool *pg, const char *account_id, const char *id,
		      store_cb cb, void *arg);
int store_doc_create(struct cp_pg_pool *pg, const char *account_id, const char *type,
		     const char *id, const json_t *data, store_cb cb, void *arg);
/* expect_rev 0: whatever the current revision is. STORE_STALE when it moved on. */
int store_doc_replace(struct cp_pg_pool *pg, const char *account_id, const char *type,
		      const char *id, int expect_rev, const json_t *data, store_cb cb, void *arg);
int store_doc_delete(struct cp_pg_pool *pg, const char *account_id, const char *type,
		     const char *id, int expect_rev, store_cb cb, void *arg);
int store_doc_list(struct cp_pg_pool *pg, const char *account_id, const char *type,
		   const struct store_list_query *q, store_cb cb, void *arg);

/* The same listing as one row: data (the page as JSON text, as clients see documents: pvt_*
 * keys removed, "id" added), next_start_key (NULL on the last page), n (rows found, the
 * next page's first included). */
int store_doc_list_json(struct cp_pg_pool *pg, const char *account_id, const char *type,
			const struct store_list_query *q, store_cb cb, void *arg);

/* Pure: a filter key the listing statement takes (1..STORE_MAX_KEY_LEN characters, at most
 * STORE_MAX_KEY_DEPTH non-empty dotted parts). */
bool store_filter_key_valid(const char *dotted);
/* Pure: the listing statement for q (exported for tests). */
int store_list_sql(const char *account_id, const char *type, const struct store_list_query *q,
		   struct store_sql *out);

/* Accounts ----------------------------------------------------------------------------------*/

/* parent_id NULL: a root account. Row: path. STORE_NOT_FOUND: no live parent;
 * STORE_DUPLICATE: realm (or id) taken. */
int store_account_create(struct cp_pg_pool *pg, const char *id, const char *parent_id,
			 const char *name, const char *realm, const char *api_key,
			 const json_t *data, store_cb cb, void *arg);
/* Row: id, path, parent_id, name, realm, enabled, api_key, rev, created, modified, data. */
int store_account_get(struct cp_pg_pool *pg, const char *id, store_cb cb, void *arg);
/* Replaces the account document and keeps the tree row's name and realm in step. */
int store_account_replace(struct cp_pg_pool *pg, const char *id, int expect_rev,
			  const json_t *data, store_cb cb, void *arg);
/* Rows: id (one per account deleted, the subtree included). */
int store_account_delete(struct cp_pg_pool *pg, const char *id, store_cb cb, void *arg);
/* Rows: id, name, realm, path, parent_id; in path order. */
int store_account_relatives(struct cp_pg_pool *pg, const char *id, enum store_relatives which,
			    store_cb cb, void *arg);
/* name_or_realm: looked up case-insensitively as realm when by_realm, else as name. */
int store_account_find(struct cp_pg_pool *pg, const char *name_or_realm, bool by_realm,
		       store_cb cb, void *arg);
int store_account_by_api_key(struct cp_pg_pool *pg, const char *api_key, store_cb cb, void *arg);
int store_account_set_api_key(struct cp_pg_pool *pg, const char *id, const char *api_key,
			      store_cb cb, void *arg);

/* Users whose private credential hash field (pvt_md5_auth or pvt_sha1_auth) equals hash, in
 * any of account_ids (a JSON array of ids). Row: account_id, id, data. */
int store_user_by_credentials(struct cp_pg_pool *pg, const char *field, const char *hash,
			      const char *account_ids_json, store_cb cb, void *arg);

/* Tokens ------------------------------------------------------------------------------------*/

int store_token_create(struct cp_pg_pool *pg, const char *token, const char *account_id,
		       const char *owner_id, const char *method, unsigned ttl_s, store_cb cb,
		       void *arg);
/* A live token's row (account_id, owner_id, method, path), its expiry pushed ttl_s ahead. */
int store_token_touch(struct cp_pg_pool *pg, const char *token, unsigned ttl_s, store_cb cb,
		      void *arg);
int store_token_delete(struct cp_pg_pool *pg, const char *token, store_cb cb, void *arg);

/* Read-only tables ---------------------------------------------------------------------------*/

/* One page of an account's CDRs created in [from, to) (unix seconds), newest first: at most
 * limit rows from start_key on (NULL: from the newest; a key that is not in the range gives no
 * rows), the result's next_start_key naming the next page's first CDR (NULL on the last).
 * Keyset paging on (created, id): stable while new CDRs arrive. */
int store_cdr_list(struct cp_pg_pool *pg, const char *account_id, int64_t from, int64_t to,
		   const char *start_key, unsigned limit, store_cb cb, void *arg);
/* Its query, for callers with a pool callback of their own: $1 account, $2 and $3 the range,
 * $4 start key or NULL, $5 rows (one more than the page, to name the next). */
extern const char store_cdr_page_sql[];
int store_registration_list(struct cp_pg_pool *pg, const char *account_id, store_cb cb,
			    void *arg);

/* Media bytes (to a live media document); row: id, size. */
int store_media_put(struct cp_pg_pool *pg, const char *account_id, const char *id,
		    const char *content_type, const void *bytes, size_t len, store_cb cb,
		    void *arg);
/* Row: content_type, base64. */
int store_media_get(struct cp_pg_pool *pg, const char *account_id, const char *id, store_cb cb,
		    void *arg);

/* Phone numbers (the registry of schemas/sql/0007_numbers.sql) ------------------------------*/

/* Number rows: id (E.164), assigned_to (the account), state, auto_assigned, used_by ("callflow" or ""),
 * created, modified (unix seconds). numbers are E.164 as api_number_e164() writes them. */

/* One page of the account's numbers in number order, from start_key on (NULL: the first), at
 * most limit rows; next_start_key names the next page's first number (NULL on the last). */
int store_number_list(struct cp_pg_pool *pg, const char *account_id, const char *start_key,
		      unsigned limit, store_cb cb, void *arg);
/* The account's number; STORE_NOT_FOUND when it does not hold it. */
int store_number_get(struct cp_pg_pool *pg, const char *account_id, const char *number,
		     store_cb cb, void *arg);
/* Assigns number to the account by hand (state NULL: keep it, "in_service" when new). One row:
 * outcome "created" / "updated" with the number's columns, or "taken" (another account holds
 * it). */
int store_number_assign(struct cp_pg_pool *pg, const char *account_id, const char *number,
			const char *state, store_cb cb, void *arg);
/* Releases the account's number. One row: outcome "released", "missing" (not the account's) or
 * "in_use" (a live callflow of the account names it). */
int store_number_release(struct cp_pg_pool *pg, const char *account_id, const char *number,
			 store_cb cb, void *arg);

/* Ids ---------------------------------------------------------------------------------------*/

/* KAZOO ids: exactly 32 lower-case hex digits. */
bool store_id_valid(const char *id);
/* Writes 32 random lower-case hex digits and a NUL into out[33]. */
void store_id_new(char out[33]);

#endif
