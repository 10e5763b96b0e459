/* A webhook document (type "webhook", KAZOO fields uri, http_verb, hook, retries, format,
 * custom_data, enabled, include_subaccounts) as the calls module keeps it, and the request one
 * event makes of it.
 *
 * Secret: each webhook document may carry `secret` (16-128 characters), chosen by its owner
 * like a GitHub webhook secret; requests of a hook with a secret are signed, those of a hook
 * without one carry only X-Bugle-Timestamp (counted as unsigned). A per-hook secret lets an
 * account give each receiver its own key and rotate one without touching the others.
 *
 * Return convention: creators return a pointer or NULL (err says why); the rest 0 or a
 * negative errno.
 */
#ifndef CALLS_WH_DOC_H
#define CALLS_WH_DOC_H

#include "calls-leg-t.h"
#include "calls-wh-policy.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum calls_wh_verb { CALLS_WH_GET, CALLS_WH_POST, CALLS_WH_PUT };
enum calls_wh_format { CALLS_WH_FORM, CALLS_WH_JSON };

#define CALLS_WH_SECRET_MIN 16
#define CALLS_WH_SECRET_MAX 128

/* Owner: the loop thread (webhooks registry). Fields above `window` are read-only once built. */
struct calls_webhook {
	char account_id[33];
	char id[129];
	char hook[32];			/* "all" or a calls_hook_name() */
	char *uri;			/* http:// or https:// only */
	char *secret;			/* NULL: requests are not signed */
	json_t *custom_data;		/* object or NULL */
	enum calls_wh_verb verb;
	enum calls_wh_format format;
	unsigned retries;		/* 0..4 after the first attempt */
	bool enabled;
	bool include_subaccounts;
	char *descendants;		/* with include_subaccounts: ",id1,id2," or NULL */
	struct calls_wh_window window;	/* recent failures */
	bool disabled_here;		/* this node switched it off; the document update is sent */
	struct calls_webhook *next;
};

/* true for an absolute http/https URI with a host and no spaces or control characters. */
bool calls_wh_uri_ok(const char *uri);

struct calls_webhook *calls_wh_from_json(const char *account_id, const char *id,
					 const json_t *doc, char *err, size_t errlen);
void calls_wh_free(struct calls_webhook *w);

/* Does the hook fire for this event of this account (its own, or a descendant listed in
 * descendants when include_subaccounts is set)? */
bool calls_wh_matches(const struct calls_webhook *w, const char *account_id,
		      enum calls_event_kind kind);
/* Set descendants from a comma-separated id list (NULL: none). */
int calls_wh_set_descendants(struct calls_webhook *w, const char *csv);

/* The request for one payload: url (the uri, plus the form-encoded payload as the query for
 * GET), body (JSON or form-encoded for POST/PUT; empty for GET), the content type, and what is
 * signed (body, or the query string for GET). Free url and body. */
struct calls_wh_request {
	char *url;
	char *body;
	const char *content_type;	/* NULL for GET */
	const char *signed_part;	/* points into url or body */
	size_t signed_len;
};

int calls_wh_request_build(const struct calls_webhook *w, const json_t *payload,
			   struct calls_wh_request *out);
void calls_wh_request_clear(struct calls_wh_request *r);

#endif
