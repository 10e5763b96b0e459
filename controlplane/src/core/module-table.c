/* bugle-controlplane's modules, in start order; stopped in reverse. A new module adds one line
 * here (and its library to the executable in CMakeLists.txt). */
#include "cp/modules.h"

/* controlplane/src/api/mod-api.c */
extern const struct cp_module cp_module_api;
/* controlplane/src/sip/mod-sip.c */
extern const struct cp_module cp_module_sip;
/* controlplane/src/calls/mod-calls.c */
extern const struct cp_module cp_module_calls;
/* controlplane/src/call/mod-call.c */
extern const struct cp_module cp_module_call;
/* controlplane/src/dpclient/mod-dp-account-push.c */
extern const struct cp_module cp_module_dp_account_push;

static const struct cp_module *const modules[] = {
	&cp_module_log,
	&cp_module_store,	/* migrations, then the pool: ctx->pg */
	&cp_module_bus,		/* ctx->bus */
	&cp_module_dataplanes,	/* one control-channel client per data plane */
	&cp_module_dp_account_push,	/* accounts' CPS limits and realms to every data plane */
	&cp_module_sip,		/* SIP stack and registrar over the store, bus and data planes */
	&cp_module_calls,	/* call events, channels, CDRs and webhooks over the store and bus */
	&cp_module_call,	/* call controller (B2BUA) hooked into the sip module's node */
	&cp_module_api,		/* REST API over the store, the bus and the calls service */
	&cp_module_status,	/* last: the status file covers everything registered before it */
};

static const struct cp_module_table table = {
	.items = modules,
	.count = sizeof(modules) / sizeof(modules[0]),
};

const struct cp_module_table *cp_module_table(void)
{
	return &table;
}
