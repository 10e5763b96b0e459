/* bench-filter's peer: per-source density limiting with DPDK's rte_hash and rte_meter
 * (peer_rte_meter.c). */
#ifndef BENCH_PEER_RTE_METER_H
#define BENCH_PEER_RTE_METER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PEER_METER_BURST 32

struct peer_meter;

/* DPDK's EAL with no devices and no hugepages; 0, or -1 with err. Once per process. */
int peer_meter_eal_init(char *err, size_t errlen);
void peer_meter_eal_cleanup(void);
/* A table of capacity sources, each allowed `requests` per window_s (its burst is `requests`);
 * the simulated clock moves step_ns per check. NULL with err on failure. */
struct peer_meter *peer_meter_create(uint32_t capacity, uint32_t requests, double window_s,
				     uint64_t step_ns, char *err, size_t errlen);
void peer_meter_destroy(struct peer_meter *p);
/* Checks n requests from ips[] (one at a time, or in bursts of PEER_METER_BURST with a bulk
 * lookup); returns how many were accepted. */
uint64_t peer_meter_run(struct peer_meter *p, const uint32_t *ips, size_t n, bool bulk);
/* Sources refused because the table was full. */
uint64_t peer_meter_full(const struct peer_meter *p);

#endif
