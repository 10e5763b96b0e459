/* The control plane's SIP input: every datagram goes through the stack (parser, stateless
 * answers, transactions, the router and the registrar up to the store), then the contact and
 * credential readers run on whatever libosip2 accepted. A fresh node per input keeps runs
 * independent and checks that closing frees everything. Nothing is sent: answers are counted
 * by a send hook. */
#include <osipparser2/osip_parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "contact.h"
#include "csip-config.h"
#include "csip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int discard(void *arg, const char *buf, size_t len, const struct sockaddr_in *to)
{
	(void)to;
	/* Every answer must be a SIP response. */
	if (len < 8 || memcmp(buf, "SIP/2.0 ", 8) != 0)
		abort();
	(*(size_t *)arg)++;
	return 0;
}

static void through_node(const uint8_t *data, size_t size)
{
	uv_loop_t loop;
	if (uv_loop_init(&loop) != 0)
		return;
	struct csip_config cfg;
	struct bgl_settings_error err;
	if (csip_config_defaults(&cfg, "127.0.0.1:0", &err) != 0)
		abort();
	size_t sent = 0;
	struct csip_node_options o = {
		.cfg = &cfg, .node = "fuzz", .dp_control = "", .send = discard, .send_arg = &sent,
	};
	struct csip_node *n = csip_node_new(&loop, &o);
	if (!n)
		abort();
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(5060) };
	src.sin_addr.s_addr = htonl(0xc6336401); /* 198.51.100.1, the edge */
	csip_stack_input(n->stack, (const char *)data, size, &src);
	csip_stack_input(n->stack, (const char *)data, size, &src); /* a retransmission */
	csip_stack_run(n->stack);
	csip_node_close(n);
	while (uv_run(&loop, UV_RUN_NOWAIT))
		;
	uv_loop_close(&loop);
}

static void readers(const uint8_t *data, size_t size)
{
	osip_message_t *m = NULL;
	if (osip_message_init(&m) != 0)
		return;
	if (osip_message_parse(m, (const char *)data, size) == 0) {
		struct csip_contact_set cs;
		struct csip_expiry_rules rules = { .def_s = 300, .min_s = 60, .max_s = 3600 };
		csip_contacts_parse(m, &rules, &cs);
		struct csip_credentials c;
		csip_credentials_parse(m, &c);
	}
	osip_message_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		parser_init();
		ready = 1;
	}
	through_node(data, size);
	readers(data, size);
	return 0;
}
