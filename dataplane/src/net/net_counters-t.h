/* Packet counters of the data plane's L2/L3 layer, declared once in the X-macro table below;
 * the stats reply, the CLI and the metrics all read their names from this table.
 *
 * Types only. Each lcore owns one struct net_counters and is its only writer; readers on other
 * lcores sum them with relaxed loads.
 */
#ifndef BUGLE_NET_COUNTERS_T_H
#define BUGLE_NET_COUNTERS_T_H

#include <stdint.h>

#include <rte_common.h>

/* X(name, help) */
#define NET_COUNTER_TABLE(X)                                                                      \
	X(rx_packets, "packets received from a port")                                              \
	X(rx_drop_runt, "frame shorter than an Ethernet header")                                  \
	X(rx_drop_not_for_us, "unicast frame or IPv4 packet for another host")                  \
	X(rx_drop_multicast, "multicast frame")                                                   \
	X(rx_drop_vlan, "VLAN-tagged frame (no VLANs configured)")                                \
	X(rx_drop_not_ipv4, "EtherType other than IPv4 or ARP")                                  \
	X(rx_drop_bad_arp, "malformed ARP packet")                                                \
	X(rx_drop_arp_not_for_us, "ARP packet whose target is not our address")                  \
	X(rx_arp_request, "ARP requests for our address answered")                               \
	X(rx_arp_reply, "ARP replies for our address")                                           \
	X(rx_drop_bad_ipv4_len, "IPv4 header or total length inconsistent with the frame")      \
	X(rx_drop_bad_ipv4_version, "IP version other than 4")                                   \
	X(rx_drop_bad_ipv4_csum, "IPv4 header checksum wrong")                                    \
	X(rx_drop_ipv4_options, "IPv4 header with options")                                       \
	X(rx_drop_bad_ipv4_src, "IPv4 source is multicast, broadcast, loopback or zero")        \
	X(rx_drop_ttl, "IPv4 TTL of zero")                                                         \
	X(rx_drop_frag_bad_len, "fragment length not a multiple of 8 or past 65535")            \
	X(rx_drop_frag_table_full, "first fragment of a datagram with no room in the table")    \
	X(rx_drop_frag_invalid, "datagram dropped by reassembly (overlap, duplicate, too many)") \
	X(rx_drop_frag_timeout, "fragments of datagrams that expired before completion")        \
	X(rx_frag_reassembled, "datagrams reassembled from fragments")                          \
	X(rx_drop_unknown_l4, "IPv4 protocol other than ICMP or UDP")                             \
	X(rx_drop_bad_icmp, "malformed ICMP message or wrong ICMP checksum")                      \
	X(rx_drop_icmp_fragmented, "fragmented ICMP echo (not answered)")                         \
	X(rx_drop_icmp_type, "ICMP type other than echo request")                                 \
	X(rx_icmp_echo, "ICMP echo requests answered")                                            \
	X(rx_drop_bad_udp_len, "UDP length inconsistent with the IPv4 packet")                    \
	X(rx_drop_bad_udp_csum, "UDP checksum wrong")                                              \
	X(rx_drop_no_udp_handler, "UDP datagram to a port with no handler")                      \
	X(rx_udp_delivered, "UDP datagrams handed to a handler")                                  \
	X(tx_packets, "packets queued for transmission")                                          \
	X(tx_drop_too_big, "reply larger than the port's MTU (replies are not fragmented)")     \
	X(tx_drop_no_route, "destination off-link and no gateway configured")                    \
	X(tx_drop_no_arp, "packets dropped because the next hop did not answer ARP")             \
	X(tx_drop_arp_queue_full, "packets dropped because the ARP pending queue was full")     \
	X(tx_drop_ring_full, "message dropped because an inter-lcore ring was full")             \
	X(tx_drop_port_full, "packets the port's TX queue did not take")                          \
	X(tx_arp_request, "ARP requests sent")                                                     \
	X(mbuf_alloc_fail, "mbuf pool exhausted")

enum net_counter_id {
#define NET_COUNTER_ENUM(name, help) NET_CTR_##name,
	NET_COUNTER_TABLE(NET_COUNTER_ENUM)
#undef NET_COUNTER_ENUM
	NET_CTR_COUNT
};

struct net_counters {
	uint64_t v[NET_CTR_COUNT];	/* WRITER: the owning lcore; READERS: relaxed loads */
} __rte_cache_aligned;

#endif
