/* Requests the control plane sends toward phones: a client transaction whose every datagram
 * goes to the outbound proxy (the data plane's internal address), with our Via on top and a
 * Route toward the target, and one final outcome reported to the caller. */
#include "sip-stack-int.h"

#include "bugle/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/rand.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csip_outbound_finish(struct csip_tx *tx, int status, const osip_message_t *resp)
{
	if (!tx->on_final || tx->final_done)
		return;
	tx->final_done = true;
	tx->on_final(tx->final_arg, status, resp);
}

static void final_response(int type, osip_transaction_t *tr, osip_message_t *resp)
{
	(void)type;
	struct csip_tx *tx = osip_transaction_get_your_instance(tr);
	if (tx && resp)
		csip_outbound_finish(tx, resp->status_code, resp);
}

static void provisional(int type, osip_transaction_t *tr, osip_message_t *resp)
{
	(void)type;
	struct csip_tx *tx = osip_transaction_get_your_instance(tr);
	if (tx && resp && tx->on_provisional && !tx->final_done && resp->status_code > 100)
		tx->on_provisional(tx->final_arg, resp);
}

static void timed_out(int type, osip_transaction_t *tr, osip_message_t *msg)
{
	(void)type;
	(void)msg;
	struct csip_tx *tx = osip_transaction_get_your_instance(tr);
	if (tx)
		csip_outbound_finish(tx, 408, NULL);
}

static void transport_error(int type, osip_transaction_t *tr, int error)
{
	(void)type;
	(void)error;
	struct csip_tx *tx = osip_transaction_get_your_instance(tr);
	if (tx)
		csip_outbound_finish(tx, 503, NULL);
}

void csip_outbound_register_callbacks(osip_t *osip)
{
	static const int finals[] = {
		OSIP_ICT_STATUS_2XX_RECEIVED,  OSIP_ICT_STATUS_3XX_RECEIVED,
		OSIP_ICT_STATUS_4XX_RECEIVED,  OSIP_ICT_STATUS_5XX_RECEIVED,
		OSIP_ICT_STATUS_6XX_RECEIVED,  OSIP_NICT_STATUS_2XX_RECEIVED,
		OSIP_NICT_STATUS_3XX_RECEIVED, OSIP_NICT_STATUS_4XX_RECEIVED,
		OSIP_NICT_STATUS_5XX_RECEIVED, OSIP_NICT_STATUS_6XX_RECEIVED,
	};
	for (size_t i = 0; i < sizeof(finals) / sizeof(finals[0]); i++)
		osip_set_message_callback(osip, finals[i], final_response);
	osip_set_message_callback(osip, OSIP_ICT_STATUS_1XX_RECEIVED, provisional);
	osip_set_message_callback(osip, OSIP_ICT_STATUS_TIMEOUT, timed_out);
	osip_set_message_callback(osip, OSIP_NICT_STATUS_TIMEOUT, timed_out);
	osip_set_transport_error_callback(osip, OSIP_ICT_TRANSPORT_ERROR, transport_error);
	osip_set_transport_error_callback(osip, OSIP_NICT_TRANSPORT_ERROR, transport_error);
}

static int add_top_via(struct csip_stack *st, osip_message_t *req)
{
	unsigned char rnd[8];
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return -EIO;
	char ip[INET_ADDRSTRLEN], text[160];
	inet_ntop(AF_INET, &st->local.sin_addr, ip, sizeof(ip));
	int n = snprintf(text, sizeof(text), "SIP/2.0/UDP %s:%u;branch=z9hG4bK", ip,
			 ntohs(st->local.sin_port));
	for (int i = 0; i < 8; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%02x", rnd[i]);
	snprintf(text + n, sizeof(text) - (size_t)n, ";rport");
	osip_via_t *via = NULL;
	if (osip_via_init(&via) != 0)
		return -ENOMEM;
	if (osip_via_parse(via, text) != 0 || osip_list_add(&req->vias, via, 0) < 0) {
		osip_via_free(via);
		return -EINVAL;
	}
	return 0;
}

static int add_first_route(osip_message_t *req, const char *route)
{
	osip_route_t *r = NULL;
	if (osip_route_init(&r) != 0)
		return -ENOMEM;
	if (osip_route_parse(r, route) != 0 || osip_list_add(&req->routes, r, 0) < 0) {
		osip_route_free(r);
		return -EINVAL;
	}
	return 0;
}

/* What a client transaction starts with besides the request. */
struct client_start {
	const char *route;
	bool keep_via;			/* CANCEL: the INVITE's Via is already on top */
	csip_provisional_fn on_provisional;
	csip_response_fn cb;
	void *arg;
	struct csip_tx **out;		/* a referenced handle for the caller, or NULL */
};

static int start_client(struct csip_stack *st, osip_message_t *req, const struct client_start *cs)
{
	int rc = 0;
	if (st->closing || st->fd < 0) {
		rc = -ESHUTDOWN;
	} else if (!MSG_IS_REQUEST(req) || MSG_IS_ACK(req) || !req->req_uri || !req->call_id ||
		   !req->cseq || !req->from || !req->to) {
		rc = -EINVAL;
	} else if (st->c.transactions_live >= st->opt.max_transactions) {
		st->c.tx_overload++;
		rc = -EBUSY;
	} else if (!cs->keep_via && (rc = add_top_via(st, req)) == 0 && cs->route) {
		rc = add_first_route(req, cs->route);
	}
	struct csip_tx *tx = rc == 0 ? calloc(1, sizeof(*tx)) : NULL;
	if (rc == 0 && !tx)
		rc = -ENOMEM;
	osip_transaction_t *tr = NULL;
	bool invite = rc == 0 && MSG_IS_INVITE(req);
	if (rc == 0 && osip_transaction_init(&tr, invite ? ICT : NICT, st->osip, req) != 0)
		rc = -ENOMEM;
	if (rc < 0) {
		free(tx);
		osip_message_free(req);
		return rc;
	}
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &st->outbound.sin_addr, ip, sizeof(ip));
	int port = ntohs(st->outbound.sin_port);
	if (invite)
		osip_ict_set_destination(tr->ict_context, osip_strdup(ip), port);
	else
		osip_nict_set_destination(tr->nict_context, osip_strdup(ip), port);
	tx->st = st;
	tx->tr = tr;
	tx->src = st->outbound;
	tx->refs = 1;
	tx->on_provisional = cs->on_provisional;
	tx->on_final = cs->cb;
	tx->final_arg = cs->arg;
	osip_transaction_set_your_instance(tr, tx);
	if (cs->out) {
		tx->refs++;
		*cs->out = tx;
	}
	st->c.requests_sent++;
	st->c.transactions_live++;
	osip_event_t *ev = osip_new_outgoing_sipmessage(req);
	ev->transactionid = tr->transactionid;
	csip_stack_queue_event(st, tr, ev);
	csip_stack_run_queued(st);
	return 0;
}

