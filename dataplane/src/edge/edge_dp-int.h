/* The DPDK side of the edge, shared by edge_dp.c and edge_dp_ctl.c only.
 *
 * Ownership: struct edge_dp is written by the main lcore; the workers read cfg, core and
 * slot_of_lcore (RO once they run). Each struct edge_dp_worker is written by its worker, except
 * cmd_slot, which the main lcore fills before enqueueing its address and the worker completes
 * (done is the release/acquire hand-back).
 *
 * Return convention: 0 or a negative errno.
 */
#ifndef BUGLE_EDGE_DP_INT_H
#define BUGLE_EDGE_DP_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "edge-t.h"
#include "edge_realm.h"
#include "flt-t.h"

struct rte_ring;

enum edge_cmd_kind {
	EDGE_CMD_POLICY = 1,
	EDGE_CMD_BAN_ADD,
	EDGE_CMD_BAN_REMOVE,
	EDGE_CMD_BAN_LIST,
	EDGE_CMD_ACCOUNT_SET,
	EDGE_CMD_ACCOUNT_REMOVE,
	EDGE_CMD_REALM_SET,	/* realm -> account, for per-account CPS (edge_realm.h) */
	EDGE_CMD_REALM_REMOVE,
	EDGE_CMD_REALM_CLEAR,	/* every realm, before a full set */
	EDGE_CMD_ACCOUNT_CLEAR,	/* every account limit, before a full set */
	EDGE_CMD_BARRIER,	/* nothing to do: proves the worker is between bursts */
};

#define EDGE_BAN_LIST_MAX 512

/* One command for one worker's filter instance. */
struct edge_cmd {
	int kind;
	struct flt_policy policy;
	uint32_t ip, seconds;
	char account[FLT_ACCOUNT_ID_MAX + 1];
	size_t account_len;
	uint32_t cps;
	char realm[EDGE_REALM_MAX];
	size_t realm_len;
	struct flt_ban_info *list;	/* BAN_LIST output, EDGE_BAN_LIST_MAX entries */
	size_t list_n;
	int rc;
	_Atomic int done;	/* release by the worker after writing rc/list; acquire by main */
};

struct edge_dp_worker {
	struct edge_worker ew;
	struct rte_ring *cmd;		/* SP: main lcore, SC: this worker; struct edge_cmd * */
	struct rte_ring *notices;	/* SP: this worker, SC: main lcore; struct flt_ban_notice */
	struct rte_ring *peer_bans;	/* SP: main lcore, SC: this worker; struct flt_ban_notice:
					 * density bans the other workers raised */
	struct edge_cmd cmd_slot;
	char *in;			/* a chained datagram, made contiguous */
	uint64_t next_expire_ns;
	bool attached;
} __rte_cache_aligned;

struct edge_dp {
	struct edge_config cfg;
	struct edge_core core;
	unsigned n_workers;
	struct edge_dp_worker *w;
	int16_t slot_of_lcore[RTE_MAX_LCORE];
	uint16_t iface_of_role[2];
	bool has_role[2];
	uint16_t max_payload;		/* largest datagram either port can send unfragmented */
	struct flt_policy policy;	/* as applied to every worker; main lcore only */
	struct edge_set sets[2];	/* current and spare; see edge_core.set */
	uint64_t next_probe_ms;
	uint32_t probe_seq;
	struct flt_ban_info list_buf[EDGE_BAN_LIST_MAX];
	_Atomic uint64_t not_worker;
	_Atomic uint64_t ban_share_lost;	/* written by the main lcore only */
};

/* Clocks every lcore shares (the TSC). */
uint64_t edge_dp_now_ns(void);
uint64_t edge_dp_now_ms(void);

/* Main lcore: run cmd on one worker / on all, waiting (bounded) for each to finish. */
int edge_dp_run_one(struct edge_dp *e, unsigned index, const struct edge_cmd *cmd,
		    struct edge_cmd **done);
int edge_dp_run_all(struct edge_dp *e, const struct edge_cmd *cmd);

/* Main lcore: a new dispatcher set, published then fenced by a barrier on every worker. */
int edge_dp_set_nodes(struct edge_dp *e, const struct edge_set *set);

#endif
