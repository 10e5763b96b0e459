/* The dispatcher: rendezvous hashing over the healthy control planes, health by answers to
 * the probes, and the node list parser. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "edge.h"
#include "edge_dispatch.h"
#include "sip_msg.h"

#define CALLS 3000
#define DEAD_MS 2000

struct bench {
	struct edge_core core;
	struct edge_set sets[2];
};

static int setup(void **state)
{
	struct bench *b = test_calloc(1, sizeof(*b));
	assert_int_equal(edge_core_init(&b->core, 0xC0000201u, 0xC6336401u, 0xFFFFFF00u, 5060,
					DEAD_MS),
			 0);
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	test_free(*state);
	return 0;
}

static void publish(struct bench *b, int slot, const char *nodes, uint64_t now)
{
	char err[128];
	assert_int_equal(edge_nodes_parse(nodes, &b->sets[slot], err, sizeof(err)), 0);
	edge_set_publish(&b->core, &b->sets[slot], now);
}

static uint16_t pick_port(struct bench *b, int i, uint64_t now)
{
	char cid[32];
	int n = snprintf(cid, sizeof(cid), "call-%d@host", i);
	const struct edge_node *nd = edge_dispatch_pick(&b->core, cid, (size_t)n, now);
	return nd ? nd->port : 0;
}

static void test_rendezvous_moves_only_removed(void **state)
{
	struct bench *b = *state;
	static uint16_t before[CALLS];
	unsigned share[4] = { 0 };

	publish(b, 0, "198.51.100.2:5001,198.51.100.2:5002,198.51.100.2:5003,198.51.100.2:5004",
		1000);
	for (int i = 0; i < CALLS; i++) {
		before[i] = pick_port(b, i, 1000);
		assert_true(before[i] >= 5001 && before[i] <= 5004);
		share[before[i] - 5001]++;
		/* Stable: the same Call-ID, the same node. */
		assert_int_equal(pick_port(b, i, 1000), before[i]);
	}
	/* Spread: each node gets a fair share (expected 750; far from 0 or all). */
	for (int k = 0; k < 4; k++)
		assert_true(share[k] > 500 && share[k] < 1000);

	/* Node 5003 leaves the set: only its calls move, and they spread over the others. */
	publish(b, 1, "198.51.100.2:5001,198.51.100.2:5002,198.51.100.2:5004", 1000);
	unsigned moved = 0;
	for (int i = 0; i < CALLS; i++) {
		uint16_t p = pick_port(b, i, 1000);
		if (before[i] != 5003)
			assert_int_equal(p, before[i]);
		else
			moved++, assert_int_not_equal(p, 5003);
	}
	assert_int_equal(moved, share[2]);
}

static void test_dead_skipped_revived_used(void **state)
{
	struct bench *b = *state;
	uint64_t t0 = 10000;

	publish(b, 0, "198.51.100.2:5001,198.51.100.3:5001", t0);
	/* Both answer probes until t0 + 1000; then only .3 keeps answering. */
	assert_int_equal(edge_health_answer(&b->core, 0xC6336402u, 5001, t0 + 1000), 0);
	assert_int_equal(edge_health_answer(&b->core, 0xC6336403u, 5001, t0 + 1000), 0);
	assert_int_equal(edge_health_answer(&b->core, 0xC6336403u, 5001, t0 + 2500), 0);
	assert_int_equal(edge_health_answer(&b->core, 0xC6336409u, 5001, t0 + 2500), -ENOENT);
	/* Within dead_after_ms of its last answer .2 is still used. */
	assert_true(edge_node_healthy(&b->core, 0, t0 + 1000 + DEAD_MS));
	assert_false(edge_node_healthy(&b->core, 0, t0 + 1001 + DEAD_MS));
	uint64_t later = t0 + 3100;
	for (int i = 0; i < 200; i++) {
		char cid[32];
		int n = snprintf(cid, sizeof(cid), "call-%d@host", i);
		const struct edge_node *nd = edge_dispatch_pick(&b->core, cid, (size_t)n, later);
		assert_non_null(nd);
		assert_int_equal(nd->ip, 0xC6336403u);
	}
	/* .2 answers again: its calls come back to it. */
	assert_int_equal(edge_health_answer(&b->core, 0xC6336402u, 5001, later + 10), 0);
	unsigned on_two = 0;
	for (int i = 0; i < 200; i++) {
		char cid[32];
		int n = snprintf(cid, sizeof(cid), "call-%d@host", i);
		const struct edge_node *nd = edge_dispatch_pick(&b->core, cid, (size_t)n, later + 20);
		on_two += nd->ip == 0xC6336402u;
	}
	assert_true(on_two > 50 && on_two < 150);
	/* Nobody answers: no node at all. */
	assert_null(edge_dispatch_pick(&b->core, "x", 1, later + 10 + DEAD_MS + 1000));
}

