/* Requests to handlers, by method, from one table. */
#include "csip.h"

#include "response.h"

#include <osipparser2/osip_parser.h>
#include <string.h>
#include <strings.h>

typedef void (*route_fn)(struct csip_node *n, struct csip_tx *tx, osip_message_t *req);

static void route_register(struct csip_node *n, struct csip_tx *tx, osip_message_t *req)
{
	csip_registrar_handle(n->registrar, tx, req);
}

/* The edge's health probe and anyone else's: we are up. */
static void route_options(struct csip_node *n, struct csip_tx *tx, osip_message_t *req)
{
	osip_message_t *resp = csip_response_new(req, 200, "OK", NULL);
	if (!resp)
		return;
	osip_message_set_allow(resp, "REGISTER, OPTIONS");
	n->options_answered++;
	csip_tx_respond(tx, resp);
}

/* Calls belong to the call controller (controlplane/src/call) once it has hooked in. */
static void route_call(struct csip_node *n, struct csip_tx *tx, osip_message_t *req)
{
	if (n->call.on_request) {
		n->call.on_request(n->call.arg, tx, req);
		return;
	}
	n->not_implemented++;
	osip_message_t *resp = csip_response_new(req, 501, "Not Implemented", NULL);
	if (resp) {
		osip_message_set_allow(resp, "REGISTER, OPTIONS");
		csip_tx_respond(tx, resp);
	}
}

void csip_route_ack(void *node, const osip_message_t *ack)
{
	struct csip_node *n = node;
	if (n->call.on_ack)
		n->call.on_ack(n->call.arg, ack);
}

static const struct {
	const char *method;
	route_fn fn;
} routes[] = {
	{ "REGISTER", route_register },
	{ "OPTIONS", route_options },
	{ "INVITE", route_call },
	{ "BYE", route_call },
	{ "CANCEL", route_call },
	{ "UPDATE", route_call },
};

void csip_route_request(void *node, struct csip_tx *tx, osip_message_t *req)
{
	struct csip_node *n = node;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (req->sip_method && strcasecmp(req->sip_method, routes[i].method) == 0) {
			routes[i].fn(n, tx, req);
			return;
		}
	n->not_implemented++;
	osip_message_t *resp = csip_response_new(req, 501, "Not Implemented", NULL);
	if (resp) {
		osip_message_set_allow(resp, "REGISTER, OPTIONS");
		csip_tx_respond(tx, resp);
	}
}
