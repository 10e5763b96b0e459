/* The bytes of uploaded media files, beside their media documents. */
#include "store-exec.h"

#include <errno.h>
#include <stdlib.h>

int store_media_put(struct cp_pg_pool *pg, const char *account_id, const char *id,
		    const char *content_type, const void *bytes, size_t len, store_cb cb,
		    void *arg)
{
	/* bytea in text form: \x then hex. */
	char *hex = malloc(2 * len + 3);
	if (!hex)
		return -ENOMEM;
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = bytes;
	hex[0] = '\\';
	hex[1] = 'x';
	for (size_t i = 0; i < len; i++) {
		hex[2 + 2 * i] = digits[b[i] >> 4];
		hex[3 + 2 * i] = digits[b[i] & 15];
	}
	hex[2 + 2 * len] = '\0';
	const char *p[] = { account_id, id, content_type, hex };
	int rc = store_exec(pg,
			    "INSERT INTO media_raw (account_id, id, content_type, bytes) "
			    "SELECT $1, $2, $3, $4::bytea WHERE EXISTS (SELECT 1 FROM documents "
			    "  WHERE account_id = $1 AND id = $2 AND type = 'media' AND NOT deleted) "
			    "ON CONFLICT (account_id, id) DO UPDATE SET content_type = $3, "
			    "  bytes = $4::bytea, modified = now() RETURNING id, length(bytes) AS size",
			    4, p, STORE_SHAPE_ONE, 0, cb, arg);
	free(hex);
	return rc;
}

int store_media_get(struct cp_pg_pool *pg, const char *account_id, const char *id, store_cb cb,
		    void *arg)
{
	const char *p[] = { account_id, id };
	return store_exec(pg,
			  "SELECT m.content_type, encode(m.bytes, 'base64') AS base64 FROM media_raw m "
			  "JOIN documents d ON d.account_id = m.account_id AND d.id = m.id "
			  "WHERE m.account_id = $1 AND m.id = $2 AND NOT d.deleted",
			  2, p, STORE_SHAPE_ONE, 0, cb, arg);
}
