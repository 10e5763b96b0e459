/* The edge's public-side handlers fed arbitrary datagrams from one public source. Properties:
 * a message toward the public side goes only back to the sender and names the internal
 * subnet no more often than the sender's own datagram did (a stateless reply echoes the
 * sender's headers, nothing of ours); a message toward the control planes goes to the
 * internal subnet. */
#include <stdio.h>
#include <stdlib.h>

#include "edge_fuzz_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[EDGE_MAX_DGRAM];
	struct edge_action act;

	if (!edge_fuzz_process(0, FZ_PHONE_IP, FZ_PHONE_PORT, data, size, out, sizeof(out), &act))
		return 0;
	if (act.side == 0) {
		if (act.dst_ip != FZ_PHONE_IP || act.dst_port != FZ_PHONE_PORT)
			abort();
		if (edge_fuzz_internal_mentions(out, act.len) >
		    edge_fuzz_internal_mentions((const char *)data, size)) {
			fprintf(stderr, "internal address toward the public side:\n%.*s\n",
				(int)act.len, out);
			abort();
		}
	} else if ((act.dst_ip & FZ_INT_MASK) != (FZ_INT_IP & FZ_INT_MASK) ||
		   act.dst_ip == FZ_INT_IP) {
		abort();
	}
	return 0;
}
