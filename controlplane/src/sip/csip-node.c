/* Building and running the SIP node. */
#include "csip.h"

#include "bugle/log.h"

#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csip_node *csip_node_new(uv_loop_t *loop, const struct csip_node_options *o)
{
	struct csip_node *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->cfg = *o->cfg;
	struct csip_registrar_options ro = {
		.cfg = &n->cfg,
		.pg = o->pg,
		.bus = o->bus,
		.node = o->node,
		.dp_control = o->dp_control,
		.now_s = o->now_s,
		.now_arg = o->now_arg,
	};
	/* A fresh secret per start: nonces from before a restart are simply re-challenged. */
	if (csip_nonce_key_random(&ro.key) < 0 ||
	    RAND_bytes((unsigned char *)&ro.seed, sizeof(ro.seed)) != 1) {
		free(n);
		return NULL;
	}
	n->registrar = csip_registrar_new(loop, &ro);
	struct csip_stack_options so = {
		.listen = n->cfg.listen,
		.outbound_proxy = n->cfg.outbound_proxy,
		.max_transactions = (unsigned)n->cfg.max_transactions,
		.on_request = csip_route_request,
		.arg = n,
		.on_ack = csip_route_ack,
		.send = o->send,
		.send_arg = o->send_arg,
	};
	n->stack = n->registrar ? csip_stack_new(loop, &so) : NULL;
	if (!n->stack) {
		csip_registrar_close(n->registrar);
		free(n);
		return NULL;
	}
	return n;
}

void csip_node_set_call_handler(struct csip_node *n, const struct csip_call_handler *h)
{
	if (h)
		n->call = *h;
	else
		memset(&n->call, 0, sizeof(n->call));
}

int csip_node_start(struct csip_node *n)
{
	int rc = csip_registrar_start(n->registrar);
	return rc < 0 ? rc : csip_stack_start(n->stack);
}

/* One line per counter table, for operators (and tests) until counters are exported. */
static void log_counters(const struct csip_node *n)
{
	char line[1024];
	size_t pos = 0;
	struct csip_stack_counters sc;
	csip_stack_counters(n->stack, &sc);
#define CSIP_LOG_COUNTER(name, doc) bgl_log_counter(line, sizeof(line), &pos, #name, sc.name);
	CSIP_STACK_COUNTERS(CSIP_LOG_COUNTER)
#undef CSIP_LOG_COUNTER
	BGL_INFO("sip: stack counters:%s", line);
	pos = 0;
	struct csip_registrar_counters rc;
	csip_registrar_counters(n->registrar, &rc);
#define CSIP_LOG_COUNTER(name, doc) bgl_log_counter(line, sizeof(line), &pos, #name, rc.name);
	CSIP_REGISTRAR_COUNTERS(CSIP_LOG_COUNTER)
#undef CSIP_LOG_COUNTER
	BGL_INFO("sip: registrar counters:%s", line);
}

void csip_node_close(struct csip_node *n)
{
	if (!n)
		return;
	log_counters(n);
	/* The stack first: pending registrations then find their transactions gone. */
	csip_stack_close(n->stack);
	csip_registrar_close(n->registrar);
	free(n);
}
