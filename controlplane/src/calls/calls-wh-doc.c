/* Webhook documents from the store, checked again here: a document edited straight in the
 * database, or by an older API, must not make the daemon call a file:// URI. */
#include "calls-wh-doc.h"
#include "calls-payload.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool calls_wh_uri_ok(const char *uri)
{
	size_t skip;
	if (!uri)
		return false;
	if (strncasecmp(uri, "http://", 7) == 0)
		skip = 7;
	else if (strncasecmp(uri, "https://", 8) == 0)
		skip = 8;
	else
		return false;
	size_t len = strlen(uri);
	if (len > 2048 || len == skip || uri[skip] == '/' || uri[skip] == '?' || uri[skip] == '#')
		return false;
	for (const char *c = uri; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return false;
	return true;
}

static const char *str_field(const json_t *doc, const char *key, const char *dflt)
{
	const json_t *v = json_object_get(doc, key);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

static bool bool_field(const json_t *doc, const char *key, bool dflt)
{
	const json_t *v = json_object_get(doc, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

struct calls_webhook *calls_wh_from_json(const char *account_id, const char *id,
					 const json_t *doc, char *err, size_t errlen)
{
	const char *uri = str_field(doc, "uri", NULL);
	const char *verb = str_field(doc, "http_verb", "post");
	const char *format = str_field(doc, "format", "form-data");
	const char *hook = str_field(doc, "hook", NULL);
	/* The API stores the secret write-only, as pvt_secret. */
	const char *secret = str_field(doc, "pvt_secret", str_field(doc, "secret", NULL));
	const json_t *retries = json_object_get(doc, "retries");
	const json_t *custom = json_object_get(doc, "custom_data");
	const char *why = NULL;
	if (!json_is_object(doc))
		why = "not an object";
	else if (!account_id || strlen(account_id) != 32 || !id || strlen(id) > 128 || !*id)
		why = "bad account or document id";
	else if (!calls_wh_uri_ok(uri))
		why = "uri must be an http:// or https:// URI";
	else if (!hook || strlen(hook) >= 32)
		why = "hook missing";
	else if (strcasecmp(verb, "get") && strcasecmp(verb, "post") && strcasecmp(verb, "put"))
		why = "http_verb must be get, post or put";
	else if (strcmp(format, "form-data") && strcmp(format, "json"))
		why = "format must be form-data or json";
	else if (retries && (!json_is_integer(retries) || json_integer_value(retries) < 0 ||
			     json_integer_value(retries) > 4))
		why = "retries must be 0..4";
	else if (secret && (strlen(secret) < CALLS_WH_SECRET_MIN ||
			    strlen(secret) > CALLS_WH_SECRET_MAX))
		why = "secret must have 16 to 128 characters";
	else if (custom && !json_is_object(custom))
		why = "custom_data must be an object";
	if (why) {
		snprintf(err, errlen, "%s", why);
		return NULL;
	}
	struct calls_webhook *w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(w->account_id, sizeof(w->account_id), "%s", account_id);
	snprintf(w->id, sizeof(w->id), "%s", id);
	snprintf(w->hook, sizeof(w->hook), "%s", hook);
	w->uri = strdup(uri);
	w->secret = secret ? strdup(secret) : NULL;
	w->custom_data = custom ? json_deep_copy(custom) : NULL;
	w->verb = !strcasecmp(verb, "get") ? CALLS_WH_GET
		: !strcasecmp(verb, "put") ? CALLS_WH_PUT : CALLS_WH_POST;
	w->format = strcmp(format, "json") == 0 ? CALLS_WH_JSON : CALLS_WH_FORM;
	w->retries = retries ? (unsigned)json_integer_value(retries) : 2;
	w->enabled = bool_field(doc, "enabled", true);
	w->include_subaccounts = bool_field(doc, "include_subaccounts", false);
	if (!w->uri || (secret && !w->secret) || (custom && !w->custom_data)) {
		calls_wh_free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return w;
}

void calls_wh_free(struct calls_webhook *w)
{
	if (!w)
		return;
	free(w->uri);
	free(w->secret);
	free(w->descendants);
	json_decref(w->custom_data);
	free(w);
}

/* A hook this module never fires (conference, parking, ...) is kept but never matches. */
int calls_wh_set_descendants(struct calls_webhook *w, const char *csv)
{
	free(w->descendants);
	w->descendants = NULL;
	if (!csv || !*csv)
		return 0;
	size_t n = strlen(csv);
	w->descendants = malloc(n + 3);
	if (!w->descendants)
		return -ENOMEM;
	snprintf(w->descendants, n + 3, ",%s,", csv);
	return 0;
}

static bool is_descendant(const struct calls_webhook *w, const char *account_id)
{
	char needle[40];
	if (!w->include_subaccounts || !w->descendants || strlen(account_id) != 32)
		return false;
	snprintf(needle, sizeof(needle), ",%s,", account_id);
	return strstr(w->descendants, needle) != NULL;
}

bool calls_wh_matches(const struct calls_webhook *w, const char *account_id,
		      enum calls_event_kind kind)
{
	const char *name = calls_hook_name(kind);
	if (!w->enabled || w->disabled_here || !name)
		return false;
	if (strcmp(w->hook, "all") != 0 && strcmp(w->hook, name) != 0)
		return false;
	return strcmp(w->account_id, account_id) == 0 || is_descendant(w, account_id);
}

struct buf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap : 256);
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* application/x-www-form-urlencoded (RFC 1866 8.2.1 as browsers and KAZOO send it). */
static void buf_put_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (isalnum(*c) || *c == '-' || *c == '_' || *c == '.' || *c == '~') {
			buf_put(b, (const char *)c, 1);
		} else if (*c == ' ') {
			buf_put(b, "+", 1);
		} else {
			char e[3] = { '%', hex[*c >> 4], hex[*c & 15] };
			buf_put(b, e, 3);
		}
	}
}

/* Scalars as text; objects and arrays as their compact JSON. */
static void form_encode(struct buf *b, const json_t *payload)
{
	const char *key;
	json_t *v;
	bool first = true;
	json_object_foreach((json_t *)payload, key, v) {
		char num[32], *dumped = NULL;
		const char *text;
		if (json_is_string(v))
			text = json_string_value(v);
		else if (json_is_integer(v))
			text = (snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v)),
				num);
		else if (json_is_true(v))
			text = "true";
		else if (json_is_false(v))
			text = "false";
		else if (json_is_null(v))
			text = "";
		else
			text = dumped = json_dumps(v, JSON_COMPACT);
		if (!text) {
			b->failed = true;
			return;
		}
		if (!first)
			buf_put(b, "&", 1);
		first = false;
		buf_put_escaped(b, key);
		buf_put(b, "=", 1);
		buf_put_escaped(b, text);
		free(dumped);
	}
	if (first)
		buf_put(b, "", 0);
}

