/* The edge's internal-side handlers fed arbitrary datagrams from a control plane. Property:
 * whatever the control plane wrote, a message toward the public side names no internal
 * address, and goes to a public address other than ours. */
#include <stdio.h>
#include <stdlib.h>

#include "edge_fuzz_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[EDGE_MAX_DGRAM];
	struct edge_worker *w = edge_fuzz_env();
	struct edge_action act;

	if (size > 65535)
		return 0;
	edge_process(w, 1, FZ_NODE_IP, FZ_NODE_PORT, (const char *)data, (uint32_t)size,
		     FZ_NOW_NS, FZ_NOW_MS, out, sizeof(out), &act);
	if (act.kind != EDGE_ACT_SEND)
		return 0;
	if (act.len == 0 || act.len > sizeof(out) || act.side != 0)
		abort();
	if (edge_fuzz_internal_mentions(out, act.len) != 0) {
		fprintf(stderr, "internal address toward the public side:\n%.*s\n", (int)act.len,
			out);
		abort();
	}
	if ((act.dst_ip & FZ_INT_MASK) == (FZ_INT_IP & FZ_INT_MASK) || act.dst_ip == FZ_PUB_IP)
		abort();
	return 0;
}
