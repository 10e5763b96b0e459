/* One REGISTER from request to answer: AOR checks, challenge, nonce and digest verification
 * against the device found in the store, replay check, contact rules, then the bindings written
 * and listed in one store call. */
#include "registrar-int.h"

#include "bugle/log.h"
#include "cp/pg-pool.h"
#include "response.h"
#include "sip-stack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The device, by realm (case-insensitive, as accounts_realm indexes it) and sip.username (the
 * containment test uses the GIN index on data). A disabled device or account never matches. */
#define DEVICE_SQL                                                                          \
	"SELECT a.id, a.realm, d.id, d.data->'sip'->>'password', d.data->'sip'->>'ha1',"   \
	" CASE WHEN jsonb_typeof(d.data->'sip'->'expire_seconds') = 'number'"                \
	"  THEN (d.data->'sip'->>'expire_seconds')::numeric::bigint END"                      \
	" FROM accounts a JOIN documents d ON d.account_id = a.id"                            \
	" WHERE lower(a.realm) = lower($1) AND NOT a.deleted AND a.enabled"                   \
	"  AND d.type = 'device' AND NOT d.deleted"                                           \
	"  AND d.data @> jsonb_build_object('sip', jsonb_build_object('username', $2::text))" \
	"  AND d.data->'enabled' IS DISTINCT FROM 'false'::jsonb"                             \
	" LIMIT 1"

#define APPLY_SQL                                                                           \
	"SELECT kind, contact, expires_in FROM bugle_registrar_apply($1, $2, $3, $4, $5,"     \
	" $6::bigint, $7, $8, $9, $10, $11, $12::boolean, $13::text[], $14::integer[],"     \
	" $15::text[], $16::integer[])"

static bool is_sip_uri(const osip_uri_t *u)
{
	return u && u->scheme && u->host && *u->host &&
	       (strcasecmp(u->scheme, "sip") == 0 || strcasecmp(u->scheme, "sips") == 0);
}

static void send_simple(struct csip_tx *tx, const osip_message_t *req, int code,
			const char *reason)
{
	osip_message_t *resp = csip_response_new(req, code, reason, NULL);
	if (resp)
		csip_tx_respond(tx, resp);
}

static void challenge(struct csip_registrar *r, struct csip_tx *tx, const osip_message_t *req,
		      const char *realm, bool stale)
{
	char nonce[CSIP_NONCE_LEN + 1];
	osip_message_t *resp = csip_response_new(req, 401, "Unauthorized", NULL);
	if (!resp)
		return;
	if (csip_nonce_make(&r->key, realm, csip_reg_now(r), r->salt++, nonce) < 0) {
		osip_message_free(resp);
		send_simple(tx, req, 500, "Server Internal Error");
		return;
	}
	/* MD5 first: many phones (and sipp) answer only the first challenge and know no other;
	 * RFC 7616 clients that prefer SHA-256 pick the second. Some (libre before 2.x, so
	 * baresip 1.0) refuse the whole 401 when one challenge names an algorithm they lack:
	 * sip.register_sha256 = false leaves SHA-256 out for them. */
	static const enum csip_digest_alg order[] = { CSIP_DIGEST_MD5, CSIP_DIGEST_SHA256 };
	size_t n = r->cfg.register_sha256 ? 2 : 1;
	for (size_t i = 0; i < n; i++) {
		char value[512];
		if (csip_challenge_value(order[i], realm, nonce, stale, value, sizeof(value)) < 0) {
			osip_message_free(resp);
			r->c.bad_requests++;
			send_simple(tx, req, 400, "Bad Realm");
			return;
		}
		osip_message_set_www_authenticate(resp, value);
	}
	r->c.challenges++;
	if (stale)
		r->c.stale_nonces++;
	csip_tx_respond(tx, resp);
}

static void op_free(struct reg_op *op)
{
	struct csip_registrar *r = op->r;
	csip_tx_unref(op->tx);
	if (op->req)
		osip_message_free(op->req);
	free(op);
	r->busy--;
	csip_reg_release(r);
}

