/* Types only: the daemon context handed to every module (no globals: pass this).
 * Return convention: none (types only).
 *
 * Owner: the loop thread reads and writes all of it; modules add their state here as named
 * pointers so that later modules (api, sip, callflow) find the store and the bus.
 */
#ifndef CP_CONTEXT_T_H
#define CP_CONTEXT_T_H

#include "cp/config-t.h"
#include "cp/health-t.h"

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

struct cp_pg_pool;
struct cp_bus;
struct cp_dataplanes;
struct cp_module_table;
struct api_module_state;
struct csip_node;
struct calls_service;

struct cp_signals {
	uv_signal_t term, intr, hup;
	bool open;
};

struct cp_ctx {
	uv_loop_t *loop;			/* RO after start */
	const struct cp_module_table *modules;	/* RO: what runs, in start order */
	const char *config_path;		/* RO; NULL: defaults only */
	const char *const *overrides;		/* RO: --set values, re-applied on reload */
	size_t n_overrides;
	struct cp_config cfg;			/* reloadable fields rewritten on SIGHUP */
	struct cp_health health;
	bool draining;				/* PUT /v2/system/drain: new INVITEs get 503, live calls go on */

	/* store module */
	struct cp_pg_pool *pg;
	int pg_dep;				/* health index */
	bool pg_migrated;
	uv_timer_t pg_maintenance;		/* daily: CDR partitions ahead */
	bool pg_maintenance_open;

	/* bus module */
	struct cp_bus *bus;
	int bus_dep;

	/* data-plane control channels (dataplanes module) */
	struct cp_dataplanes *dataplanes;

	/* SIP node: stack, registrar, router (sip module, controlplane/src/sip) */
	struct csip_node *sip;

	/* call events, live channels, CDRs, webhooks (calls module, controlplane/src/calls) */
	struct calls_service *calls;

	/* REST API (api module, controlplane/src/api) */
	struct api_module_state *api;

	struct cp_signals signals;
	unsigned modules_inited;		/* prefix of the module table that ran init */
	unsigned modules_started;		/* prefix of the module table that ran start */
	bool stopping;
	int exit_code;
};

#endif
