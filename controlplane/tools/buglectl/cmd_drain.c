/* buglectl drain|undrain NODE: a data plane (its control address) or a control plane (its API
 * URL) stops taking new calls and keeps the live ones; drain then waits, bounded, until no
 * live call is left and says "drained". */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buglectl.h"
#include "dataplane.pb-c.h"

#define DRAIN_WAIT_DEFAULT_S 300
#define DRAIN_POLL_MS 500

struct drain_args {
	const char *node;
	long wait_s;		/* 0: do not wait */
};

static int parse(const struct ctl_options *opt, int argc, char **argv, bool on,
		 struct drain_args *a)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "no-wait", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	*a = (struct drain_args){ .wait_s = on ? DRAIN_WAIT_DEFAULT_S : 0 };
	optind = 0;
	int ch;
	while ((ch = getopt_long(argc + 1, argv - 1, "", longopts, NULL)) != -1) {
		char *end;
		switch (ch) {
		case 't':
			a->wait_s = strtol(optarg, &end, 10);
			if (*end || a->wait_s < 1 || a->wait_s > 86400)
				return ctl_error(opt, CTL_USAGE, "--timeout takes 1..86400 seconds");
			break;
		case 'n': a->wait_s = 0; break;
		default: return ctl_error(opt, CTL_USAGE, "unknown option (see --help)");
		}
	}
	if (argc + 1 - optind != 1)
		return ctl_error(opt, CTL_USAGE, "give one NODE: a control address or an API URL");
	a->node = argv[optind - 1];
	return CTL_OK;
}

static bool is_api_url(const char *node)
{
	return strncmp(node, "http://", 7) == 0 || strncmp(node, "https://", 8) == 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One Drain call on a data plane: the reply says whether its sessions are gone. */
static int dataplane_drain(const struct ctl_options *opt, const char *addr, bool on,
			   json_t **state, bool *drained)
{
	Bugle__Dp__DrainRequest req = BUGLE__DP__DRAIN_REQUEST__INIT;
	req.drain = on;
	ProtobufCMessage *msg = NULL;
	int rc = ctl_call(opt, addr, BUGLE__DP__METHOD__METHOD_DRAIN, &req.base,
			  &bugle__dp__heartbeat_reply__descriptor, &msg);
	if (rc != CTL_OK)
		return rc;
	const Bugle__Dp__HeartbeatReply *r = (const Bugle__Dp__HeartbeatReply *)msg;
	*drained = r->drained || r->sessions_active == 0;
	*state = json_pack("{s:s, s:s, s:s, s:b, s:b, s:i}", "kind", "dataplane", "node", r->node,
			   "address", addr, "draining", r->draining, "drained",
			   on && *drained, "live", (int)r->sessions_active);
	protobuf_c_message_free_unpacked(msg, NULL);
	return CTL_OK;
}

/* A control plane: PUT /v2/system/drain once, then GET /v2/system/status while waiting. */
static int controlplane_drain(const struct ctl_options *opt, const struct ctl_api *api, bool on,
			      bool set, json_t **state, bool *drained)
{
	long status;
	json_t *d = NULL;
	json_t *body = json_pack("{s:b}", "draining", on);
	int rc = set ? ctl_api_call(opt, api, "PUT", "/v2/system/drain", body, &status, &d)
		     : ctl_api_call(opt, api, "GET", "/v2/system/status", NULL, &status, &d);
	json_decref(body);
	if (rc != CTL_OK)
		return rc;
	/* Only the node's own calls: "channels" also counts the ones its peers announce. */
	const json_t *own = json_object_get(d, "local_channels");
	if (!json_is_integer(own)) {
		json_decref(d);
		return ctl_error(opt, CTL_FAILED,
				 "%s: GET /v2/system/status has no local_channels (an older node?)",
				 api->base);
	}
	json_int_t live = json_integer_value(own);
	*drained = live == 0;
	*state = json_pack("{s:s, s:s?, s:s, s:b, s:b, s:I, s:I}", "kind", "controlplane", "node",
			   json_string_value(json_object_get(d, "node")), "address", api->base,
			   "draining", json_is_true(json_object_get(d, "draining")), "drained",
			   on && *drained, "live", live, "channels_known",
			   json_integer_value(json_object_get(d, "channels")));
	json_decref(d);
	return CTL_OK;
}

static int drain(const struct ctl_options *opt, int argc, char **argv, bool on)
{
	struct drain_args a;
	int rc = parse(opt, argc, argv, on, &a);
	if (rc != CTL_OK)
		return rc;
	struct ctl_api api = { .base = a.node };
	bool cp = is_api_url(a.node), drained = false;
	if (cp && (rc = ctl_api_login(opt, &api)) != CTL_OK)
		return rc;
	json_t *state = NULL;
	double deadline = now_s() + (double)a.wait_s;
	for (bool first = true;; first = false) {
		json_decref(state);
		state = NULL;
		rc = cp ? controlplane_drain(opt, &api, on, first, &state, &drained)
			: dataplane_drain(opt, a.node, on, &state, &drained);
		if (rc != CTL_OK || !on || drained || a.wait_s == 0 || now_s() >= deadline)
			break;
		sleep_ms(DRAIN_POLL_MS);
	}
	if (rc != CTL_OK)
		return rc;
	if (on && a.wait_s > 0 && !drained) {
		long long live = (long long)json_integer_value(json_object_get(state, "live"));
		json_decref(state);
		return ctl_error(opt, CTL_FAILED, "%s: not drained after %ld s (%lld live)", a.node,
				 a.wait_s, live);
	}
	ctl_print(opt, state);
	if (!opt->json)
		printf("%s\n", !on ? "undrained" : drained ? "drained" : "draining");
	return CTL_OK;
}

static int cmd_drain(const struct ctl_options *opt, int argc, char **argv)
{
	return drain(opt, argc, argv, true);
}

static int cmd_undrain(const struct ctl_options *opt, int argc, char **argv)
{
	return drain(opt, argc, argv, false);
}

const struct ctl_command ctl_drain_commands[] = {
	{ "drain", "", "NODE [--timeout S] [--no-wait]",
	  "NODE (control address or API URL) takes no new calls; waits until the live ones end "
	  "(default 300 s), then says drained",
	  cmd_drain },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct ctl_command ctl_undrain_commands[] = {
	{ "undrain", "", "NODE", "NODE takes new calls again", cmd_undrain },
	{ NULL, NULL, NULL, NULL, NULL },
};
