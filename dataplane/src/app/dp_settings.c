/* Every setting of bugle-dataplane, in one table: defaults, the INI file, --set and --help all
 * read it. Reloadable ones (buglectl settings set) have an apply hook in dataplane/src/ops;
 * ports, lcores and memory are fixed at start-up. */
#include "dp_settings.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net_addr.h"
#include "net_neigh-t.h"

#define S struct dp_config

/* The default of dataplane.arp_queue_len is written out (the table stringifies it). */
_Static_assert(NET_NEIGH_PENDING_DEFAULT == 64, "dataplane.arp_queue_len default");

static const struct bgl_setting dp_settings[] = {
	BGL_SETTING_STRING_DEF("dataplane.node", S, node, "dp1", false,
			       "node name, reported in heartbeats and used in the EAL file prefix"),
	BGL_SETTING_INT_DEF("dataplane.workers", S, workers, 1, 1, DP_MAX_WORKERS, false,
			    "worker lcores running the fast path (the main lcore comes on top)"),
	BGL_SETTING_INT_DEF("dataplane.memory_mb", S, memory_mb, 512, 64, 65536, false,
			    "DPDK memory in MB"),
	BGL_SETTING_ENUM_DEF("dataplane.hugepages", S, hugepages, "auto", "auto|on|off", false,
			     "auto: hugepages when /proc/meminfo shows free ones, else --no-huge"),
	BGL_SETTING_INT_DEF("dataplane.mbufs", S, mbufs, 16383, 1023, 4194303, false,
			    "mbufs per socket pool (best as 2^n - 1)"),
	BGL_SETTING_STRING_DEF("dataplane.eal_args", S, eal_args, "", false,
			       "extra EAL arguments, space separated"),
	BGL_SETTING_INT_DEF("dataplane.arp_timeout_s", S, arp_timeout_s, 300, 5, 86400, false,
			    "seconds a learnt neighbour stays valid"),
	BGL_SETTING_INT_DEF("dataplane.arp_queue_len", S, arp_queue_len, 64, 1,
			    NET_NEIGH_PENDING_SLOTS, false,
			    "packets held per unresolved neighbour until ARP answers; more are "
			    "dropped (counter tx_drop_arp_queue_full)"),
	BGL_SETTING_INT_DEF("dataplane.frag_max_flows", S, frag_max_flows, 4096, 16, 1048576, false,
			    "datagrams in reassembly at once, per worker"),
	BGL_SETTING_INT_DEF("dataplane.frag_timeout_ms", S, frag_timeout_ms, 2000, 100, 60000, false,
			    "time a datagram has to receive all its fragments"),
	BGL_SETTING_INT_DEF("dataplane.udp_echo_port", S, udp_echo_port, 0, 0, 65535, false,
			    "UDP echo (RFC 862) on this port of both roles, a health probe; 0: off"),
	BGL_SETTING_INT_DEF("dataplane.idle_sleep_us", S, idle_sleep_us, 0, 0, DP_IDLE_SLEEP_US_MAX,
			    false, "a worker finding no packets for a run of polls sleeps this "
			    "long, leaving its core to other processes (counter worker_idle_sleeps); "
			    "0: it polls without pause (a dedicated core)"),
	BGL_SETTING_INT_DEF("media.rtp_port_min", S, rtp_port_min, 30000, 1024, 65534, false,
			    "first public RTP port of the relay (even ports RTP, RTCP on the next)"),
	BGL_SETTING_INT_DEF("media.rtp_port_max", S, rtp_port_max, 39999, 1025, 65535, false,
			    "last public RTP/RTCP port of the relay"),
	BGL_SETTING_INT_DEF("media.max_sessions", S, max_sessions, 4096, 1, 1048576, false,
			    "media sessions at once (two legs each); more offers are refused"),
	BGL_SETTING_INT_DEF("media.timeout_s", S, media_timeout_s, 60, 1, 86400, false,
			    "seconds without media from an active leg before a media-timeout event"),
	BGL_SETTING_INT_DEF("media.hold_timeout_s", S, media_hold_timeout_s, 3600, 1, 86400, false,
			    "the same for a leg on hold (sendonly, recvonly, inactive or 0.0.0.0)"),
	BGL_SETTING_STRING_DEF("media.directory", S, media_directory, "", false,
			       "directory of prompts and recordings (media operations); empty: none"),
	BGL_SETTING_STRING_DEF("public.device", S, pub.device, "net_null0", false,
			       "DPDK device of the public port: PCI address or vdev spec"),
	BGL_SETTING_STRING_DEF("public.address", S, pub.address, "192.0.2.1/24", false,
			       "IPv4 address/prefix of the public port"),
	BGL_SETTING_STRING_DEF("public.gateway", S, pub.gateway, "", false,
			       "IPv4 gateway of the public port (empty: on-link only)"),
	BGL_SETTING_STRING_DEF("internal.device", S, internal.device, "", false,
			       "DPDK device of the internal port (empty: no internal port)"),
	BGL_SETTING_STRING_DEF("internal.address", S, internal.address, "198.51.100.1/24", false,
			       "IPv4 address/prefix of the internal port"),
	BGL_SETTING_STRING_DEF("internal.gateway", S, internal.gateway, "", false,
			       "IPv4 gateway of the internal port (empty: on-link only)"),
	BGL_SETTING_STRING_DEF("control.listen", S, control_listen, "127.0.0.1:7010", false,
			       "control channel: host:port or unix:/path"),
	BGL_SETTING_STRING_DEF("metrics.listen", S, metrics_listen, "127.0.0.1:9110", false,
			       "Prometheus /metrics over HTTP on this ip:port (keep it loopback); empty: off"),
	BGL_SETTING_INT_DEF("sip.port", S, edge.sip_port, 5060, 0, 65535, false,
			    "SIP over UDP on both ports, handled by the edge proxy; 0: off"),
	BGL_SETTING_STRING_DEF("dispatcher.nodes", S, edge.dispatcher_nodes, "", false,
			       "control planes at start-up, ip:port[,ip:port...] (then SetDispatcher)"),
	BGL_SETTING_INT_DEF("dispatcher.probe_interval_ms", S, edge.probe_interval_ms, 500, 50,
			    60000, true, "OPTIONS health probe to every control plane this often"),
	BGL_SETTING_INT_DEF("dispatcher.dead_after_ms", S, edge.dead_after_ms, 1500, 100, 600000,
			    false, "a control plane silent this long gets no new requests"),
	BGL_SETTING_INT_DEF("filter.density_requests", S, edge.density_requests, 30, 0, 1000000,
			    true, "requests per window from one source that get it banned; 0: off"),
	BGL_SETTING_INT_DEF("filter.density_window_ms", S, edge.density_window_ms, 2000, 1,
			    3600000, true, "the density detector's window"),
	BGL_SETTING_INT_DEF("filter.ban_seconds", S, edge.ban_seconds, 300, 1, 86400 * 30, true,
			    "how long a density ban lasts"),
	BGL_SETTING_INT_DEF("filter.register_per_second", S, edge.register_per_second, 5, 0,
			    1000000, true, "REGISTERs per second per source (burst twice); 0: no limit"),
	BGL_SETTING_INT_DEF("filter.invite_per_second", S, edge.invite_per_second, 5, 0, 1000000,
			    true, "INVITEs per second per source (burst twice); 0: no limit"),
	BGL_SETTING_STRING_DEF("filter.scanner_user_agents", S, edge.scanner_user_agents,
			       "friendly-scanner,sipvicious,sipcli,sip-scan,iWar,sipsak", true,
			       "User-Agent substrings dropped at once, comma-separated"),
	BGL_SETTING_STRING_DEF("filter.allow_sources", S, edge.allow_sources, "", true,
			       "trusted addresses/CIDRs that skip the density and rate limits"),
	BGL_SETTING_ENUM_DEF("log.level", S, log_level, "info", "error|warning|info|debug", true,
			     "log level"),
	BGL_SETTING_ENUM_DEF("log.format", S, log_format, "text", "text|json", false,
			     "log line format"),
	BGL_SETTING_BOOL_DEF("log.syslog", S, log_syslog, "false", false,
			     "also log to syslog"),
};

