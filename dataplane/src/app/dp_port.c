/* One RX queue per worker and one TX queue per lcore (main + workers). RX IPv4 and UDP
 * checksum verification is handed to the NIC when it offers it: the fast path (net_ipv4.c,
 * net_udp.c) takes the GOOD/BAD flags it sets and sums in software only what arrives UNKNOWN,
 * which is everything on PMDs without the offload (af_packet, tap). No TX offloads. */
#include "dp_port.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <net/if.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "bugle/log.h"
#include "dp_afp_drops.h"
#include "dp_eal_args.h"

#define RX_DESC 1024
#define TX_DESC 1024

int dp_port_socket(uint16_t port_id)
{
	int s = rte_eth_dev_socket_id(port_id);
	return s < 0 ? (int)rte_socket_id() : s;
}

static const char *rx_csum_text(uint64_t offloads)
{
	bool ip = offloads & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	bool udp = offloads & RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	return ip && udp ? "the NIC" : ip ? "the NIC (IPv4) and software (UDP)"
			 : udp ? "software (IPv4) and the NIC (UDP)" : "software";
}

static int fail(const struct dp_port *port, const char *what, int rc)
{
	BGL_ERR("port %s: %s: %s", port->name, what, rte_strerror(-rc));
	return rc < 0 ? rc : -EIO;
}

/* The PMD fills if_index in its device info; the spec's iface= is the fallback for a PMD
 * that does not. A port whose sockets cannot be found runs on, its ring drops uncounted. */
static void ring_drops_attach(struct dp_port *port, const struct rte_eth_dev_info *info,
			      const char *spec)
{
	int ifindex = (int)info->if_index;
	const char *from = "device info";
	char iface[IF_NAMESIZE];
	if (ifindex <= 0 && dp_afp_spec_iface(spec, iface, sizeof(iface)) == 0) {
		ifindex = (int)if_nametoindex(iface);
		from = "iface=";
	}
	struct dp_afp_drops *d = calloc(1, sizeof(*d));
	if (!d) {
		BGL_WARN("port %s: out of memory; kernel ring drops not counted", port->name);
		return;
	}
	int n = dp_afp_drops_attach(d, ifindex);
	if (n <= 0) {
		BGL_WARN("port %s: no af_packet socket found on ifindex %d (%s); kernel ring drops "
			 "not counted", port->name, ifindex, n ? strerror(-n) : "none bound");
		free(d);
		return;
	}
	port->ring_drops = d;
	BGL_INFO("port %s: kernel ring drops read from %d af_packet socket(s) on ifindex %d "
		 "(from the %s)", port->name, n, ifindex, from);
}

uint64_t dp_port_rx_offloads(uint64_t capa)
{
	return capa & (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM);
}

int dp_port_open(struct dp_port *port, const char *spec, unsigned workers,
		 struct rte_mempool *pool, struct rte_ether_addr *mac)
{
	char dev[128];
	dp_device_name(spec, dev, sizeof(dev));
	if (rte_eth_dev_get_port_by_name(dev, &port->port_id) != 0) {
		BGL_ERR("port %s: device '%s' not found (is the PMD installed and the spec right?)",
			port->name, dev);
		return -ENODEV;
	}
	struct rte_eth_dev_info info;
	int rc = rte_eth_dev_info_get(port->port_id, &info);
	if (rc)
		return fail(port, "device info", rc);

	port->n_txq = (uint16_t)(workers + 1);
	port->n_rxq = (uint16_t)workers;
	/* af_packet fans traffic out over all of its queue pairs: a queue left unpolled would
	 * swallow its share, so every one of them is configured and polled. */
	if (!strcmp(info.driver_name, "net_af_packet"))
		port->n_rxq = info.max_rx_queues;
	if (port->n_rxq > info.max_rx_queues || port->n_txq > info.max_tx_queues ||
	    port->n_rxq > DP_MAX_RXQ) {
		BGL_ERR("port %s: %s offers %u RX / %u TX queues; %u workers need %u / %u",
			port->name, info.driver_name, info.max_rx_queues, info.max_tx_queues,
			workers, port->n_rxq, port->n_txq);
		return -EINVAL;
	}

	struct rte_eth_conf conf;
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = dp_port_rx_offloads(info.rx_offload_capa);
	rc = rte_eth_dev_configure(port->port_id, port->n_rxq, port->n_txq, &conf);
	if (rc)
		return fail(port, "configure", rc);
	uint16_t nb_rx = RX_DESC, nb_tx = TX_DESC;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port->port_id, &nb_rx, &nb_tx);
	if (rc)
		return fail(port, "descriptor counts", rc);
	int socket = dp_port_socket(port->port_id);
	for (uint16_t q = 0; q < port->n_rxq; q++) {
		rc = rte_eth_rx_queue_setup(port->port_id, q, nb_rx, (unsigned)socket, NULL, pool);
		if (rc)
			return fail(port, "RX queue", rc);
	}
	for (uint16_t q = 0; q < port->n_txq; q++) {
		rc = rte_eth_tx_queue_setup(port->port_id, q, nb_tx, (unsigned)socket, NULL);
		if (rc)
			return fail(port, "TX queue", rc);
	}
	rc = rte_eth_dev_start(port->port_id);
	if (rc)
		return fail(port, "start", rc);
	port->started = true;
	if (!strcmp(info.driver_name, "net_af_packet"))
		ring_drops_attach(port, &info, spec);

	rc = rte_eth_promiscuous_disable(port->port_id);
	if (rc && rc != -ENOTSUP)
		BGL_WARN("port %s: cannot turn promiscuous mode off: %s", port->name,
			 rte_strerror(-rc));
	rc = rte_eth_macaddr_get(port->port_id, mac);
	if (rc)
		return fail(port, "MAC address", rc);

	struct rte_eth_link link;
	char link_text[RTE_ETH_LINK_MAX_STR_LEN];
	if (rte_eth_link_get_nowait(port->port_id, &link) == 0 &&
	    rte_eth_link_to_str(link_text, sizeof(link_text), &link) >= 0)
		BGL_INFO("port %s: %s (%s) " RTE_ETHER_ADDR_PRT_FMT ", %u RX / %u TX queues, "
			 "RX checksums by %s, %s",
			 port->name, dev, info.driver_name, RTE_ETHER_ADDR_BYTES(mac), port->n_rxq,
			 port->n_txq, rx_csum_text(conf.rxmode.offloads), link_text);
	return 0;
}

void dp_port_close(struct dp_port *port)
{
	/* The PMD closes its sockets on stop: their numbers may be reused after it. */
	free(port->ring_drops);
	port->ring_drops = NULL;
	if (port->started) {
		int rc = rte_eth_dev_stop(port->port_id);
		if (rc)
			BGL_WARN("port %s: stop: %s", port->name, rte_strerror(-rc));
		port->started = false;
	}
	rte_eth_dev_close(port->port_id);
}
