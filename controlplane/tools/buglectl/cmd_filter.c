/* buglectl bans|filter|dispatcher ...: the data plane's flood filter and control-plane set,
 * over its control channel. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buglectl.h"
#include "dataplane.pb-c.h"

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int print_bans(const struct ctl_options *opt, ProtobufCMessage *msg)
{
	Bugle__Dp__BanListReply *r = (Bugle__Dp__BanListReply *)msg;
	json_t *bans = json_array();
	for (size_t i = 0; i < r->n_bans; i++)
		json_array_append_new(bans, json_pack("{s:s, s:I, s:s}", "source", r->bans[i]->source,
						      "seconds", (json_int_t)r->bans[i]->seconds,
						      "reason", r->bans[i]->reason));
	protobuf_c_message_free_unpacked(msg, NULL);
	ctl_print(opt, json_pack("{s:o}", "bans", bans));
	return CTL_OK;
}

typedef int reply_printer(const struct ctl_options *opt, ProtobufCMessage *reply);

/* Calls method with req on the data plane and prints its reply (of type desc) with print. */
static int call_and_print(const struct ctl_options *opt, Bugle__Dp__Method method,
			  const ProtobufCMessage *req, const ProtobufCMessageDescriptor *desc,
			  reply_printer *print)
{
	ProtobufCMessage *reply = NULL;
	int rc = ctl_call(opt, opt->control, method, req, desc, &reply);
	return rc == CTL_OK ? print(opt, reply) : rc;
}

static int bans_call(const struct ctl_options *opt, Bugle__Dp__Method method,
		     const ProtobufCMessage *req)
{
	return call_and_print(opt, method, req, &bugle__dp__ban_list_reply__descriptor, print_bans);
}

static int cmd_bans_list(const struct ctl_options *opt, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return ctl_error(opt, CTL_USAGE, "usage: bans list");
	Bugle__Dp__Empty req = BUGLE__DP__EMPTY__INIT;
	return bans_call(opt, BUGLE__DP__METHOD__METHOD_BAN_LIST, &req.base);
}

static int cmd_bans_add(const struct ctl_options *opt, int argc, char **argv)
{
	Bugle__Dp__Ban req = BUGLE__DP__BAN__INIT;
	if (argc < 1 || argc > 2 || (argc == 2 && !parse_u32(argv[1], &req.seconds)))
		return ctl_error(opt, CTL_USAGE, "usage: bans add IP [SECONDS] (0 or none: permanent)");
	req.source = argv[0];
	req.reason = "operator";
	return bans_call(opt, BUGLE__DP__METHOD__METHOD_BAN_ADD, &req.base);
}

static int cmd_bans_del(const struct ctl_options *opt, int argc, char **argv)
{
	Bugle__Dp__Ban req = BUGLE__DP__BAN__INIT;
	if (argc != 1)
		return ctl_error(opt, CTL_USAGE, "usage: bans del IP");
	req.source = argv[0];
	return bans_call(opt, BUGLE__DP__METHOD__METHOD_BAN_REMOVE, &req.base);
}

