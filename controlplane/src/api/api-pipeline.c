/* One request's way through the API: parse the path and body, find the route, check the
 * token (through the session cache), load the account the path names (through the document
 * cache) and check the token may reach it, then hand over to the route's handler. Each step
 * that needs PostgreSQL suspends the request and comes back here when the answer arrives. */
#include "api-int.h"
#include "cache.h"
#include "store.h"

#include <errno.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum load_kind { LOAD_SESSION, LOAD_ACCOUNT, LOAD_DOC };

struct load_op {
	struct api_server *api;
	struct cache *cache;
	char key[128];
};

static enum api_method method_of(const char *m)
{
	static const struct { const char *name; enum api_method m; } map[] = {
		{ "GET", API_GET }, { "PUT", API_PUT }, { "POST", API_POST },
		{ "PATCH", API_PATCH }, { "DELETE", API_DELETE },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(m, map[i].name) == 0)
			return map[i].m;
	return 0;
}

struct api_req *api_req_new(struct api_server *api, struct MHD_Connection *conn,
			    const char *method, const char *url)
{
	struct api_req *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->api = api;
	r->conn = conn;
	r->refs = 1;
	r->started_ns = uv_hrtime();
	r->method = method_of(method);
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(r->request_id, sizeof(r->request_id), raw, sizeof(raw));
	r->path = strdup(url);
	if (!r->path) {
		free(r);
		return NULL;
	}
	/* Segments point into path; an empty segment (//) makes the path unroutable. */
	char *p = r->path;
	if (*p == '/')
		p++;
	while (*p && r->n_segments < API_MAX_SEGMENTS) {
		r->segments[r->n_segments++] = p;
		char *slash = strchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
		p = slash + 1;
		if (!*p)
			break; /* one trailing slash is tolerated */
	}
	if (*p && r->n_segments == API_MAX_SEGMENTS && strchr(p, '/'))
		r->n_segments = API_MAX_SEGMENTS + 1; /* too deep: matches nothing */
	return r;
}

void api_req_unref(struct api_req *r)
{
	if (--r->refs)
		return;
	if (r->response)
		MHD_destroy_response(r->response);
	json_decref(r->req_envelope);
	json_decref(r->session);
	json_decref(r->account);
	json_decref(r->res.rows);
	json_decref(r->work);
	free(r->body);
	free(r->path);
	free(r);
}

static void keep_result(struct api_req *r, const struct store_result *res)
{
	json_decref(r->res.rows);
	r->res.status = res->status;
	snprintf(r->res.error, sizeof(r->res.error), "%s", res->error ? res->error : "");
	r->res.rows = json_incref(res->rows);
	r->res.has_next = res->next_start_key != NULL;
	snprintf(r->res.constraint, sizeof(r->res.constraint), "%s",
		 res->constraint ? res->constraint : "");
	snprintf(r->res.detail, sizeof(r->res.detail), "%s", res->detail ? res->detail : "");
	snprintf(r->res.next_start_key, sizeof(r->res.next_start_key), "%s",
		 res->next_start_key ? res->next_start_key : "");
}

void api_issued(struct api_req *r, int rc)
{
	if (rc < 0) {
		r->res.status = STORE_UNAVAILABLE;
		api_reply_store_error(r);
		return;
	}
	r->refs++;
	r->api->inflight++;
}

void api_store_cb(void *arg, const struct store_result *res)
{
	struct api_req *r = arg;
	struct api_server *api = r->api;
	api->inflight--;
	if (!r->gone && !r->response) {
		keep_result(r, res);
		r->route->handler(r);
	}
	api_req_unref(r);
	api_maybe_free(api);
}

/* Cache loads ---------------------------------------------------------------------------*/

static void load_done(void *arg, const struct store_result *res)
{
	struct load_op *op = arg;
	struct api_server *api = op->api;
	api->inflight--;
	const json_t *row = res->status == STORE_OK ? json_array_get(res->rows, 0) : NULL;
	cache_complete(op->cache, op->key, row, (int)res->status);
	free(op);
	api_maybe_free(api);
}

static void advance(struct api_req *r);

static void loaded(struct api_req *r, enum load_kind kind, const json_t *value, int status)
{
	if (r->gone || r->response)
		return;
	if (kind == LOAD_DOC) {
		json_decref(r->res.rows);
		r->res.rows = json_array();
		if (value)
			json_array_append(r->res.rows, (json_t *)value);
		r->res.status = value ? STORE_OK
				      : (status > 0 ? (enum store_status)status : STORE_UNAVAILABLE);
		r->res.has_next = false;
		r->route->handler(r);
		return;
	}
	if (!value) {
		if (status != STORE_NOT_FOUND) {
			r->res.status = STORE_UNAVAILABLE;
			api_reply_store_error(r);
		} else if (kind == LOAD_SESSION) {
			r->api->counters.unauthorized++;
			api_reply_error(r, 401, "invalid credentials", NULL);
		} else {
			api_reply_error(r, 404, "bad identifier", NULL);
		}
		return;
	}
	if (kind == LOAD_SESSION)
		r->session = json_deep_copy(value);
	else
		r->account = json_deep_copy(value);
	advance(r);
}

#define WAITER(kind)                                                                               \
	static void waiter_##kind(void *arg, const json_t *value, int status)                     \
	{                                                                                          \
		struct api_req *r = arg;                                                           \
		loaded(r, kind, value, status);                                                    \
		api_req_unref(r);                                                                  \
	}
