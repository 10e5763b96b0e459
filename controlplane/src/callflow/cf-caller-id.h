/* Caller ids from documents: the first of device, user, account that sets caller_id.<kind>.
 * Return convention: 0, or -ENOENT when none of them sets a number or a name.
 */
#ifndef BUGLE_CF_CALLER_ID_H
#define BUGLE_CF_CALLER_ID_H

#include <jansson.h>

#include "cf-call-t.h"

/* kind: "internal", "external", "emergency". Any document may be NULL. */
int cf_doc_caller_id(const json_t *device, const json_t *user, const json_t *account,
		     const char *kind, struct cf_caller_id *out);

#endif
