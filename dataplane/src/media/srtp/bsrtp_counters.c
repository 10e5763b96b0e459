/* Names, help texts and errnos of the counter table, generated from the same X-macro as the enum. */
#include "bsrtp.h"
#include "bsrtp_counters.h"

#include <stddef.h>

static const char *const counter_names[BSRTP_CTR_COUNT] = {
#define BSRTP_COUNTER_NAME(name, err, help) #name,
	BSRTP_COUNTER_TABLE(BSRTP_COUNTER_NAME)
#undef BSRTP_COUNTER_NAME
};

static const char *const counter_help[BSRTP_CTR_COUNT] = {
#define BSRTP_COUNTER_HELP(name, err, help) help,
	BSRTP_COUNTER_TABLE(BSRTP_COUNTER_HELP)
#undef BSRTP_COUNTER_HELP
};

static const int counter_rc[BSRTP_CTR_COUNT] = {
#define BSRTP_COUNTER_RC(name, err, help) -(err),
	BSRTP_COUNTER_TABLE(BSRTP_COUNTER_RC)
#undef BSRTP_COUNTER_RC
};

const char *bsrtp_counter_name(unsigned id)
{
	return id < BSRTP_CTR_COUNT ? counter_names[id] : NULL;
}

const char *bsrtp_counter_help(unsigned id)
{
	return id < BSRTP_CTR_COUNT ? counter_help[id] : NULL;
}

int bsrtp_counter_rc(enum bsrtp_counter_id id)
{
	return (unsigned)id < BSRTP_CTR_COUNT ? counter_rc[id] : -EINVAL;
}
