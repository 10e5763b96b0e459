/* Names and help texts of the relay counters, generated from the same X-macro as the enum. */
#include "relay_counters.h"

#include <stddef.h>

static const char *const counter_names[RELAY_CTR_COUNT] = {
#define RELAY_COUNTER_NAME(name, help) #name,
	RELAY_COUNTER_TABLE(RELAY_COUNTER_NAME)
#undef RELAY_COUNTER_NAME
};

static const char *const counter_help[RELAY_CTR_COUNT] = {
#define RELAY_COUNTER_HELP(name, help) help,
	RELAY_COUNTER_TABLE(RELAY_COUNTER_HELP)
#undef RELAY_COUNTER_HELP
};

const char *relay_counter_name(unsigned id)
{
	return id < RELAY_CTR_COUNT ? counter_names[id] : NULL;
}

const char *relay_counter_help(unsigned id)
{
	return id < RELAY_CTR_COUNT ? counter_help[id] : NULL;
}
