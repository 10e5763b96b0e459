/* The edge the fuzz targets drive: one core with a fixed topology key (the seed corpus holds
 * tokens made with it), a two-node dispatcher whose nodes stay healthy, and one worker whose
 * filter lets every source through (the filter has its own fuzz targets) except for a CPS
 * limit on the account of realm example.com.
 *
 * Return convention: edge_fuzz_env() returns the shared worker (it aborts when the set-up
 * fails: a fuzz target has no one to report to); the counter returns a count.
 */
#ifndef BUGLE_EDGE_FUZZ_ENV_H
#define BUGLE_EDGE_FUZZ_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edge.h"

#define FZ_PUB_IP 0xC0000201u	/* 192.0.2.1 */
#define FZ_INT_IP 0xC6336401u	/* 198.51.100.1, in 198.51.100.0/24 */
#define FZ_INT_MASK 0xFFFFFF00u
#define FZ_NODE_IP 0xC6336402u	/* 198.51.100.2:5080, the first of the two nodes */
#define FZ_NODE_PORT 5080
#define FZ_PHONE_IP 0xCB007105u	/* 203.0.113.5:5070 */
#define FZ_PHONE_PORT 5070
#define FZ_NOW_MS 1000000u
#define FZ_NOW_NS 1000000000000ull

struct edge_worker *edge_fuzz_env(void);

/* The fuzzer's datagram from src_ip:src_port on side (0 public, 1 internal) through the shared
 * worker: true when the edge sends a message, *act saying where and out (cap bytes) holding it.
 * A datagram above 65535 bytes is not tried (false); a send of no bytes or of more than out
 * holds aborts. */
bool edge_fuzz_process(int side, uint32_t src_ip, uint16_t src_port, const uint8_t *data,
		       size_t size, char *out, size_t cap, struct edge_action *act);

/* Occurrences of the internal subnet's text ("198.51.100." and a digit) in buf: counted apart
 * from the edge's own scanner, so that the two check each other. */
size_t edge_fuzz_internal_mentions(const char *buf, size_t len);

#endif