int csip_stack_send_request(struct csip_stack *st, osip_message_t *req, const char *route,
			    csip_response_fn cb, void *arg)
{
	struct client_start cs = { .route = route, .cb = cb, .arg = arg };
	return start_client(st, req, &cs);
}

int csip_stack_send_invite(struct csip_stack *st, osip_message_t *req, const char *route,
			   csip_provisional_fn on_provisional, csip_response_fn cb, void *arg,
			   struct csip_tx **out)
{
	*out = NULL;
	if (!MSG_IS_INVITE(req)) {
		osip_message_free(req);
		return -EINVAL;
	}
	struct client_start cs = { .route = route, .on_provisional = on_provisional, .cb = cb,
				   .arg = arg, .out = out };
	return start_client(st, req, &cs);
}

/* The CANCEL of an INVITE: its Request-URI, Call-ID, From, To, CSeq number, top Via and
 * Route set (RFC 3261 §9.1). */
static osip_message_t *cancel_of(const osip_message_t *inv)
{
	osip_message_t *c = NULL;
	if (osip_message_init(&c) != 0)
		return NULL;
	osip_via_t *via = osip_list_get(&inv->vias, 0);
	osip_via_t *via2 = NULL;
	bool ok = via && osip_via_clone(via, &via2) == 0 &&
		  osip_list_add(&c->vias, via2, -1) >= 0;
	if (!ok)
		osip_via_free(via2);
	osip_message_set_method(c, osip_strdup("CANCEL"));
	osip_message_set_version(c, osip_strdup("SIP/2.0"));
	ok = ok && osip_uri_clone(inv->req_uri, &c->req_uri) == 0 &&
	     osip_from_clone(inv->from, &c->from) == 0 && osip_to_clone(inv->to, &c->to) == 0 &&
	     osip_call_id_clone(inv->call_id, &c->call_id) == 0 &&
	     osip_cseq_init(&c->cseq) == 0;
	if (ok) {
		osip_cseq_set_number(c->cseq, osip_strdup(inv->cseq->number));
		osip_cseq_set_method(c->cseq, osip_strdup("CANCEL"));
		ok = osip_list_clone(&inv->routes, &c->routes,
				     (int (*)(void *, void **))osip_route_clone) == 0 &&
		     osip_message_set_max_forwards(c, "70") == 0;
	}
	if (!ok) {
		osip_message_free(c);
		return NULL;
	}
	return c;
}

int csip_stack_cancel(struct csip_stack *st, struct csip_tx *invite, csip_response_fn cb,
		      void *arg)
{
	if (!invite->tr || invite->final_done || !invite->tr->orig_request)
		return -EALREADY;
	osip_message_t *c = cancel_of(invite->tr->orig_request);
	if (!c)
		return -ENOMEM;
	struct client_start cs = { .keep_via = true, .cb = cb, .arg = arg };
	return start_client(st, c, &cs);
}

int csip_stack_send_raw(struct csip_stack *st, const char *buf, size_t len,
			const struct sockaddr_in *to)
{
	if (st->closing)
		return -ESHUTDOWN;
	return csip_udp_send(st, buf, len, to);
}

int csip_stack_send_ack(struct csip_stack *st, osip_message_t *ack, const char *route)
{
	int rc = 0;
	if (st->closing || st->fd < 0)
		rc = -ESHUTDOWN;
	else if (!MSG_IS_ACK(ack) || !ack->req_uri)
		rc = -EINVAL;
	else if ((rc = add_top_via(st, ack)) == 0 && route)
		rc = add_first_route(ack, route);
	char *text = NULL;
	size_t len = 0;
	if (rc == 0 && (osip_message_to_str(ack, &text, &len) != 0 || !text))
		rc = -ENOMEM;
	if (rc == 0) {
		rc = csip_udp_send(st, text, len, &st->outbound);
		osip_free(text);
	}
	osip_message_free(ack);
	return rc < 0 ? rc : 0;
}
