/* Counter names from the one table in edge-t.h. */
#include "edge.h"

static const char *const names[] = {
#define EDGE_COUNTER_NAME(name, help) "edge_" #name,
	EDGE_COUNTERS(EDGE_COUNTER_NAME)
#undef EDGE_COUNTER_NAME
};

const char *edge_counter_name(enum edge_counter c)
{
	return (unsigned)c < EDGE_COUNTER_COUNT ? names[c] : NULL;
}