WAITER(LOAD_SESSION)
WAITER(LOAD_ACCOUNT)
WAITER(LOAD_DOC)

static const cache_cb waiters[] = {
	[LOAD_SESSION] = waiter_LOAD_SESSION,
	[LOAD_ACCOUNT] = waiter_LOAD_ACCOUNT,
	[LOAD_DOC] = waiter_LOAD_DOC,
};

/* Peek, else wait for (and maybe start) the single load of key. */
static void load(struct api_req *r, enum load_kind kind, struct cache *c, const char *key,
		 const char *a, const char *b)
{
	const json_t *hit = cache_peek(c, key);
	if (hit) {
		json_t *held = json_incref((json_t *)hit);
		loaded(r, kind, held, 0);
		json_decref(held);
		return;
	}
	int first = cache_wait(c, key, waiters[kind], r);
	if (first < 0) {
		r->res.status = STORE_ERROR;
		api_reply_store_error(r);
		return;
	}
	r->refs++;
	if (!first)
		return;
	struct load_op *op = malloc(sizeof(*op));
	if (!op) {
		cache_complete(c, key, NULL, STORE_ERROR);
		return;
	}
	op->api = r->api;
	op->cache = c;
	snprintf(op->key, sizeof(op->key), "%s", key);
	struct cp_pg_pool *pg = r->api->opt.pg;
	int rc;
	switch (kind) {
	case LOAD_SESSION:
		rc = store_token_touch(pg, a, r->api->opt.token_ttl_s, load_done, op);
		break;
	case LOAD_ACCOUNT:
		rc = store_account_get(pg, a, load_done, op);
		break;
	default:
		rc = store_doc_get_any(pg, a, b, load_done, op);
		break;
	}
	if (rc < 0) {
		free(op);
		cache_complete(c, key, NULL, STORE_UNAVAILABLE);
		return;
	}
	r->api->inflight++;
}

void api_load_doc(struct api_req *r, const char *account_id, const char *id)
{
	char key[128];
	api_doc_key(key, sizeof(key), account_id, id);
	load(r, LOAD_DOC, r->api->docs, key, account_id, id);
}

/* Dispatch ------------------------------------------------------------------------------*/

static void find_token(struct api_req *r)
{
	const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Auth-Token");
	const char *a = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	if (!t && a && strncasecmp(a, "Bearer ", 7) == 0)
		t = a + 7;
	if (t && strlen(t) < sizeof(r->token))
		strcpy(r->token, t);
}

static bool token_shape_ok(const char *t)
{
	if (strlen(t) != 64)
		return false;
	for (; *t; t++)
		if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f')))
			return false;
	return true;
}

/* The token's account must be the target account or one of its ancestors. */
static bool reachable(const json_t *session, const json_t *account)
{
	const char *mine = json_string_value(json_object_get(session, "account_id"));
	const char *path = json_string_value(json_object_get(account, "path"));
	if (!mine || !path)
		return false;
	size_t n = strlen(mine);
	for (const char *p = path; p; p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL)
		if (strncmp(p, mine, n) == 0 && (p[n] == '.' || p[n] == '\0'))
			return true;
	return false;
}

static void advance(struct api_req *r)
{
	if (r->route->auth && !r->session) {
		if (!r->token[0] || !token_shape_ok(r->token)) {
			r->api->counters.unauthorized++;
			api_reply_error(r, 401, "invalid credentials", NULL);
			return;
		}
		/* Keyed by digest: logout events name the digest, never the token. */
		char digest[41];
		api_sha1_hex(r->token, digest);
		load(r, LOAD_SESSION, r->api->tokens, digest, r->token, NULL);
		return;
	}
	if (r->account_id && !r->account) {
		char key[64];
		snprintf(key, sizeof(key), "acct:%s", r->account_id);
		load(r, LOAD_ACCOUNT, r->api->docs, key, r->account_id, NULL);
		return;
	}
	if (r->account && r->session && !reachable(r->session, r->account)) {
		r->api->counters.forbidden++;
		api_reply_error(r, 403, "forbidden", NULL);
		return;
	}
	r->route->handler(r);
}

static int parse_body(struct api_req *r)
{
	if (!r->body_len)
		return 0;
	json_t *why;
	int rc = api_envelope_parse(r->body, r->body_len, &r->req_envelope, &r->req_data, &why);
	if (rc == -EBADMSG) {
		r->api->counters.bad_json++;
		api_reply_error(r, 400, "invalid json", why);
	} else if (rc < 0) {
		api_reply_error(r, 400, "invalid data", why);
	}
	return rc;
}

void api_dispatch(struct api_req *r)
{
	find_token(r);
	if (!r->method) {
		api_reply_error(r, 405, "method not allowed", NULL);
		return;
	}
	int rc = api_route_match(r);
	if (rc == -EPERM) {
		api_reply_error(r, 405, "method not allowed", NULL);
		return;
	}
	if (rc < 0) {
		api_reply_error(r, 404, rc == -EINVAL ? "bad identifier" : "not found", NULL);
		return;
	}
	/* media raw uploads carry bytes, not JSON */
	if (r->route->handler != api_h_media_raw_put && parse_body(r) < 0)
		return;
	advance(r);
}
