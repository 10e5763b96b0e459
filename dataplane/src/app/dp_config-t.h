/* The data plane's configuration, filled from the settings table (dp_settings.c). Types only.
 * Read-only once start-up has loaded it.
 */
#ifndef BUGLE_DP_CONFIG_T_H
#define BUGLE_DP_CONFIG_T_H

#include <stdbool.h>
#include <stdint.h>

#include "edge-t.h"

#define DP_MAX_WORKERS 16
/* Longest idle sleep of a worker: a port's RX ring must hold what arrives meanwhile. */
#define DP_IDLE_SLEEP_US_MAX 1000

enum dp_hugepages { DP_HUGEPAGES_AUTO = 0, DP_HUGEPAGES_ON = 1, DP_HUGEPAGES_OFF = 2 };

struct dp_port_config {
	char device[256];	/* PCI address or vdev spec ("net_af_packet0,iface=bgl-pub0") */
	char address[32];	/* "192.0.2.1/24" */
	char gateway[16];	/* "" when none */
};

struct dp_config {
	char node[64];
	int64_t workers;
	int64_t memory_mb;
	int hugepages;		/* enum dp_hugepages */
	int64_t mbufs;
	char eal_args[512];
	struct dp_port_config pub;
	struct dp_port_config internal;
	char control_listen[128];
	char metrics_listen[64];	/* Prometheus /metrics, "ip:port"; "" = off */
	int64_t arp_timeout_s;
	int64_t arp_queue_len;	/* packets held per unresolved neighbour */
	int64_t frag_max_flows;
	int64_t frag_timeout_ms;
	int64_t udp_echo_port;	/* 0: off */
	int64_t idle_sleep_us;	/* worker sleep after a run of empty polls; 0: pure poll */
	int64_t rtp_port_min, rtp_port_max;	/* media relay: public RTP/RTCP port range */
	int64_t max_sessions;			/* media relay: session table size */
	int64_t media_timeout_s, media_hold_timeout_s;	/* dead-media timeouts */
	char media_directory[256];		/* prompts and recordings */
	int log_level;		/* enum bgl_log_level */
	int log_format;		/* enum bgl_log_format */
	bool log_syslog;
	struct edge_config edge;	/* sip.*, dispatcher.*, filter.* */
};

#endif
