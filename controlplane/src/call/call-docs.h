/* The callflow engine's document interface (cf-docs-t.h) over the PostgreSQL pool, with the
 * SQL that header gives.
 * Return convention: none besides the operations' callbacks (err 0 or a negative errno).
 */
#ifndef CALL_DOCS_H
#define CALL_DOCS_H

#include "cf-docs-t.h"

/* The operations; the `docs` argument is the struct cp_pg_pool itself. */
extern const struct cf_doc_ops call_doc_ops;

#endif
