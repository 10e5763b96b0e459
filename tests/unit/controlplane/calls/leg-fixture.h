/* One answered and hung-up leg shared by the calls tests. */
#ifndef LEG_FIXTURE_H
#define LEG_FIXTURE_H

#include "calls-leg-t.h"

#define ACCT "0123456789abcdef0123456789abcdef"
/* 2026-11-22T06:00:00Z */
#define T0_US (1795327200LL * 1000000)

static inline struct calls_leg fixture_leg(void)
{
	struct calls_leg l = {
		.call_id = "abc.123@host",
		.account_id = ACCT,
		.other_leg_call_id = "b-leg",
		.direction = CALLS_INBOUND,
		.caller_id_name = "Alice",
		.caller_id_number = "1001",
		.callee_id_name = "Bob",
		.callee_id_number = "1002",
		.from = "1001@example.com",
		.to = "1002@example.com",
		.request = "1002@example.com",
		.authorizing_id = "dev1",
		.authorizing_type = "device",
		.user_agent = "baresip",
		.hangup_cause = "NORMAL_CLEARING",
		.hangup_code = 200,
		.created_us = T0_US,
		.answered_us = T0_US + 3500000,	/* rang 3.5 s */
		.ended_us = T0_US + 65000000,	/* 65 s after create */
		.event_us = T0_US + 65000000,
	};
	return l;
}

#endif
