/* Who is calling: an INVITE without credentials from an address a carrier resource lists
 * (a gateway's `server` or the resource's `ips`; the address is the one the edge saw, from the
 * Via it marked with received) is taken for that resource's account. Any other INVITE from a
 * device is challenged with 407 and its digest answer checked against the device document of
 * the account whose realm is the From host (RFC 3261 §22.3). Each lookup also reads the
 * account's `limits` document for call-limits.c. */
#include "call-int.h"
#include "call-limits.h"

#include "auth.h"
#include "bugle/log.h"
#include "cf-lookup.h"
#include "cp/pg-pool.h"
#include "digest.h"
#include "response.h"
#include "sip-stack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DEVICE_SQL                                                                          \
	"SELECT a.id, d.id, d.data->'sip'->>'password', d.data->'sip'->>'ha1'"              \
	LIMITS_COLUMN                                                                        \
	" FROM accounts a JOIN documents d ON d.account_id = a.id"                            \
	" WHERE lower(a.realm) = lower($1) AND NOT a.deleted AND a.enabled"                   \
	"  AND d.type = 'device' AND NOT d.deleted"                                           \
	"  AND d.data @> jsonb_build_object('sip', jsonb_build_object('username', $2::text))" \
	"  AND d.data->'enabled' IS DISTINCT FROM 'false'::jsonb"

/* The account's limits document, as text (NULL: none). */
#define LIMITS_COLUMN                                                                       \
	", (SELECT l.data::text FROM documents l WHERE l.account_id = a.id"                  \
	"   AND l.type = 'limits' AND NOT l.deleted ORDER BY l.id LIMIT 1)"

/* The carrier resource listing the source address; when several accounts list it, the one
 * with a callflow for the dialed number ($2: its spellings) first. A number in the registry
 * (schemas/sql/0007_numbers.sql) goes to the account holding it and no other. */
#define CARRIER_SQL                                                                         \
	"SELECT a.id, d.id" LIMITS_COLUMN                                                    \
	" FROM accounts a JOIN documents d ON d.account_id = a.id"                            \
	" WHERE NOT a.deleted AND a.enabled AND d.type = 'resource' AND NOT d.deleted"        \
	"  AND d.data->'enabled' IS DISTINCT FROM 'false'::jsonb"                             \
	"  AND (COALESCE(d.data->'ips', '[]'::jsonb) ? $1"                                    \
	"   OR EXISTS (SELECT 1 FROM jsonb_array_elements("                                   \
	"        CASE jsonb_typeof(d.data->'gateways') WHEN 'array' THEN d.data->'gateways'"  \
	"        ELSE '[]'::jsonb END) g"                                                     \
	"      WHERE g->>'server' = $1 AND g->'enabled' IS DISTINCT FROM 'false'::jsonb))"   \
	"  AND NOT EXISTS (SELECT 1 FROM numbers n WHERE n.number = ANY ($2::text[])"        \
	"   AND n.account_id <> a.id)"                                                        \
	" ORDER BY EXISTS (SELECT 1 FROM documents c WHERE c.account_id = a.id"               \
	"   AND c.type = 'callflow' AND NOT c.deleted AND c.data->'numbers' ?| $2::text[])"   \
	"  DESC, a.id, d.id LIMIT 1"

/* One INVITE while the store is asked. */
struct auth_op {
	struct call_ctl *ctl;
	struct csip_tx *tx;
	osip_message_t *req;		/* a clone: the transaction may end first */
	struct csip_credentials cred;
	char realm[256];		/* the From host, for a challenge */
};

static uint64_t now_s(void)
{
	return (uint64_t)time(NULL);
}

static void challenge(struct call_ctl *ctl, struct csip_tx *tx, const osip_message_t *req,
		      const char *realm, bool stale)
{
	char nonce[CSIP_NONCE_LEN + 1], value[512];
	if (csip_nonce_make(&ctl->key, realm, now_s(), ctl->nonce_salt++, nonce) < 0 ||
	    csip_challenge_value(CSIP_DIGEST_MD5, realm, nonce, stale, value, sizeof(value)) < 0) {
		call_reply(tx, req, 403, "Forbidden");
		return;
	}
	osip_message_t *resp = csip_response_new(req, 407, "Proxy Authentication Required", NULL);
	if (!resp)
		return;
	osip_message_set_header(resp, "Proxy-Authenticate", value);
	ctl->c.challenged++;
	csip_tx_respond(tx, resp);
}

static void op_free(struct auth_op *op)
{
	csip_tx_unref(op->tx);
	if (op->req)
		osip_message_free(op->req);
	free(op);
}

/* The caller id as received: From display name and user part. */
static void caller_id(const osip_message_t *req, struct cf_caller_id *cid)
{
	memset(cid, 0, sizeof(*cid));
	if (req->from->url && req->from->url->username)
		snprintf(cid->number, sizeof(cid->number), "%s", req->from->url->username);
	const char *name = req->from->displayname;
	if (name) {
		size_t n = strlen(name);
		if (n >= 2 && name[0] == '"' && name[n - 1] == '"')
			snprintf(cid->name, sizeof(cid->name), "%.*s", (int)(n - 2), name + 1);
		else
			snprintf(cid->name, sizeof(cid->name), "%s", name);
	}
}

