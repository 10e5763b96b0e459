/* The edge on DPDK: the UDP handler on the workers, the worker-side command queue (filter
 * control from the main lcore), the main lcore's tick (health probes, ban notices) and the
 * control-channel methods.
 *
 * Return convention: edge_dp_create returns a pointer or NULL (reason in err); counters and
 * ctl handlers follow ctl_server-t.h (a count / a bugle_dp_Status); the rest 0 or a negative
 * errno.
 */
#ifndef BUGLE_EDGE_DP_H
#define BUGLE_EDGE_DP_H

#include <stddef.h>
#include <stdint.h>

#include "ctl_server-t.h"
#include "edge-t.h"
#include "net_lcore-t.h"

struct edge_dp;

/* Main lcore, before the workers launch. ifaces: the ports as the net layer sees them. */
struct edge_dp *edge_dp_create(const struct edge_config *cfg, const struct net_iface *ifaces,
			       uint16_t n_ifaces, unsigned n_workers, char *err, size_t errlen);
void edge_dp_free(struct edge_dp *e);

/* Main lcore, before the workers launch: new INVITEs get 503 + Retry-After while *draining. */
void edge_dp_set_drain_flag(struct edge_dp *e, const _Atomic bool *draining);

/* Main lcore, any time: the OPTIONS health-probe period (dispatcher.probe_interval_ms). */
void edge_dp_set_probe_interval(struct edge_dp *e, uint32_t ms);

/* The SIP handler for cfg->sip_port on both roles. */
int edge_dp_register(struct edge_dp *e, struct net_udp_demux *d);
/* Worker `index` runs on lcore_id (its filter instance is built on that lcore's socket). */
int edge_dp_worker_attach(struct edge_dp *e, unsigned index, unsigned lcore_id);

/* Worker `index`, between bursts: pending commands, density bans the other workers raised,
 * ban expiry, its own ban notices to the main lcore. */
void edge_dp_worker_poll(struct edge_dp *e, unsigned index);

/* Main lcore, every timer tick: health probes through lc (the main lcore's net context), and
 * each worker's new density bans passed on to the other workers and published as
 * EVENT_BAN_ADDED through publish(arg, event). */
void edge_dp_main_tick(struct edge_dp *e, struct net_lcore *lc,
		       int (*publish)(void *arg, const bugle_dp_Event *ev), void *arg);

/* (name, value) pairs: edge counters, sanity faults, filter counters, summed over workers. */
size_t edge_dp_counters(const struct edge_dp *e, const char **names, uint64_t *values,
			size_t cap);

/* Main lcore: INVITEs from or to realm count against account's CPS limit on every worker;
 * account NULL or "" removes the realm. -EINVAL bad lengths, -ENOSPC a worker's table is full,
 * -ENOENT removing an unknown realm. */
int edge_dp_account_realm(struct edge_dp *e, const char *realm, const char *account);

/* Control-channel methods; ctx is the struct edge_dp. */
int edge_dp_set_filter_policy(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			      size_t cap, size_t *resp_len, char *err, size_t err_cap);
int edge_dp_get_filter_policy(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			      size_t cap, size_t *resp_len, char *err, size_t err_cap);
int edge_dp_ban_add(void *ctx, const uint8_t *req, size_t len, uint8_t *resp, size_t cap,
		    size_t *resp_len, char *err, size_t err_cap);
int edge_dp_ban_remove(void *ctx, const uint8_t *req, size_t len, uint8_t *resp, size_t cap,
		       size_t *resp_len, char *err, size_t err_cap);
int edge_dp_ban_list(void *ctx, const uint8_t *req, size_t len, uint8_t *resp, size_t cap,
		     size_t *resp_len, char *err, size_t err_cap);
int edge_dp_set_account_limits(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			       size_t cap, size_t *resp_len, char *err, size_t err_cap);
/* Realm -> account entries (AccountRealms); replace forgets every other realm first. */
int edge_dp_set_account_realms(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			       size_t cap, size_t *resp_len, char *err, size_t err_cap);
int edge_dp_set_dispatcher(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			   size_t cap, size_t *resp_len, char *err, size_t err_cap);
int edge_dp_get_dispatcher(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			   size_t cap, size_t *resp_len, char *err, size_t err_cap);

#endif
