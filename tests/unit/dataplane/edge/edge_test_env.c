/* Test bench for the edge's packet path (see edge_test_env.h). */
#define _GNU_SOURCE /* memmem */
#include "edge_test_env.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "edge_dispatch.h"
#include "flt-policy.h"
#include "flt.h"
#include "sip_msg.h"

struct edge_env *edge_env_new(unsigned nodes)
{
	struct edge_env *e = calloc(1, sizeof(*e));
	struct flt_config cfg;
	struct flt_policy pol;
	char err[128];

	assert_non_null(e);
	assert_int_equal(edge_core_init(&e->core, T_PUB_IP, T_INT_IP, T_INT_MASK, 5060, 2000), 0);
	/* A fixed key: tests compare tokens across runs and decode them themselves. */
	for (size_t i = 0; i < sizeof(e->core.key); i++)
		e->core.key[i] = (uint8_t)(i * 7 + 3);
	flt_config_defaults(&cfg);
	cfg.sources = 1024;
	cfg.hash_seed = 42;
	/* The packet-path tests send many requests from one phone: the density detector and the
	 * method buckets stay off unless a test turns them on. */
	flt_policy_defaults(&pol);
	pol.density_requests = 0;
	for (int i = 0; i < FLT_METHOD_COUNT; i++)
		pol.method_rate[i] = (struct flt_rate){ 0, 0 };
	pol.allow_count = 0;
	e->flt = flt_create(&cfg, &pol);
	assert_non_null(e->flt);
	assert_int_equal(edge_worker_init(&e->w, &e->core, e->flt), 0);
	const char *text = nodes == 1 ? "198.51.100.2:5080" : "198.51.100.2:5080,198.51.100.3:5080";
	assert_int_equal(edge_nodes_parse(text, &e->set, err, sizeof(err)), 0);
	e->now_ms = 1000000;
	e->now_ns = 1000000000000ull;
	edge_set_publish(&e->core, &e->set, e->now_ms);
	return e;
}

void edge_env_free(struct edge_env *e)
{
	flt_destroy(e->flt);
	free(e);
}

int edge_env_setup(void **state)
{
	*state = edge_env_new(2);
	return 0;
}

int edge_env_teardown(void **state)
{
	edge_env_free(*state);
	return 0;
}

const char T_REGISTER[] =
	"REGISTER sip:example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKreg1;rport\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@example.com>;tag=a1\r\n"
	"To: <sip:alice@example.com>\r\n"
	"Call-ID: reg-1@10.0.0.5\r\n"
	"CSeq: 1 REGISTER\r\n"
	"Contact: <sip:alice@10.0.0.5:5060>\r\n"
	"Expires: 3600\r\n"
	"Content-Length: 0\r\n\r\n";

bool edge_env_names_internal(const char *buf, size_t len)
{
	static const char text[] = "198.51.100.";
	static const unsigned char raw[] = { 198, 51, 100 };

	return memmem(buf, len, text, sizeof(text) - 1) != NULL ||
	       memmem(buf, len, raw, sizeof(raw)) != NULL;
}

int edge_env_run_len(struct edge_env *e, int side, uint32_t src_ip, uint16_t src_port,
		     const char *msg, size_t len)
{
	edge_process(&e->w, side, src_ip, src_port, msg, (uint32_t)len, e->now_ns, e->now_ms,
		     e->out, sizeof(e->out) - 1, &e->act);
	if (e->act.kind != EDGE_ACT_SEND)
		return e->act.kind;
	assert_true(e->act.len > 0 && e->act.len < sizeof(e->out));
	e->out[e->act.len] = '\0';
	if (e->act.side == 0 && edge_env_names_internal(e->out, e->act.len))
		fail_msg("internal address toward the public side:\n%s", e->out);
	if (sip_msg_parse(&e->parsed, e->out, e->act.len) != 0)
		fail_msg("output does not parse:\n%s", e->out);
	return e->act.kind;
}

int edge_env_run(struct edge_env *e, int side, uint32_t src_ip, uint16_t src_port,
		 const char *msg)
{
	return edge_env_run_len(e, side, src_ip, src_port, msg, strlen(msg));
}

const char *edge_env_out(struct edge_env *e)
{
	return e->out;
}

uint64_t edge_env_counter(const struct edge_env *e, enum edge_counter c)
{
	return atomic_load_explicit(&e->w.ctr[c], memory_order_relaxed);
}

int edge_env_header(const struct edge_env *e, const char *name, char *buf, size_t cap)
{
	size_t n = strlen(name);

	for (const char *p = e->out; (p = strstr(p, "\r\n")) != NULL; p += 2) {
		if (strncmp(p + 2, name, n) != 0 || p[2 + n] != ':')
			continue;
		const char *v = p + 2 + n + 1;
		while (*v == ' ')
			v++;
		const char *end = strstr(v, "\r\n");
		size_t vl = (size_t)(end - v);
		if (vl >= cap)
			return -ENOSPC;
		memcpy(buf, v, vl);
		buf[vl] = '\0';
		return 0;
	}
	return -ENOENT;
}

void edge_env_subst(char *dst, size_t cap, const char *msg, const char *rep)
{
	size_t n = 0, rl = strlen(rep);

	for (const char *p = msg; *p; p++) {
		if (p[0] == '@' && p[1] == '@') {
			assert_true(n + rl < cap);
			memcpy(dst + n, rep, rl);
			n += rl;
			p++;
			continue;
		}
		assert_true(n + 1 < cap);
		dst[n++] = *p;
	}
	dst[n] = '\0';
}
