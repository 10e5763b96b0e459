/* The datagram is turned around in its own mbuf: headers stripped, new ones prepended. */
#include "dp_udp_echo.h"

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "net_counters.h"
#include "net_output.h"
#include "net_udp.h"

static void echo(struct net_lcore *lc, struct rte_mbuf *m, const struct net_udp_pkt *pkt,
		 void *arg)
{
	(void)arg;
	const struct net_iface *ifc = &lc->ifaces[pkt->iface];
	uint32_t ip_len = sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr) +
			  pkt->payload_len;
	/* A reassembled datagram may not fit back out; replies are never fragmented. */
	if (ip_len > ifc->mtu) {
		net_ctr_inc(&lc->ctr, NET_CTR_tx_drop_too_big);
		rte_pktmbuf_free(m);
		return;
	}
	rte_pktmbuf_adj(m, (uint16_t)(pkt->l4_off + sizeof(struct rte_udp_hdr)));
	if (net_udp_prepend(m, ifc->addr, pkt->src_ip,
			    pkt->dst_port, pkt->src_port, 0) < 0) {
		net_ctr_inc(&lc->ctr, NET_CTR_tx_drop_too_big);
		rte_pktmbuf_free(m);
		return;
	}
	net_output_ipv4(lc, pkt->iface, m);
}

int dp_udp_echo_register(struct net_udp_demux *demux, uint16_t port)
{
	struct net_udp_handler h = { .name = "echo", .role_mask = NET_ROLE_MASK_ANY,
				     .port_lo = port, .port_hi = port, .fn = echo };
	return net_udp_register(demux, &h);
}
