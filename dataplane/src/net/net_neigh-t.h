/* The ARP neighbour table of one port. Types only.
 *
 * Ownership: the main lcore is the only writer. Workers read the shared fields of an entry
 * lock-free under its sequence counter (seqlock with C11 atomics); the fields marked "main only"
 * are never read by workers.
 */
#ifndef BUGLE_NET_NEIGH_T_H
#define BUGLE_NET_NEIGH_T_H

#include <stdatomic.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>

struct rte_mbuf;

#define NET_NEIGH_BUCKETS 256		/* power of two */
#define NET_NEIGH_WAYS 4		/* entries per bucket: a full bucket evicts, never grows */
/* Packets waiting for ARP: at most params.pending_max per address (default below), taken from
 * one fixed pool of NET_NEIGH_PENDING_SLOTS per table, so an address that resolves slowly keeps
 * a whole call's first packets while the table as a whole still holds a bounded number. */
#define NET_NEIGH_PENDING_DEFAULT 64
#define NET_NEIGH_PENDING_SLOTS 4096	/* < NET_NEIGH_SLOT_NONE */
#define NET_NEIGH_SLOT_NONE UINT16_MAX

enum net_neigh_state {
	NET_NEIGH_FREE = 0,
	NET_NEIGH_INCOMPLETE = 1,	/* ARP request sent, no answer yet */
	NET_NEIGH_REACHABLE = 2,
};

struct net_neigh_entry {
	/* Shared with workers; written by the main lcore only, under seq. */
	_Atomic uint32_t seq;		/* odd while the main lcore rewrites the entry */
	_Atomic uint32_t ip;		/* network order; 0 when free */
	_Atomic uint64_t mac_state;	/* MAC in bits 0..47, enum net_neigh_state in 48..55 */

	/* Main lcore only. */
	uint64_t deadline_ms;		/* REACHABLE: expiry; INCOMPLETE: next probe */
	uint64_t refresh_ms;		/* REACHABLE: next request before expiry (see tick) */
	uint8_t probes;			/* requests sent so far while INCOMPLETE */
	uint16_t n_pending;
	uint16_t pending_head;		/* FIFO of slots, NET_NEIGH_SLOT_NONE when empty */
	uint16_t pending_tail;
} __rte_cache_aligned;

/* Main lcore only: one queued packet, linked to the next of the same address (or of the free
 * list). */
struct net_neigh_slot {
	struct rte_mbuf *m;
	uint16_t next;
};

struct net_neigh_params {
	uint32_t reachable_ms;		/* a learnt entry lives this long */
	uint32_t probe_interval_ms;	/* between ARP requests for an unresolved address */
	uint8_t max_probes;		/* then the pending packets are dropped (tx_drop_no_arp) */
	/* Packets queued per unresolved address; 0 means NET_NEIGH_PENDING_DEFAULT, and more than
	 * NET_NEIGH_PENDING_SLOTS is clamped to it. Beyond it: tx_drop_arp_queue_full. */
	uint16_t pending_max;
};

/* What the table asks its owner to do; both run on the main lcore. */
struct net_neigh_ops {
	void *arg;
	void (*send_request)(void *arg, rte_be32_t ip);
	/* Send m (Ethernet header present, destination still to fill) to dst; consumes m. */
	void (*send_packet)(void *arg, struct rte_mbuf *m, const struct rte_ether_addr *dst);
};

struct net_neigh_table {
	struct net_neigh_params params;		/* RO after init */
	struct net_neigh_entry e[NET_NEIGH_BUCKETS * NET_NEIGH_WAYS];
	/* Main lcore only, kept apart from the entries so a worker's lookup touches one line per
	 * way. */
	uint16_t free_slot;		/* head of the free list */
	struct net_neigh_slot slot[NET_NEIGH_PENDING_SLOTS];
};

#endif
