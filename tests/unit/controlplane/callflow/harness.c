/* The callflow test harness. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static time_t fixed_now(void *arg)
{
	return ((struct harness *)arg)->now;
}

static void ended(void *arg, const struct cf_flow_report *rep)
{
	struct harness *h = arg;

	h->rep = *rep;
	h->ends++;
}

void h_init(struct harness *h)
{
	memset(h, 0, sizeof(*h));
	fake_docs_init(&h->d);
	fake_docs_put(&h->d, ACC, ACC, "account",
		      "{\"name\": \"Acme\", \"timezone\": \"America/New_York\","
		      " \"caller_id\": {\"external\": {\"number\": \"+14155550100\","
		      " \"name\": \"Acme\"}}}");
	h->cfg = cf_config_default();
	h->cfg.now = fixed_now;
	h->cfg.now_arg = h;
	h->now = 1700000000;
}

void h_engine(struct harness *h)
{
	h->eng = cf_engine_new(&h->cfg, &fake_call_ops, &fake_doc_ops, &h->d);
	if (!h->eng)
		abort();
}

void h_release(struct harness *h)
{
	cf_engine_free(h->eng);
	fake_docs_release(&h->d);
}

const struct cf_flow_report *h_run(struct harness *h, const char *dialed, const char *auth_id)
{
	struct cf_call_info info = {
		.account_id = ACC,
		.call_id = "call-1",
		.dialed = dialed,
		.caller = {"Outside", "+12125550199"},
		.authorizing_type = auth_id ? "device" : "resource",
		.authorizing_id = auth_id ? auth_id : "carrier1",
	};
	unsigned before = h->ends;

	if (!h->eng)
		h_engine(h);
	if (auth_id)
		memset(&info.caller, 0, sizeof(info.caller));
	if (cf_flow_start(h->eng, &info, &h->c, ended, h) != 0)
		abort();
	fake_docs_drain(&h->d);
	if (h->ends != before + 1) {
		fprintf(stderr, "flow did not end exactly once\n");
		abort();
	}
	return &h->rep;
}

void h_callflow(struct harness *h, const char *id, const char *number, const char *flow_json)
{
	char buf[8192];

	snprintf(buf, sizeof(buf), "{\"numbers\": [\"%s\"], \"flow\": %s}", number, flow_json);
	fake_docs_put(&h->d, ACC, id, "callflow", buf);
}

int h_setup_seeded(void **state, void (*seed)(struct harness *h), bool async)
{
	static struct harness h;

	h_init(&h);
	seed(&h);
	h.d.async = async;
	*state = &h;
	return 0;
}

int h_teardown(void **state)
{
	h_release(*state);
	return 0;
}