static json_t *str_array(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* The policy's numeric settings, shown by filter show and changed by filter set KEY=VALUE. */
static const struct {
	const char *key;
	size_t offset;	/* of its uint32_t in Bugle__Dp__FilterPolicy */
} policy_numbers[] = {
	{ "density_requests", offsetof(Bugle__Dp__FilterPolicy, density_requests) },
	{ "density_window_ms", offsetof(Bugle__Dp__FilterPolicy, density_window_ms) },
	{ "ban_seconds", offsetof(Bugle__Dp__FilterPolicy, ban_seconds) },
	{ "register_per_second", offsetof(Bugle__Dp__FilterPolicy, register_per_second) },
	{ "invite_per_second", offsetof(Bugle__Dp__FilterPolicy, invite_per_second) },
};
#define POLICY_NUMBERS (sizeof(policy_numbers) / sizeof(policy_numbers[0]))

static uint32_t *policy_number(Bugle__Dp__FilterPolicy *p, size_t i)
{
	return (uint32_t *)((char *)p + policy_numbers[i].offset);
}

static int print_policy(const struct ctl_options *opt, ProtobufCMessage *msg)
{
	Bugle__Dp__FilterPolicy *p = (Bugle__Dp__FilterPolicy *)msg;
	json_t *doc = json_object();
	for (size_t i = 0; i < POLICY_NUMBERS; i++)
		json_object_set_new(doc, policy_numbers[i].key,
				    json_integer((json_int_t)*policy_number(p, i)));
	json_object_set_new(doc, "scanner_user_agents",
			    str_array(p->scanner_user_agents, p->n_scanner_user_agents));
	json_object_set_new(doc, "allow_sources", str_array(p->allow_sources, p->n_allow_sources));
	protobuf_c_message_free_unpacked(msg, NULL);
	ctl_print(opt, doc);
	return CTL_OK;
}

static int cmd_filter_show(const struct ctl_options *opt, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return ctl_error(opt, CTL_USAGE, "usage: filter show");
	Bugle__Dp__FilterPolicyRequest req = BUGLE__DP__FILTER_POLICY_REQUEST__INIT;
	return call_and_print(opt, BUGLE__DP__METHOD__METHOD_GET_FILTER_POLICY, &req.base,
			      &bugle__dp__filter_policy__descriptor, print_policy);
}

/* Sets the numeric setting key of p to val: 0, or -1 when key is none or val no number. */
static int set_policy_number(Bugle__Dp__FilterPolicy *p, const char *key, const char *val)
{
	for (size_t i = 0; i < POLICY_NUMBERS; i++)
		if (!strcmp(key, policy_numbers[i].key))
			return parse_u32(val, policy_number(p, i)) ? 0 : -1;
	return -1;
}

/* Splits "a,b,c" in place into at most max items. */
static size_t split_list(char *s, char **out, size_t max)
{
	size_t n = 0;
	for (char *tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
		out[n++] = tok;
	return n;
}

/* filter set key=value...: the current policy with those keys changed. */
static int cmd_filter_set(const struct ctl_options *opt, int argc, char **argv)
{
	static char *uas[64], *allow[64];
	if (argc < 1)
		return ctl_error(opt, CTL_USAGE, "usage: filter set KEY=VALUE...");
	Bugle__Dp__FilterPolicyRequest get = BUGLE__DP__FILTER_POLICY_REQUEST__INIT;
	ProtobufCMessage *cur = NULL;
	int rc = ctl_call(opt, opt->control, BUGLE__DP__METHOD__METHOD_GET_FILTER_POLICY, &get.base,
		      &bugle__dp__filter_policy__descriptor, &cur);
	if (rc != CTL_OK)
		return rc;
	Bugle__Dp__FilterPolicy *p = (Bugle__Dp__FilterPolicy *)cur;
	Bugle__Dp__FilterPolicy req = *p;
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) {
			protobuf_c_message_free_unpacked(cur, NULL);
			return ctl_error(opt, CTL_USAGE, "'%s' is not KEY=VALUE", argv[i]);
		}
		*eq = 0;
		const char *k = argv[i], *val = eq + 1;
		if (!strcmp(k, "scanner_user_agents")) {
			req.scanner_user_agents = uas;
			req.n_scanner_user_agents = split_list(eq + 1, uas, 64);
		} else if (!strcmp(k, "allow_sources")) {
			req.allow_sources = allow;
			req.n_allow_sources = split_list(eq + 1, allow, 64);
		} else if (set_policy_number(&req, k, val) != 0) {
			protobuf_c_message_free_unpacked(cur, NULL);
			return ctl_error(opt, CTL_USAGE, "unknown key or bad value: %s=%s", k, val);
		}
	}
	rc = call_and_print(opt, BUGLE__DP__METHOD__METHOD_SET_FILTER_POLICY, &req.base,
			    &bugle__dp__filter_policy__descriptor, print_policy);
	protobuf_c_message_free_unpacked(cur, NULL);
	return rc;
}

