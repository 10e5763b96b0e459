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
	struct edge_action act;

	if (!edge_fuzz_process(1, FZ_NODE_IP, FZ_NODE_PORT, data, size, out, sizeof(out), &act))
		return 0;
	if (act.side != 0)
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