int calls_wh_request_build(const struct calls_webhook *w, const json_t *payload,
			   struct calls_wh_request *out)
{
	memset(out, 0, sizeof(*out));
	struct buf url = { 0 }, body = { 0 };
	buf_put(&url, w->uri, strlen(w->uri));
	if (w->verb == CALLS_WH_GET) {
		struct buf q = { 0 };
		form_encode(&q, payload);
		buf_put(&url, strchr(w->uri, '?') ? "&" : "?", 1);
		size_t at = url.len;
		buf_put(&url, q.p ? q.p : "", q.len);
		free(q.p);
		buf_put(&body, "", 0);
		if (q.failed || url.failed || body.failed)
			goto fail;
		out->signed_part = url.p + at;
		out->signed_len = url.len - at;
	} else {
		if (w->format == CALLS_WH_JSON) {
			char *text = json_dumps(payload, JSON_COMPACT);
			if (!text)
				goto fail;
			buf_put(&body, text, strlen(text));
			free(text);
			out->content_type = "application/json";
		} else {
			form_encode(&body, payload);
			out->content_type = "application/x-www-form-urlencoded";
		}
		if (url.failed || body.failed)
			goto fail;
		out->signed_part = body.p;
		out->signed_len = body.len;
	}
	out->url = url.p;
	out->body = body.p;
	return 0;
fail:
	free(url.p);
	free(body.p);
	memset(out, 0, sizeof(*out));
	return -ENOMEM;
}

void calls_wh_request_clear(struct calls_wh_request *r)
{
	free(r->url);
	free(r->body);
	memset(r, 0, sizeof(*r));
}
