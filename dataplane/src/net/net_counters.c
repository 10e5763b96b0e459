/* Names and help texts of the counter table, generated from the same X-macro as the enum. */
#include "net_counters.h"

#include <stddef.h>

static const char *const counter_names[NET_CTR_COUNT] = {
#define NET_COUNTER_NAME(name, help) #name,
	NET_COUNTER_TABLE(NET_COUNTER_NAME)
#undef NET_COUNTER_NAME
};

static const char *const counter_help[NET_CTR_COUNT] = {
#define NET_COUNTER_HELP(name, help) help,
	NET_COUNTER_TABLE(NET_COUNTER_HELP)
#undef NET_COUNTER_HELP
};

const char *net_counter_name(unsigned id)
{
	return id < NET_CTR_COUNT ? counter_names[id] : NULL;
}

const char *net_counter_help(unsigned id)
{
	return id < NET_CTR_COUNT ? counter_help[id] : NULL;
}
