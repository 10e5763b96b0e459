/* Names and help texts of the counter table, generated from the same X-macro as the enum. */
#include "net_counters.h"

#include "counter_table.h"

COUNTER_TABLE_LOOKUPS(net_counter, NET_COUNTER_TABLE, NET_CTR_COUNT)