static void start_call(struct auth_op *op, const char *account_id, const char *device_id,
		       const char *limits, bool carrier)
{
	struct call_ctl *ctl = op->ctl;
	struct call *call = call_new(ctl);
	char *cid = NULL;
	if (!call || osip_call_id_to_str(op->req->call_id, &cid) != 0 || !cid) {
		call_reply(op->tx, op->req, 500, "Server Internal Error");
		if (call) {
			call->a_state = CALL_A_ENDED;
			call_maybe_retire(call);
		}
		return;
	}
	snprintf(call->call_id, sizeof(call->call_id), "%s", cid);
	osip_free(cid);
	snprintf(call->account_id, sizeof(call->account_id), "%s", account_id);
	snprintf(call->device_id, sizeof(call->device_id), "%s", device_id);
	if (call_limits_parse(limits, &call->limits) < 0)
		bgl_log_call(BGL_LOG_WARN, call->call_id, account_id,
			     "call %s: account %s: limits document unreadable: no limits",
			     call->call_id, account_id);
	call->trunk_inbound = carrier; /* checked with the rest in call_route */
	caller_id(op->req, &call->cid);
	call->a_tx = op->tx;
	op->tx = NULL;
	call->a_inv = op->req;
	op->req = NULL;
	call->a_state = CALL_A_ROUTING;
	call_route(call);
}

/* A lookup that failed, or came back while the controller closes, answers 500. */
static bool lookup_failed(struct auth_op *op, const char *error, const char *what)
{
	struct call_ctl *ctl = op->ctl;
	if (!error && !ctl->closing)
		return false;
	ctl->c.store_errors++;
	if (error)
		BGL_WARN("call: %s lookup failed: %s", what, error);
	call_reply(op->tx, op->req, 500, "Server Internal Error");
	return true;
}

static void device_found(void *arg, const PGresult *res, const char *error)
{
	struct auth_op *op = arg;
	struct call_ctl *ctl = op->ctl;
	if (lookup_failed(op, error, "device")) {
		op_free(op);
		return;
	}
	char ha1[CSIP_DIGEST_HEX_MAX] = "", expect[CSIP_DIGEST_HEX_MAX];
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 2))
		csip_digest_ha1(op->cred.alg, op->cred.username, op->cred.realm,
				PQgetvalue(res, 0, 2), ha1);
	else if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 3) && op->cred.alg == CSIP_DIGEST_MD5)
		snprintf(ha1, sizeof(ha1), "%s", PQgetvalue(res, 0, 3));
	if (!ha1[0] ||
	    csip_digest_response(op->cred.alg, ha1, op->cred.nonce, op->cred.nc, op->cred.cnonce,
				 op->cred.qop, "INVITE", op->cred.uri, expect) < 0 ||
	    !csip_digest_equal(expect, op->cred.response)) {
		ctl->c.auth_failed++;
		call_reply(op->tx, op->req, 403, "Forbidden");
		op_free(op);
		return;
	}
	start_call(op, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
		   PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4), false);
	op_free(op);
}

static void carrier_found(void *arg, const PGresult *res, const char *error)
{
	struct auth_op *op = arg;
	struct call_ctl *ctl = op->ctl;
	if (lookup_failed(op, error, "carrier")) {
		/* answered */
	} else if (PQntuples(res) != 1) {
		challenge(ctl, op->tx, op->req, op->realm, false);
	} else {
		ctl->c.carrier_inbound++;
		start_call(op, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
			   PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2), true);
	}
	op_free(op);
}

/* The address the INVITE came from: the edge puts its own Via on top and marks the sender's,
 * second, with received; a request straight to us has only the sender's Via and our socket
 * saw its address. Never From, which the sender writes. */
static int source_address(const struct csip_tx *tx, const osip_message_t *req, char *out,
			  size_t cap)
{
	osip_via_t *via = osip_list_get(&req->vias, 1);
	if (!via) {
		const struct sockaddr_in *src = csip_tx_source(tx);
		return src && inet_ntop(AF_INET, &src->sin_addr, out, (socklen_t)cap) ? 0 : -EINVAL;
	}
	osip_generic_param_t *received = NULL;
	osip_via_param_get_byname(via, "received", &received);
	const char *host = received && received->gvalue ? received->gvalue : via->host;
	struct in_addr a;
	if (!host || inet_pton(AF_INET, host, &a) != 1)
		return -EINVAL;
	snprintf(out, cap, "%s", host);
	return 0;
}

