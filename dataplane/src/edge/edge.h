/* The SIP edge proxy's packet path, free of DPDK so that unit tests and fuzzers drive it with
 * plain buffers: one datagram in, at most one datagram out (forwarded, or a stateless reply).
 *
 * Public side: requests are sanity-checked (bad ones answered statelessly), filtered, then
 * forwarded to a control plane with our Via (internal address, branch derived from the
 * sender's), received/rport, Record-Route on dialog-creating requests, Path on REGISTER and
 * Max-Forwards decremented; responses must carry our public Via, whose branch token restores
 * the control plane's Vias. Internal side: responses pop our Via and go to the next one's
 * received/rport; requests go to the flow of our Path entry, the next Route or the
 * Request-URI. Everything bound for the public side has its internal addresses replaced by
 * tokens (edge_topo.h) and is finally scanned for internal literals.
 *
 * Return convention: edge_core_init and edge_worker_init return 0 or a negative errno;
 * edge_process returns nothing (the outcome is in *act and the counters).
 */
#ifndef BUGLE_EDGE_H
#define BUGLE_EDGE_H

#include <stddef.h>
#include <stdint.h>

#include "edge-t.h"

/* Addresses host order; the topology key is drawn at random. */
int edge_core_init(struct edge_core *c, uint32_t pub_ip, uint32_t int_ip, uint32_t int_mask,
		   uint16_t port, uint64_t dead_after_ms);

int edge_worker_init(struct edge_worker *w, struct edge_core *c, struct flt *f);

/* side: 0 public, 1 internal. now_ns feeds the filter, now_ms the health clock. out must hold
 * the rewritten datagram; act->len tells how much of it to send. */
void edge_process(struct edge_worker *w, int side, uint32_t src_ip, uint16_t src_port,
		  const char *buf, uint32_t len, uint64_t now_ns, uint64_t now_ms, char *out,
		  size_t cap, struct edge_action *act);

const char *edge_counter_name(enum edge_counter c);

/* The URI parameter names of our tokens. */
#define EDGE_CONTACT_PARAM "bgl"
#define EDGE_FLOW_PARAM "bgl-flow"
#define EDGE_VIA_BRANCH "z9hG4bKbgt"	/* our public Via: the CP's Vias follow as a token */
#define EDGE_FWD_BRANCH "z9hG4bKbgf"	/* our internal Via: a hash of the sender's branch */

#endif
