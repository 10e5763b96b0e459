/* Test bench for the edge's packet path: one core with a fixed topology key, one worker with
 * its flood filter, a dispatcher set of control planes, and helpers that run a datagram and
 * check what leaves. Helpers return 0 or a negative errno unless they say otherwise; the check
 * helpers fail the running cmocka test themselves. */
#ifndef BUGLE_EDGE_TEST_ENV_H
#define BUGLE_EDGE_TEST_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edge.h"
#include "sip-t.h"

/* The test network's addresses (host order). */
#define T_PUB_IP 0xC0000201u	/* 192.0.2.1 */
#define T_INT_IP 0xC6336401u	/* 198.51.100.1 */
#define T_INT_MASK 0xFFFFFF00u
#define T_NODE1_IP 0xC6336402u	/* 198.51.100.2 */
#define T_NODE2_IP 0xC6336403u	/* 198.51.100.3 */
#define T_NODE_PORT 5080
#define T_PHONE_IP 0xCB007105u	/* 203.0.113.5: the phone's NAT address */
#define T_PHONE_PORT 5070

struct edge_env {
	struct edge_core core;
	struct edge_worker w;
	struct flt *flt;
	struct edge_set set;
	uint64_t now_ms;
	uint64_t now_ns;
	struct edge_action act;
	char out[EDGE_MAX_DGRAM];
	struct sip_msg parsed;	/* the last output, parsed back */
};

/* nodes: how many control planes (1..2) in the set, all healthy. */
struct edge_env *edge_env_new(unsigned nodes);
void edge_env_free(struct edge_env *e);

/* cmocka fixtures: *state is a two-node edge_env for the test. EDGE_ENV_TEST(fn) registers a
 * test with them. */
int edge_env_setup(void **state);
int edge_env_teardown(void **state);
#define EDGE_ENV_TEST(fn) cmocka_unit_test_setup_teardown(fn, edge_env_setup, edge_env_teardown)

/* The phone's REGISTER (Call-ID reg-1@10.0.0.5, branch z9hG4bKreg1, rport asked). */
extern const char T_REGISTER[];

/* The last run sent its output to side, toward ip:port (a macro: a failure names the test's
 * line). */
#define assert_edge_sent_to(e, want_side, ip, port)                                     \
	do {                                                                            \
		assert_int_equal((e)->act.side, (want_side));                           \
		assert_int_equal((e)->act.dst_ip, (ip));                                \
		assert_int_equal((e)->act.dst_port, (port));                            \
	} while (0)

/* Runs one datagram (a C string). Returns the action kind; when something is sent, the output
 * is parsed back into e->parsed (it must parse) and, toward the public side, scanned for any
 * internal address (it must hold none). */
int edge_env_run(struct edge_env *e, int side, uint32_t src_ip, uint16_t src_port,
		 const char *msg);
int edge_env_run_len(struct edge_env *e, int side, uint32_t src_ip, uint16_t src_port,
		     const char *msg, size_t len);

/* Whether buf holds the internal subnet's text "198.51.100." or its raw bytes: a check
 * written apart from the edge's own scanner. */
bool edge_env_names_internal(const char *buf, size_t len);

/* The output as a NUL-terminated string (the output buffer has room). */
const char *edge_env_out(struct edge_env *e);

uint64_t edge_env_counter(const struct edge_env *e, enum edge_counter c);

/* Value of the first header line called name (exact case) in the output, NUL-terminated into
 * buf; -ENOENT when absent. */
int edge_env_header(const struct edge_env *e, const char *name, char *buf, size_t cap);

/* Copies msg replacing every "@@" with rep (the helpers build messages around tokens). */
void edge_env_subst(char *dst, size_t cap, const char *msg, const char *rep);

#endif
