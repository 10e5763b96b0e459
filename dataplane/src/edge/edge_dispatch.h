/* Choosing a control plane for a new request, and their health. The choice is rendezvous
 * hashing of the Call-ID over the healthy nodes: a dialog keeps its node while that node lives,
 * and a node leaving moves only its own dialogs.
 *
 * Return convention: pick returns a node or NULL (no healthy node); parse returns 0 or -EINVAL;
 * health_answer returns 0 or -ENOENT (not a node of the set).
 */
#ifndef BUGLE_EDGE_DISPATCH_H
#define BUGLE_EDGE_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edge-t.h"

/* "ip:port[,ip:port...]" (blanks ignored, port defaults to 5060; "" is an empty set). */
int edge_nodes_parse(const char *text, struct edge_set *out, char *err, size_t errlen);

bool edge_node_healthy(const struct edge_core *c, uint32_t slot, uint64_t now_ms);

const struct edge_node *edge_dispatch_pick(struct edge_core *c, const char *call_id,
					   size_t len, uint64_t now_ms);

/* A worker saw an OPTIONS answer from ip:port. */
int edge_health_answer(struct edge_core *c, uint32_t ip, uint16_t port, uint64_t now_ms);

/* Main lcore: make set current (see struct edge_core.set for the ordering). Nodes already in
 * the old set keep their health; new ones start healthy, with one dead_after_ms of grace. */
void edge_set_publish(struct edge_core *c, const struct edge_set *set, uint64_t now_ms);

/* The OPTIONS probe for node `slot` of the current set: the length written or -ENOSPC. */
int edge_probe_build(const struct edge_core *c, const struct edge_node *n, uint32_t seq,
		     char *out, size_t cap);

/* Prefix of the Via branch of our probes (the answers are consumed, not forwarded). */
#define EDGE_PROBE_BRANCH "z9hG4bKbglhc"

#endif
