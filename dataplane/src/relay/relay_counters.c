/* Names and help texts of the relay counters, generated from the same X-macro as the enum. */
#include "relay_counters.h"

#include "counter_table.h"

COUNTER_TABLE_LOOKUPS(relay_counter, RELAY_COUNTER_TABLE, RELAY_CTR_COUNT)
