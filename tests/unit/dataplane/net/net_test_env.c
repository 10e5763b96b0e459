/* The io callbacks only record: tests then look at exactly what would have gone out. */
#include "net_test_env.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "net_addr.h"
#include "net_neigh.h"
#include "net_udp.h"

const struct rte_ether_addr test_peer_mac = { { 0x02, 0, 0, 0, 0, 0x02 } };

int test_eal_init(const char *name)
{
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "%s-%d", name, (int)getpid());
	char *argv[] = { (char *)name, "--no-huge", "--no-pci", "-m", "128", "-l", "0",
			 "--file-prefix", prefix, "--no-shconf", "--no-telemetry",
			 "--log-level", "*:error" };
	int argc = (int)(sizeof(argv) / sizeof(argv[0]));
	return rte_eal_init(argc, argv) < 0 ? -1 : 0;
}

void test_eal_fini(void)
{
	/* The EAL leaves its runtime directory behind; with a per-process prefix they would pile
	 * up, one per test run. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX + 256];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

rte_be32_t test_ip(const char *text)
{
	rte_be32_t a = 0;
	if (net_ipv4_parse(text, &a) < 0)
		abort();
	return a;
}

static void capture_tx(void *arg, uint16_t iface, struct rte_mbuf *m)
{
	struct test_env *env = arg;
	if (env->n_tx == TEST_MAX_CAPTURE)
		abort();
	env->tx_iface[env->n_tx] = iface;
	env->tx[env->n_tx++] = m;
}

static void capture_main(void *arg, enum net_main_msg kind, uint16_t iface, rte_be32_t ip,
			 const struct rte_ether_addr *mac, struct rte_mbuf *m)
{
	struct test_env *env = arg;
	if (env->n_main == TEST_MAX_CAPTURE)
		abort();
	struct test_to_main *c = &env->main[env->n_main++];
	c->kind = kind;
	c->iface = iface;
	c->ip = ip;
	memset(&c->mac, 0, sizeof(c->mac));
	if (mac)
		c->mac = *mac;
	c->m = m;
}

struct test_env *test_env_new(void)
{
	/* struct net_lcore is cache aligned: calloc's alignment is not enough. */
	struct test_env *env = aligned_alloc(RTE_CACHE_LINE_SIZE,
					     RTE_ALIGN_CEIL(sizeof(*env), RTE_CACHE_LINE_SIZE));
	if (!env)
		return NULL;
	memset(env, 0, sizeof(*env));
	char name[32];
	static unsigned seq;
	snprintf(name, sizeof(name), "test_pool_%u", seq++);
	env->pool = rte_pktmbuf_pool_create(name, 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					    SOCKET_ID_ANY);
	env->neigh = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*env->neigh));
	if (!env->pool || !env->neigh) {
		test_env_free(env);
		return NULL;
	}
	memset(env->neigh, 0, sizeof(*env->neigh));
	struct net_iface *ifc = &env->ifc[0];
	ifc->role = NET_ROLE_PUBLIC;
	ifc->mac = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x01 } };
	net_ipv4_parse_cidr(TEST_OUR_IP "/24", &ifc->addr, &ifc->netmask);
	ifc->gateway = test_ip("192.0.2.254");
	ifc->mtu = 1500;
	net_udp_demux_init(&env->demux);
	struct net_neigh_params p = { .reachable_ms = 1000, .probe_interval_ms = 100,
				      .max_probes = 3 };
	net_neigh_init(env->neigh, &p);

	env->lc.ifaces = env->ifc;
	env->lc.n_ifaces = 1;
	env->lc.demux = &env->demux;
	env->lc.neigh[0] = env->neigh;
	env->lc.pool = env->pool;
	env->lc.io = (struct net_io){ .arg = env, .tx = capture_tx, .to_main = capture_main };
	return env;
}

void test_env_reset(struct test_env *env)
{
	for (unsigned i = 0; i < env->n_tx; i++)
		rte_pktmbuf_free(env->tx[i]);
	for (unsigned i = 0; i < env->n_main; i++)
		rte_pktmbuf_free(env->main[i].m);
	env->n_tx = 0;
	env->n_main = 0;
	memset(&env->lc.ctr, 0, sizeof(env->lc.ctr));
}

void test_env_free(struct test_env *env)
{
	if (!env)
		return;
	test_env_reset(env);
	if (env->neigh)
		net_neigh_flush(env->neigh);
	free(env->neigh);
	rte_mempool_free(env->pool);
	free(env);
}

struct rte_mbuf *test_mbuf(struct test_env *env, const void *bytes, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(env->pool);
	if (!m)
		return NULL;
	char *p = rte_pktmbuf_append(m, (uint16_t)len);
	if (!p) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(p, bytes, len);
	return m;
}

struct rte_mbuf *test_ipv4_frame(struct test_env *env, rte_be32_t src, rte_be32_t dst,
				 uint8_t proto, uint16_t id, uint16_t frag_field,
				 const void *payload, size_t len)
{
	uint8_t buf[2048];
	if (len + sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) > sizeof(buf))
		return NULL;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	eth->dst_addr = env->ifc[0].mac;
	eth->src_addr = test_peer_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + len));
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->fragment_offset = rte_cpu_to_be_16(frag_field);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	memcpy(ip + 1, payload, len);
	return test_mbuf(env, buf, sizeof(*eth) + sizeof(*ip) + len);
}

size_t test_udp_datagram(uint8_t *out, size_t cap, rte_be32_t src, rte_be32_t dst,
			 uint16_t sport, uint16_t dport, const void *payload, size_t len)
{
	if (len + sizeof(struct rte_udp_hdr) > cap)
		abort();
	struct rte_ipv4_hdr ip = { .version_ihl = RTE_IPV4_VHL_DEF, .next_proto_id = IPPROTO_UDP,
				   .src_addr = src, .dst_addr = dst,
				   .total_length = rte_cpu_to_be_16(
					   (uint16_t)(sizeof(ip) + sizeof(struct rte_udp_hdr) + len)) };
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)out;
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, payload, len);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(&ip, udp);
	return sizeof(*udp) + len;
}