/* A failed authentication from the phone's address: counted, and past the limit a ban. */
static void auth_failed(struct reg_op *op, const char *why)
{
	struct csip_registrar *r = op->r;
	r->c.auth_failures++;
	unsigned n = csip_auth_fail_hit(r->fails, op->source_ip, csip_reg_now(r));
	BGL_DEBUG("sip: REGISTER from %s:%d user '%s' realm '%s': %s (%u in window)",
		  op->source_ip, op->source_port, op->cred.username, op->aor_realm, why, n);
	if (n < (unsigned)r->cfg.auth_fail_max)
		return;
	csip_auth_fail_clear(r->fails, op->source_ip);
	r->c.bans++;
	BGL_WARN("sip: banning %s for %" PRId64 " s after %u failed authentications in %" PRId64
		 " s (last user '%s' realm '%s')",
		 op->source_ip, r->cfg.ban_seconds, n, r->cfg.auth_fail_window_s, op->cred.username,
		 op->aor_realm);
	int rc = csip_ban_source(r->ban, op->source_ip, (unsigned)r->cfg.ban_seconds,
				 "sip authentication failures");
	if (rc < 0)
		BGL_WARN("sip: ban of %s not requested: %s", op->source_ip, strerror(-rc));
}

/* The phone's address: the edge puts its own Via on top and passes the phone's Via second with
 * received/rport; a request straight from a phone (tests) has only its own. */
static void phone_source(const osip_message_t *req, const struct sockaddr_in *src,
			 struct reg_op *op)
{
	inet_ntop(AF_INET, &src->sin_addr, op->dataplane, sizeof(op->dataplane));
	size_t dl = strlen(op->dataplane);
	snprintf(op->dataplane + dl, sizeof(op->dataplane) - dl, ":%u", ntohs(src->sin_port));
	osip_via_t *via = osip_list_get(&req->vias, 1);
	if (!via || !via->host) {
		inet_ntop(AF_INET, &src->sin_addr, op->source_ip, sizeof(op->source_ip));
		op->source_port = ntohs(src->sin_port);
		return;
	}
	osip_generic_param_t *received = NULL, *rport = NULL;
	osip_via_param_get_byname(via, "received", &received);
	osip_via_param_get_byname(via, "rport", &rport);
	const char *host = received && received->gvalue ? received->gvalue : via->host;
	snprintf(op->source_ip, sizeof(op->source_ip), "%s", host);
	const char *port = rport && rport->gvalue ? rport->gvalue : via->port;
	op->source_port = port ? atoi(port) : 5060;
	if (op->source_port <= 0 || op->source_port > 65535)
		op->source_port = 5060;
}

/* Every Path header value, comma-joined in order (RFC 3327). */
static void collect_path(const osip_message_t *req, char *out, size_t len)
{
	out[0] = '\0';
	size_t pos = 0;
	osip_header_t *h = NULL;
	for (int i = 0; (i = osip_message_header_get_byname(req, "path", i, &h)) >= 0 && h; i++) {
		if (!h->hvalue)
			continue;
		int n = snprintf(out + pos, len - pos, "%s%s", pos ? "," : "", h->hvalue);
		if (n < 0 || (size_t)n >= len - pos) {
			out[pos] = '\0';
			return;
		}
		pos += (size_t)n;
	}
}

/* Appends s to a PostgreSQL array literal that starts "{" (quoted elements escaped). */
static int array_add(char *buf, size_t len, size_t *pos, const char *s, bool quote)
{
	size_t p = *pos;
	if (p > 1)
		buf[p++] = ',';
	if (quote)
		buf[p++] = '"';
	for (; *s; s++) {
		if (p + 4 >= len)
			return -ENOBUFS;
		if (quote && (*s == '"' || *s == '\\'))
			buf[p++] = '\\';
		buf[p++] = *s;
	}
	if (p + 3 >= len)
		return -ENOBUFS;
	if (quote)
		buf[p++] = '"';
	buf[p] = '\0';
	*pos = p;
	return 0;
}

