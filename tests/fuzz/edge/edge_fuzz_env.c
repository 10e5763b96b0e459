/* The edge the fuzz targets drive (see edge_fuzz_env.h). */
#include "edge_fuzz_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_dispatch.h"
#include "edge_realm.h"
#include "flt-control.h"
#include "flt-policy.h"
#include "flt.h"

static void die(const char *what)
{
	fprintf(stderr, "edge fuzz set-up: %s\n", what);
	abort();
}

struct edge_worker *edge_fuzz_env(void)
{
	static struct edge_core core;
	static struct edge_worker w;
	static struct edge_set set;
	static int ready;
	struct flt_config cfg;
	struct flt_policy pol;
	char err[128];

	if (ready)
		return &w;
	if (edge_core_init(&core, FZ_PUB_IP, FZ_INT_IP, FZ_INT_MASK, 5060, 2000) < 0)
		die("core");
	for (size_t i = 0; i < sizeof(core.key); i++)
		core.key[i] = (uint8_t)(i * 7 + 3);
	flt_config_defaults(&cfg);
	cfg.sources = 1024;
	cfg.hash_seed = 42;
	flt_policy_defaults(&pol);
	pol.density_requests = 0;
	for (int i = 0; i < FLT_METHOD_COUNT; i++)
		pol.method_rate[i] = (struct flt_rate){ 0, 0 };
	pol.ua_count = 0;
	struct flt *f = flt_create(&cfg, &pol);
	if (!f || edge_worker_init(&w, &core, f) < 0)
		die("worker");
	/* INVITEs from or to example.com count against an account with a CPS limit. */
	w.realms = edge_realms_create(16);
	if (!w.realms || edge_realms_set(w.realms, "example.com", 11, "acct-1", 6) < 0 ||
	    flt_account_limit_set(f, FZ_NOW_NS, "acct-1", 6, 1000) < 0)
		die("realms");
	if (edge_nodes_parse("198.51.100.2:5080,198.51.100.3:5080", &set, err, sizeof(err)) < 0)
		die(err);
	edge_set_publish(&core, &set, FZ_NOW_MS);
	ready = 1;
	return &w;
}

size_t edge_fuzz_internal_mentions(const char *buf, size_t len)
{
	static const char net[] = "198.51.100.";
	const size_t n = sizeof(net) - 1;
	size_t count = 0;

	for (size_t i = 0; i + n < len; i++)
		if (memcmp(buf + i, net, n) == 0 && buf[i + n] >= '0' && buf[i + n] <= '9')
			count++;
	return count;
}

bool edge_fuzz_process(int side, uint32_t src_ip, uint16_t src_port, const uint8_t *data,
		       size_t size, char *out, size_t cap, struct edge_action *act)
{
	if (size > 65535)
		return false;
	edge_process(edge_fuzz_env(), side, src_ip, src_port, (const char *)data, (uint32_t)size,
		     FZ_NOW_NS, FZ_NOW_MS, out, cap, act);
	if (act->kind != EDGE_ACT_SEND)
		return false;
	if (act->len == 0 || act->len > cap)
		abort();
	return true;
}
