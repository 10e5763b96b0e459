/* Dialog state from INVITEs and their answers, and the requests the B2BUA sends in them. */
#include "call-dialog.h"

#include <errno.h>
#include <stdbool.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int copy(char *dst, size_t cap, const char *src)
{
	if (!src)
		return -EINVAL;
	int n = snprintf(dst, cap, "%s", src);
	return n >= 0 && (size_t)n < cap ? 0 : -ENOBUFS;
}

static int uri_text(const osip_uri_t *u, char *dst, size_t cap)
{
	char *s = NULL;
	if (!u || osip_uri_to_str(u, &s) != 0 || !s)
		return -EINVAL;
	int rc = copy(dst, cap, s);
	osip_free(s);
	return rc;
}

static int tag_of(const osip_from_t *f, char *dst, size_t cap)
{
	osip_generic_param_t *tag = NULL;
	if (osip_from_get_tag((osip_from_t *)f, &tag) != 0 || !tag || !tag->gvalue)
		return -EINVAL;
	return copy(dst, cap, tag->gvalue);
}

static int contact_target(const osip_message_t *m, char *dst, size_t cap)
{
	osip_contact_t *c = NULL;
	if (osip_message_get_contact(m, 0, &c) < 0 || !c)
		return -EINVAL;
	return uri_text(c->url, dst, cap);
}