static void test_new_set_keeps_health(void **state)
{
	struct bench *b = *state;

	publish(b, 0, "198.51.100.2:5001", 1000);
	/* .2 never answers; a new set adding .3 keeps .2's stale stamp and gives .3 grace. */
	publish(b, 1, "198.51.100.3:5001, 198.51.100.2:5001", 1000 + DEAD_MS + 500);
	uint64_t now = 1000 + DEAD_MS + 600;
	assert_true(edge_node_healthy(&b->core, 0, now));
	assert_false(edge_node_healthy(&b->core, 1, now));
	const struct edge_node *nd = edge_dispatch_pick(&b->core, "abc", 3, now);
	assert_non_null(nd);
	assert_int_equal(nd->ip, 0xC6336403u);
}

static void test_nodes_parse(void **state)
{
	struct edge_set s;
	char err[128];
	(void)state;

	assert_int_equal(edge_nodes_parse("", &s, err, sizeof(err)), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(edge_nodes_parse(" 198.51.100.2 ,198.51.100.3:5080", &s, err, sizeof(err)),
			 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.node[0].port, 5060);
	assert_int_equal(s.node[1].port, 5080);
	assert_int_equal(s.node[1].ip, 0xC6336403u);
	static const char *const bad[] = { "198.51.100.2:0", "198.51.100.2:65536", "198.51.100:5060",
					   "host.example:5060", "198.51.100.2:", "1.2.3.4:50x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(edge_nodes_parse(bad[i], &s, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "is not ip[:port]"));
	}
	char many[1024] = "";
	for (int i = 0; i <= EDGE_MAX_NODES; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "10.0.0.%d,", i + 1);
	assert_int_equal(edge_nodes_parse(many, &s, err, sizeof(err)), -EINVAL);
}

/* The probe is a well-formed OPTIONS from our internal address to the node. */
static void test_probe_build(void **state)
{
	struct bench *b = *state;
	static struct sip_msg m;
	char out[1024];

	publish(b, 0, "198.51.100.2:5080", 1000);
	int n = edge_probe_build(&b->core, &b->sets[0].node[0], 7, out, sizeof(out));
	assert_true(n > 0);
	assert_int_equal(sip_msg_parse(&m, out, (size_t)n), 0);
	assert_int_equal(m.method_id, SIP_METHOD_OPTIONS);
	assert_int_equal(sip_msg_parse_via(&m), 0);
	assert_memory_equal(m.via[0].branch.s, EDGE_PROBE_BRANCH "7", strlen(EDGE_PROBE_BRANCH) + 1);
	assert_memory_equal(m.ruri.s, "sip:198.51.100.2:5080", m.ruri.len);
	assert_int_equal(edge_probe_build(&b->core, &b->sets[0].node[0], 7, out, 40), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rendezvous_moves_only_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_skipped_revived_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_set_keeps_health, setup, teardown),
		cmocka_unit_test(test_nodes_parse),
		cmocka_unit_test_setup_teardown(test_probe_build, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