/* The dialed number's spellings as a PostgreSQL text[] literal ("{}" when it has none). */
static void dialed_forms(const osip_message_t *req, char *out, size_t cap)
{
	char norm[CF_NUMBER_MAX], forms[8][CF_NUMBER_MAX];
	size_t n = 0, pos = 0;
	const char *user = req->req_uri ? req->req_uri->username : NULL;
	if (user && cf_number_normalize(user, norm, sizeof(norm)) == 0)
		n = cf_number_forms(norm, forms, 8);
	pos = (size_t)snprintf(out, cap, "{");
	for (size_t i = 0; i < n && pos < cap; i++) {
		bool plain = strspn(forms[i], "+0123456789*#") == strlen(forms[i]);
		if (plain)
			pos += (size_t)snprintf(out + pos, cap - pos, "%s\"%s\"", pos > 1 ? "," : "",
						forms[i]);
	}
	if (pos + 2 > cap)
		pos = 1; /* cannot happen with 8 forms of 64: keep the literal valid anyway */
	snprintf(out + pos, cap - pos, "}");
}

/* No credentials: a carrier's address, else the 407. */
static void carrier_or_challenge(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req,
				 const char *realm)
{
	char source[INET_ADDRSTRLEN], forms[8 * (CF_NUMBER_MAX + 3) + 3];
	struct auth_op *op = NULL;
	if (!ctl->pg || source_address(tx, req, source, sizeof(source)) < 0 ||
	    !(op = calloc(1, sizeof(*op)))) {
		challenge(ctl, tx, req, realm, false);
		return;
	}
	op->ctl = ctl;
	snprintf(op->realm, sizeof(op->realm), "%s", realm);
	op->tx = tx;
	csip_tx_ref(tx);
	if (osip_message_clone(req, &op->req) != 0) {
		call_reply(tx, req, 500, "Server Internal Error");
		op_free(op);
		return;
	}
	dialed_forms(req, forms, sizeof(forms));
	const char *params[2] = { source, forms };
	if (cp_pg_query(ctl->pg, CARRIER_SQL, 2, params, carrier_found, op) < 0) {
		ctl->c.store_errors++;
		call_reply(tx, req, 503, "Service Unavailable");
		op_free(op);
	}
}

static bool has_sdp_offer(const osip_message_t *req, struct call_sdp_audio *a)
{
	osip_body_t *body = NULL;
	osip_content_type_t *ct = osip_message_get_content_type(req);
	if (!ct || !ct->type || !ct->subtype || strcasecmp(ct->type, "application") != 0 ||
	    strcasecmp(ct->subtype, "sdp") != 0)
		return false;
	if (osip_message_get_body(req, 0, &body) < 0 || !body || !body->body)
		return false;
	return body->length < CALL_SDP_MAX && call_sdp_parse(body->body, body->length, a) == 0;
}

void call_auth_invite(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req)
{
	ctl->c.invites++;
	osip_generic_param_t *tag = NULL;
	if (req->to && osip_to_get_tag(req->to, &tag) == 0 && tag) {
		call_on_reinvite(ctl, tx, req); /* in a dialog: hold, unhold, new media */
		return;
	}
	struct call_sdp_audio a;
	/* no body at all is a delayed offer (call-late.c); an unusable one is refused */
	if (!req->from || !req->from->url || !req->from->url->host ||
	    (!has_sdp_offer(req, &a) && !call_invite_without_offer(req))) {
		ctl->c.no_sdp++;
		call_reply(tx, req, 488, "Not Acceptable Here");
		return;
	}
	const char *realm = req->from->url->host;
	/* 100 at once: the caller stops retransmitting while the store and the engine work. */
	call_reply(tx, req, 100, "Trying");
	struct auth_op *op = calloc(1, sizeof(*op));
	if (!op) {
		call_reply(tx, req, 500, "Server Internal Error");
		return;
	}
	op->ctl = ctl;
	int rc = csip_proxy_credentials_parse(req, &op->cred);
	if (rc == -EINVAL) {
		free(op);
		call_reply(tx, req, 400, "Malformed Proxy-Authorization");
		return;
	}
	if (rc == -ENOENT) {
		free(op);
		carrier_or_challenge(ctl, tx, req, realm);
		return;
	}
	if (rc < 0 || strcasecmp(op->cred.realm, realm) != 0) {
		free(op);
		challenge(ctl, tx, req, realm, false);
		return;
	}
	uint64_t issued = 0;
	rc = csip_nonce_check(&ctl->key, realm, op->cred.nonce, now_s(), ctl->nonce_ttl_s, &issued);
	if (rc < 0) {
		free(op);
		if (rc != -ETIMEDOUT)
			ctl->c.auth_failed++;
		challenge(ctl, tx, req, realm, rc == -ETIMEDOUT);
		return;
	}
	op->tx = tx;
	csip_tx_ref(tx);
	if (osip_message_clone(req, &op->req) != 0) {
		call_reply(tx, req, 500, "Server Internal Error");
		op_free(op);
		return;
	}
	const char *params[2] = { realm, op->cred.username };
	rc = ctl->pg ? cp_pg_query(ctl->pg, DEVICE_SQL, 2, params, device_found, op) : -EAGAIN;
	if (rc < 0) {
		ctl->c.store_errors++;
		call_reply(tx, req, 503, "Service Unavailable");
		op_free(op);
	}
}