static int record_routes(const osip_message_t *m, struct call_dialog *d, int reverse)
{
	int n = osip_list_size(&m->record_routes);
	if (n > CALL_DIALOG_ROUTES_MAX)
		return -ENOBUFS;
	d->n_routes = 0;
	for (int i = 0; i < n; i++) {
		osip_record_route_t *rr = osip_list_get(&m->record_routes, reverse ? n - 1 - i : i);
		char *s = NULL;
		if (osip_record_route_to_str(rr, &s) != 0 || !s)
			return -EINVAL;
		int rc = copy(d->routes[d->n_routes++], CALL_URI_MAX, s);
		osip_free(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The INVITE's Call-ID, the dialog's for both sides. */
static int copy_call_id(const osip_message_t *inv, struct call_dialog *d)
{
	char *cid = NULL;
	if (osip_call_id_to_str(inv->call_id, &cid) != 0 || !cid)
		return -EINVAL;
	int rc = copy(d->call_id, sizeof(d->call_id), cid);
	osip_free(cid);
	return rc;
}

int call_dialog_from_request(const osip_message_t *inv, const char *local_tag,
			     struct call_dialog *d)
{
	memset(d, 0, sizeof(*d));
	if (!inv->call_id || !inv->from || !inv->to || !inv->call_id->number)
		return -EINVAL;
	int rc = copy_call_id(inv, d);
	if (rc == 0)
		rc = uri_text(inv->to->url, d->local_uri, sizeof(d->local_uri));
	if (rc == 0)
		rc = copy(d->local_tag, sizeof(d->local_tag), local_tag);
	if (rc == 0)
		rc = uri_text(inv->from->url, d->remote_uri, sizeof(d->remote_uri));
	if (rc == 0)
		rc = tag_of(inv->from, d->remote_tag, sizeof(d->remote_tag));
	if (rc == 0)
		rc = contact_target(inv, d->remote_target, sizeof(d->remote_target));
	if (rc == 0)
		rc = record_routes(inv, d, 0);
	return rc;
}

int call_dialog_from_response(const osip_message_t *inv, const osip_message_t *resp,
			      struct call_dialog *d)
{
	memset(d, 0, sizeof(*d));
	if (!inv->call_id || !inv->from || !resp->to || !inv->cseq)
		return -EINVAL;
	int rc = copy_call_id(inv, d);
	if (rc == 0)
		rc = uri_text(inv->from->url, d->local_uri, sizeof(d->local_uri));
	if (rc == 0)
		rc = tag_of(inv->from, d->local_tag, sizeof(d->local_tag));
	if (rc == 0)
		rc = uri_text(resp->to->url, d->remote_uri, sizeof(d->remote_uri));
	if (rc == 0)
		rc = tag_of(resp->to, d->remote_tag, sizeof(d->remote_tag));
	if (rc == 0)
		rc = contact_target(resp, d->remote_target, sizeof(d->remote_target));
	if (rc == 0)
		rc = record_routes(resp, d, 1);
	d->local_cseq = (uint32_t)strtoul(inv->cseq->number, NULL, 10);
	return rc;
}

/* A request skeleton: method, Request-URI, Call-ID, CSeq, Max-Forwards. */
static osip_message_t *request_new(const char *method, const char *target, const char *call_id,
				   uint32_t cseq, const char *max_forwards)
{
	osip_message_t *m = NULL;
	osip_uri_t *uri = NULL;
	if (osip_message_init(&m) != 0)
		return NULL;
	char num[16];
	snprintf(num, sizeof(num), "%u", cseq);
	osip_message_set_method(m, osip_strdup(method));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	bool ok = osip_uri_init(&uri) == 0 && osip_uri_parse(uri, target) == 0;
	if (ok) {
		osip_message_set_uri(m, uri);
		uri = NULL;
	}
	ok = ok && osip_message_set_call_id(m, call_id) == 0 && osip_cseq_init(&m->cseq) == 0;
	if (ok) {
		osip_cseq_set_number(m->cseq, osip_strdup(num));
		osip_cseq_set_method(m->cseq, osip_strdup(method));
		ok = osip_message_set_max_forwards(m, max_forwards) == 0;
	}
	osip_uri_free(uri);
	if (!ok) {
		osip_message_free(m);
		return NULL;
	}
	return m;
}

static int set_party(osip_message_t *m, bool from, const char *uri, const char *tag)
{
	char text[CALL_URI_MAX + 96];
	int n = tag && tag[0] ? snprintf(text, sizeof(text), "<%s>;tag=%s", uri, tag)
			      : snprintf(text, sizeof(text), "<%s>", uri);
	if (n < 0 || (size_t)n >= sizeof(text))
		return -ENOBUFS;
	return (from ? osip_message_set_from(m, text) : osip_message_set_to(m, text)) == 0
		       ? 0
		       : -EINVAL;
}

static int add_routes(osip_message_t *m, const struct call_dialog *d)
{
	for (unsigned i = 0; i < d->n_routes; i++)
		if (osip_message_set_route(m, d->routes[i]) != 0)
			return -EINVAL;
	return 0;
}

osip_message_t *call_ack_new(const struct call_dialog *d, const osip_message_t *inv)
{
	if (!inv->cseq || !inv->cseq->number)
		return NULL;
	uint32_t cseq = (uint32_t)strtoul(inv->cseq->number, NULL, 10);
	osip_message_t *m = request_new("ACK", d->remote_target, d->call_id, cseq, "70");
	if (!m)
		return NULL;
	if (set_party(m, true, d->local_uri, d->local_tag) < 0 ||
	    set_party(m, false, d->remote_uri, d->remote_tag) < 0 || add_routes(m, d) < 0) {
		osip_message_free(m);
		return NULL;
	}
	return m;
}

osip_message_t *call_in_dialog_new(struct call_dialog *d, const char *method,
				   const char *contact)
{
	osip_message_t *m =
		request_new(method, d->remote_target, d->call_id, d->local_cseq + 1, "70");
	if (!m)
		return NULL;
	if (set_party(m, true, d->local_uri, d->local_tag) < 0 ||
	    set_party(m, false, d->remote_uri, d->remote_tag) < 0 || add_routes(m, d) < 0 ||
	    (contact && osip_message_set_contact(m, contact) != 0)) {
		osip_message_free(m);
		return NULL;
	}
	d->local_cseq++;
	return m;
}

/* Caller id goes in the From display name and user part, as phones show it. */
static int b_from(osip_message_t *m, const osip_message_t *a_inv, const struct call_b_invite *o)
{
	osip_from_t *f = NULL;
	if (osip_from_clone(a_inv->from, &f) != 0)
		return -ENOMEM;
	/* A's tag is A's: the B-leg gets ours. */
	osip_uri_param_freelist(&f->gen_params);
	osip_from_set_tag(f, osip_strdup(o->from_tag));
	if (o->caller_name && o->caller_name[0] && !strpbrk(o->caller_name, "\"\\\r\n")) {
		char quoted[96];
		snprintf(quoted, sizeof(quoted), "\"%s\"", o->caller_name);
		osip_free(f->displayname);
		f->displayname = osip_strdup(quoted);
	}
	if (o->caller_number && o->caller_number[0] && f->url) {
		osip_free(f->url->username);
		f->url->username = osip_strdup(o->caller_number);
	}
	m->from = f;
	return 0;
}

osip_message_t *call_b_invite_new(const osip_message_t *a_inv, const struct call_b_invite *o)
{
	if (!a_inv->from || !a_inv->to || !a_inv->to->url)
		return NULL;
	char mf[24] = "70";
	osip_header_t *h = NULL;
	if (osip_message_get_max_forwards(a_inv, 0, &h) >= 0 && h && h->hvalue) {
		long v = strtol(h->hvalue, NULL, 10);
		if (v <= 0)
			return NULL;
		snprintf(mf, sizeof(mf), "%ld", v - 1);
	}
	osip_message_t *m = request_new("INVITE", o->target, o->call_id, 1, mf);
	if (!m)
		return NULL;
	char to[CALL_URI_MAX];
	bool ok = b_from(m, a_inv, o) == 0 &&
		  uri_text(a_inv->to->url, to, sizeof(to)) == 0 &&
		  set_party(m, false, to, NULL) == 0 &&
		  osip_message_set_contact(m, o->contact) == 0;
	if (ok && o->sdp) {
		ok = osip_message_set_content_type(m, "application/sdp") == 0 &&
		     osip_message_set_body(m, o->sdp, strlen(o->sdp)) == 0;
	}
	if (!ok) {
		osip_message_free(m);
		return NULL;
	}
	return m;
}