static int print_dispatcher(const struct ctl_options *opt, ProtobufCMessage *msg)
{
	Bugle__Dp__Dispatcher *d = (Bugle__Dp__Dispatcher *)msg;
	json_t *nodes = json_array();
	for (size_t i = 0; i < d->n_nodes; i++)
		json_array_append_new(nodes, json_pack("{s:s, s:s, s:I, s:b}", "name", d->nodes[i]->name,
						       "sip_ip", d->nodes[i]->sip_ip, "sip_port",
						       (json_int_t)d->nodes[i]->sip_port, "healthy",
						       d->nodes[i]->healthy));
	protobuf_c_message_free_unpacked(msg, NULL);
	ctl_print(opt, json_pack("{s:o}", "nodes", nodes));
	return CTL_OK;
}

static int cmd_dispatcher_show(const struct ctl_options *opt, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return ctl_error(opt, CTL_USAGE, "usage: dispatcher show");
	Bugle__Dp__Empty req = BUGLE__DP__EMPTY__INIT;
	return call_and_print(opt, BUGLE__DP__METHOD__METHOD_GET_DISPATCHER, &req.base,
			      &bugle__dp__dispatcher__descriptor, print_dispatcher);
}

/* dispatcher set IP[:PORT]...: replaces the whole set (no arguments: empty set). */
static int cmd_dispatcher_set(const struct ctl_options *opt, int argc, char **argv)
{
	static Bugle__Dp__ControlPlaneNode nodes[16];
	static Bugle__Dp__ControlPlaneNode *ptrs[16];
	Bugle__Dp__Dispatcher req = BUGLE__DP__DISPATCHER__INIT;
	if (argc > 16)
		return ctl_error(opt, CTL_USAGE, "at most 16 control planes");
	for (int i = 0; i < argc; i++) {
		Bugle__Dp__ControlPlaneNode init = BUGLE__DP__CONTROL_PLANE_NODE__INIT;
		nodes[i] = init;
		nodes[i].name = argv[i];
		char *colon = strchr(argv[i], ':');
		uint32_t port = 5060;
		static char ip[16][16];
		size_t n = colon ? (size_t)(colon - argv[i]) : strlen(argv[i]);
		if (n >= sizeof(ip[0]) || (colon && (!parse_u32(colon + 1, &port) || port == 0 || port > 65535)))
			return ctl_error(opt, CTL_USAGE, "'%s' is not IP[:PORT]", argv[i]);
		memcpy(ip[i], argv[i], n);
		ip[i][n] = 0;
		nodes[i].sip_ip = ip[i];
		nodes[i].sip_port = port;
		ptrs[i] = &nodes[i];
	}
	req.nodes = ptrs;
	req.n_nodes = (size_t)argc;
	return call_and_print(opt, BUGLE__DP__METHOD__METHOD_SET_DISPATCHER, &req.base,
			      &bugle__dp__dispatcher__descriptor, print_dispatcher);
}

const struct ctl_command ctl_bans_commands[] = {
	{ "bans", "list", "", "sources the flood filter bans, with seconds left and why", cmd_bans_list },
	{ "bans", "add", "IP [SECONDS]", "ban a source on every worker (no SECONDS: permanent)",
	  cmd_bans_add },
	{ "bans", "del", "IP", "lift a ban", cmd_bans_del },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct ctl_command ctl_filter_commands[] = {
	{ "filter", "show", "", "the flood filter policy in force", cmd_filter_show },
	{ "filter", "set", "KEY=VALUE...", "change policy keys (as filter show names them; lists "
	  "comma-separated)", cmd_filter_set },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct ctl_command ctl_dispatcher_commands[] = {
	{ "dispatcher", "show", "", "control planes the edge spreads new requests over, with health",
	  cmd_dispatcher_show },
	{ "dispatcher", "set", "IP[:PORT]...", "replace the set of control planes", cmd_dispatcher_set },
	{ NULL, NULL, NULL, NULL, NULL },
};