struct arrays {
	char contacts[CSIP_MAX_CONTACTS * (CSIP_CONTACT_URI_MAX * 2 + 4) + 4];
	char expires[CSIP_MAX_CONTACTS * 12 + 4];
	char instances[CSIP_MAX_CONTACTS * 260 + 4];
	char reg_ids[CSIP_MAX_CONTACTS * 12 + 4];
};

static int build_arrays(const struct csip_contact_set *cs, struct arrays *a)
{
	size_t pc = 1, pe = 1, pi = 1, pr = 1;
	strcpy(a->contacts, "{");
	strcpy(a->expires, "{");
	strcpy(a->instances, "{");
	strcpy(a->reg_ids, "{");
	for (size_t i = 0; i < cs->n; i++) {
		char e[24], id[24];
		snprintf(e, sizeof(e), "%" PRId64, cs->b[i].expires_s);
		snprintf(id, sizeof(id), "%" PRId64, cs->b[i].reg_id);
		if (array_add(a->contacts, sizeof(a->contacts), &pc, cs->b[i].uri, true) < 0 ||
		    array_add(a->expires, sizeof(a->expires), &pe, e, false) < 0 ||
		    array_add(a->instances, sizeof(a->instances), &pi, cs->b[i].instance, true) < 0 ||
		    array_add(a->reg_ids, sizeof(a->reg_ids), &pr, id, false) < 0)
			return -ENOBUFS;
	}
	strcat(a->contacts, "}");
	strcat(a->expires, "}");
	strcat(a->instances, "}");
	strcat(a->reg_ids, "}");
	return 0;
}

static const char *header_value(const osip_message_t *req, const char *name)
{
	osip_header_t *h = NULL;
	if (osip_message_header_get_byname(req, name, 0, &h) >= 0 && h)
		return h->hvalue;
	return NULL;
}

static void applied(void *arg, const PGresult *res, const char *error)
{
	struct reg_op *op = arg;
	struct csip_registrar *r = op->r;
	if (error) {
		BGL_WARN("sip: REGISTER %s@%s not stored: %s", op->username, op->realm, error);
		r->c.store_errors++;
		send_simple(op->tx, op->req, 500, "Server Internal Error");
		op_free(op);
		return;
	}
	osip_message_t *resp = csip_response_new(op->req, 200, "OK", NULL);
	if (!resp) {
		op_free(op);
		return;
	}
	const char *call_id = op->req->call_id ? op->req->call_id->number : NULL;
	const char *ua = header_value(op->req, "user-agent");
	int n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		const char *kind = PQgetvalue(res, i, 0), *contact = PQgetvalue(res, i, 1);
		if (strcmp(kind, "removed") == 0) {
			csip_reg_event(r, "reg_deregister", op->account_id, op->device_id, op->realm,
				       op->username, contact, 0, op->source_ip, op->source_port,
				       call_id, ua, "unregister");
			continue;
		}
		char value[CSIP_CONTACT_URI_MAX + 32];
		snprintf(value, sizeof(value), "<%s>;expires=%s", contact, PQgetvalue(res, i, 2));
		osip_message_set_contact(resp, value);
	}
	for (size_t i = 0; i < op->contacts.n; i++)
		if (op->contacts.b[i].expires_s > 0)
			csip_reg_event(r, "reg_success", op->account_id, op->device_id, op->realm,
				       op->username, op->contacts.b[i].uri,
				       op->contacts.b[i].expires_s, op->source_ip, op->source_port,
				       call_id, ua, NULL);
	if (op->path[0])
		osip_message_set_header(resp, "Path", op->path);
	r->c.successes++;
	csip_tx_respond(op->tx, resp);
	op_free(op);
}

