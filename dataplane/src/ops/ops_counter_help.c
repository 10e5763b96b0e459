/* Help text of a GetStats counter, looked up in the table that declares it: the stats carry
 * only names, the tables carry the help, and nothing is written twice. */
#include <stdbool.h>
#include <string.h>

#include "edge-t.h"
#include "flt-counters.h"
#include "net_counters.h"
#include "ops_metrics.h"
#include "relay_counters.h"

static const char *const edge_names[] = {
#define OPS_EDGE_NAME(name, help) #name,
	EDGE_COUNTERS(OPS_EDGE_NAME)
#undef OPS_EDGE_NAME
};
static const char *const edge_helps[] = {
#define OPS_EDGE_HELP(name, help) help,
	EDGE_COUNTERS(OPS_EDGE_HELP)
#undef OPS_EDGE_HELP
};

static bool starts(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0)
		return false;
	*rest = s + n;
	return true;
}

const char *ops_counter_help(const char *name)
{
	const char *rest;
	if (starts(name, "relay_", &rest)) {
		for (unsigned i = 0; relay_counter_name(i); i++)
			if (!strcmp(relay_counter_name(i), rest))
				return relay_counter_help(i);
		return NULL;
	}
	if (starts(name, "edge_", &rest)) {
		for (unsigned i = 0; i < EDGE_COUNTER_COUNT; i++)
			if (!strcmp(edge_names[i], rest))
				return edge_helps[i];
		return NULL;
	}
	if (starts(name, "flt_", &rest)) {
		for (unsigned i = 0; i < FLT_COUNTER_COUNT; i++)
			if (!strcmp(flt_counter_name((enum flt_counter)i), rest))
				return flt_counter_help((enum flt_counter)i);
		return NULL;
	}
	for (unsigned i = 0; net_counter_name(i); i++)
		if (!strcmp(net_counter_name(i), name))
			return net_counter_help(i);
	return NULL;
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

bool ops_counter_is_drop(const char *name, const char *help)
{
	if (strstr(name, "drop") || ends(name, "_fail"))
		return true;
	return help && (!strncmp(help, "dropped", 7) || ends(help, "dropped"));
}