#undef S

static const struct bgl_settings_table dp_table = {
	.items = dp_settings,
	.count = sizeof(dp_settings) / sizeof(dp_settings[0]),
};

const struct bgl_settings_table *dp_settings_table(void)
{
	return &dp_table;
}

static int bad(struct bgl_settings_error *err, const char *origin, const char *name,
	       const char *value, const char *what)
{
	snprintf(err->msg, sizeof(err->msg), "%s: setting '%s': '%s' is not %s", origin, name,
		 value, what);
	return -EINVAL;
}

static int check_port(const struct dp_port_config *p, const char *section, const char *origin,
		      struct bgl_settings_error *err)
{
	char name[32];
	rte_be32_t a, m;
	snprintf(name, sizeof(name), "%s.address", section);
	if (net_ipv4_parse_cidr(p->address, &a, &m) < 0)
		return bad(err, origin, name, p->address, "an IPv4 address/prefix");
	snprintf(name, sizeof(name), "%s.gateway", section);
	if (p->gateway[0] && net_ipv4_parse(p->gateway, &a) < 0)
		return bad(err, origin, name, p->gateway, "an IPv4 address");
	snprintf(name, sizeof(name), "%s.device", section);
	if (strchr(p->device, ' '))
		return bad(err, origin, name, p->device, "a device spec (no spaces)");
	return 0;
}

int dp_config_check(const struct dp_config *cfg, const char *origin,
		    struct bgl_settings_error *err)
{
	if (!cfg->pub.device[0])
		return bad(err, origin, "public.device", "", "a device spec");
	int rc = check_port(&cfg->pub, "public", origin, err);
	if (rc == 0 && cfg->internal.device[0])
		rc = check_port(&cfg->internal, "internal", origin, err);
	if (rc == 0 && cfg->internal.device[0] && !strcmp(cfg->internal.device, cfg->pub.device))
		return bad(err, origin, "internal.device", cfg->internal.device,
			   "a device other than public.device");
	if (rc == 0 && cfg->rtp_port_min + 1 > cfg->rtp_port_max)
		return bad(err, origin, "media.rtp_port_max", "", "above media.rtp_port_min");
	if (rc == 0 && strchr(cfg->node, ' '))
		return bad(err, origin, "dataplane.node", cfg->node, "a name without spaces");
	return rc;
}