static void store_bindings(struct reg_op *op)
{
	struct csip_registrar *r = op->r;
	struct arrays *a = malloc(sizeof(*a));
	if (!a || build_arrays(&op->contacts, a) < 0) {
		free(a);
		r->c.bad_requests++;
		send_simple(op->tx, op->req, 400, "Contacts Too Long");
		op_free(op);
		return;
	}
	char cseq[24], source[96];
	snprintf(cseq, sizeof(cseq), "%s", op->req->cseq->number);
	snprintf(source, sizeof(source), "%s:%d", op->source_ip, op->source_port);
	const char *ua = header_value(op->req, "user-agent");
	const char *params[16] = {
		op->account_id, op->device_id, op->realm, op->username, op->req->call_id->number,
		cseq, ua, source, op->dataplane, op->path, r->node,
		op->contacts.star ? "true" : "false", a->contacts, a->expires, a->instances,
		a->reg_ids,
	};
	int rc = cp_pg_query(r->pg, APPLY_SQL, 16, params, applied, op);
	free(a); /* the pool copied the parameters */
	if (rc < 0) {
		r->c.store_errors++;
		send_simple(op->tx, op->req, 500, "Server Internal Error");
		op_free(op);
	}
}

static bool cseq_number_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 10)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void device_found(void *arg, const PGresult *res, const char *error)
{
	struct reg_op *op = arg;
	struct csip_registrar *r = op->r;
	if (error || r->closing) {
		if (error) {
			BGL_WARN("sip: device lookup failed: %s", error);
			r->c.store_errors++;
		}
		send_simple(op->tx, op->req, 500, "Server Internal Error");
		op_free(op);
		return;
	}
	if (PQntuples(res) != 1) {
		auth_failed(op, "no such device");
		send_simple(op->tx, op->req, 403, "Forbidden");
		op_free(op);
		return;
	}
	snprintf(op->account_id, sizeof(op->account_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(op->realm, sizeof(op->realm), "%s", PQgetvalue(res, 0, 1));
	snprintf(op->device_id, sizeof(op->device_id), "%s", PQgetvalue(res, 0, 2));
	snprintf(op->username, sizeof(op->username), "%s", op->cred.username);

	char ha1[CSIP_DIGEST_HEX_MAX] = "";
	if (!PQgetisnull(res, 0, 3)) {
		csip_digest_ha1(op->cred.alg, op->cred.username, op->cred.realm,
				PQgetvalue(res, 0, 3), ha1);
	} else if (!PQgetisnull(res, 0, 4) && op->cred.alg == CSIP_DIGEST_MD5) {
		/* A stored HA1 is MD5 over the account realm: usable only for MD5. */
		snprintf(ha1, sizeof(ha1), "%s", PQgetvalue(res, 0, 4));
	}
	char expect[CSIP_DIGEST_HEX_MAX];
	if (!ha1[0] ||
	    csip_digest_response(op->cred.alg, ha1, op->cred.nonce, op->cred.nc, op->cred.cnonce,
				 op->cred.qop, "REGISTER", op->cred.uri, expect) < 0 ||
	    !csip_digest_equal(expect, op->cred.response)) {
		auth_failed(op, "wrong password");
		send_simple(op->tx, op->req, 403, "Forbidden");
		op_free(op);
		return;
	}
	uint64_t now = csip_reg_now(r);
	int rc = csip_nc_table_use(r->nc, op->cred.nonce, op->nonce_issued, op->cred.nc_value, now,
				   (uint64_t)r->cfg.nonce_ttl_s);
	if (rc == -EALREADY) {
		r->c.replays++;
		auth_failed(op, "nonce count replayed");
		challenge(r, op->tx, op->req, op->aor_realm, false);
		op_free(op);
		return;
	}
	if (rc < 0) {
		r->c.nc_table_full++;
		challenge(r, op->tx, op->req, op->aor_realm, true);
		op_free(op);
		return;
	}
	csip_auth_fail_clear(r->fails, op->source_ip);

	int64_t def = r->cfg.default_expires_s;
	if (!PQgetisnull(res, 0, 5)) {
		long long v = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
		if (v > 0)
			def = v;
	}
	struct csip_expiry_rules rules = { .def_s = def, .min_s = r->cfg.min_expires_s,
					   .max_s = r->cfg.max_expires_s };
	if (rules.def_s < rules.min_s)
		rules.def_s = rules.min_s;
	if (rules.def_s > rules.max_s)
		rules.def_s = rules.max_s;
	rc = csip_contacts_parse(op->req, &rules, &op->contacts);
	if (rc == -ERANGE) {
		r->c.too_brief++;
		osip_message_t *resp = csip_response_new(op->req, 423, "Interval Too Brief", NULL);
		if (resp) {
			char min[24];
			snprintf(min, sizeof(min), "%" PRId64, r->cfg.min_expires_s);
			osip_message_set_header(resp, "Min-Expires", min);
			csip_tx_respond(op->tx, resp);
		}
		op_free(op);
		return;
	}
	if (rc < 0) {
		r->c.bad_requests++;
		send_simple(op->tx, op->req, 400, rc == -E2BIG ? "Too Many Contacts" : "Bad Contact");
		op_free(op);
		return;
	}
	store_bindings(op);
}

void csip_registrar_handle(struct csip_registrar *r, struct csip_tx *tx, osip_message_t *req)
{
	r->c.registers++;
	if (r->closing) {
		send_simple(tx, req, 503, "Service Unavailable");
		return;
	}
	/* RFC 3261 §10.3: the AOR (To) must be a SIP or SIPS URI (RFC 4475 unksm2). */
	if (!is_sip_uri(req->req_uri) || !req->to || !is_sip_uri(req->to->url) ||
	    !cseq_number_ok(req->cseq->number)) {
		r->c.bad_requests++;
		send_simple(tx, req, 400, "Invalid AOR");
		return;
	}
	struct reg_op *op = calloc(1, sizeof(*op));
	if (!op) {
		send_simple(tx, req, 500, "Server Internal Error");
		return;
	}
	op->r = r;
	snprintf(op->aor_realm, sizeof(op->aor_realm), "%s", req->to->url->host);
	phone_source(req, csip_tx_source(tx), op);
	collect_path(req, op->path, sizeof(op->path));

	int rc = csip_credentials_parse(req, &op->cred);
	if (rc == -EINVAL) {
		free(op);
		r->c.bad_requests++;
		send_simple(tx, req, 400, "Malformed Authorization");
		return;
	}
	if (rc < 0 || strcasecmp(op->cred.realm, op->aor_realm) != 0) {
		/* No credentials, an algorithm we do not offer, or another realm's. */
		free(op);
		challenge(r, tx, req, req->to->url->host, false);
		return;
	}
	rc = csip_nonce_check(&r->key, op->aor_realm, op->cred.nonce, csip_reg_now(r),
			      (uint64_t)r->cfg.nonce_ttl_s, &op->nonce_issued);
	if (rc == -ETIMEDOUT) {
		free(op);
		challenge(r, tx, req, req->to->url->host, true);
		return;
	}
	r->busy++;
	op->tx = tx;
	csip_tx_ref(tx);
	if (rc < 0) {
		/* Not our nonce (forged, or another node's before a fail-over): counted. */
		auth_failed(op, "unknown nonce");
		challenge(r, tx, req, op->aor_realm, false);
		op_free(op);
		return;
	}
	if (osip_message_clone(req, &op->req) != 0) {
		send_simple(tx, req, 500, "Server Internal Error");
		op_free(op);
		return;
	}
	const char *params[2] = { op->aor_realm, op->cred.username };
	rc = r->pg ? cp_pg_query(r->pg, DEVICE_SQL, 2, params, device_found, op) : -EAGAIN;
	if (rc < 0) {
		r->c.store_errors++;
		send_simple(tx, req, rc == -EAGAIN ? 503 : 500,
			    rc == -EAGAIN ? "Service Unavailable" : "Server Internal Error");
		op_free(op);
	}
}
