/* A port as the L2/L3 code sees it: its role, MAC and IPv4 address. Types only.
 * Read-only after start-up: written by the main lcore before the workers launch.
 */
#ifndef BUGLE_NET_IFACE_T_H
#define BUGLE_NET_IFACE_T_H

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#define NET_MAX_IFACES 2

enum net_role {
	NET_ROLE_PUBLIC = 0,
	NET_ROLE_INTERNAL = 1,
};

#define NET_ROLE_MASK(role) (1u << (role))
#define NET_ROLE_MASK_ANY (NET_ROLE_MASK(NET_ROLE_PUBLIC) | NET_ROLE_MASK(NET_ROLE_INTERNAL))

struct net_iface {
	uint16_t port_id;		/* DPDK port */
	enum net_role role;
	struct rte_ether_addr mac;
	rte_be32_t addr;		/* our address, network order */
	rte_be32_t netmask;		/* network order */
	rte_be32_t gateway;		/* 0 when none */
	uint16_t mtu;
};

#endif
