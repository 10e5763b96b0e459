/* Shared fixture for the net unit tests: an EAL without hugepages or PCI, a packet pool, one
 * public interface, and an io that records what the code under test sends instead of sending it.
 * Return convention: creators return a pointer or NULL; the rest 0 or a negative errno.
 */
#ifndef BUGLE_TEST_NET_ENV_H
#define BUGLE_TEST_NET_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "net_lcore-t.h"
#include "net_neigh-t.h"

struct rte_mbuf;
struct rte_mempool;

#define TEST_MAX_CAPTURE 64

struct test_to_main {
	enum net_main_msg kind;
	uint16_t iface;
	rte_be32_t ip;
	struct rte_ether_addr mac;
	struct rte_mbuf *m;
};

struct test_env {
	struct rte_mempool *pool;
	struct net_iface ifc[NET_MAX_IFACES];
	struct net_udp_demux demux;
	struct net_neigh_table *neigh;
	struct net_lcore lc;
	struct rte_mbuf *tx[TEST_MAX_CAPTURE];
	uint16_t tx_iface[TEST_MAX_CAPTURE];
	unsigned n_tx;
	struct test_to_main main[TEST_MAX_CAPTURE];
	unsigned n_main;
};

/* Once per process: rte_eal_init with a file prefix unique to this process. */
int test_eal_init(const char *name);

/* rte_eal_cleanup, and the EAL's runtime directory removed. */
void test_eal_fini(void);

/* Fresh fixture: public iface 192.0.2.1/24 gw 192.0.2.254, MAC 02:00:00:00:00:01. */
struct test_env *test_env_new(void);
void test_env_free(struct test_env *env);

/* Frees every captured mbuf and clears the captures and counters. */
void test_env_reset(struct test_env *env);

extern const struct rte_ether_addr test_peer_mac;	/* 02:00:00:00:00:02 */
#define TEST_OUR_IP "192.0.2.1"
#define TEST_PEER_IP "192.0.2.10"

/* An mbuf holding bytes. */
struct rte_mbuf *test_mbuf(struct test_env *env, const void *bytes, size_t len);

/* Ethernet (peer -> us) + IPv4 header (valid checksum) + payload; frag_field is the host-order
 * flags/offset word. */
struct rte_mbuf *test_ipv4_frame(struct test_env *env, rte_be32_t src, rte_be32_t dst,
				 uint8_t proto, uint16_t id, uint16_t frag_field,
				 const void *payload, size_t len);

/* A UDP datagram (header + payload, valid checksum) as bytes, for splitting into fragments. */
size_t test_udp_datagram(uint8_t *out, size_t cap, rte_be32_t src, rte_be32_t dst,
			 uint16_t sport, uint16_t dport, const void *payload, size_t len);

rte_be32_t test_ip(const char *text);

#endif
