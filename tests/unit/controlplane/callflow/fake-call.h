/* Test double for the call interface: scripted bridge results, every operation recorded.
 * Return convention: nothing to return.
 */
#ifndef BUGLE_TEST_FAKE_CALL_H
#define BUGLE_TEST_FAKE_CALL_H

#include "cf-call-t.h"

#define FAKE_MAX_OPS 32
#define FAKE_MAX_EPS 16

struct fake_bridge {
	struct cf_endpoint eps[FAKE_MAX_EPS];
	size_t n;
	enum cf_strategy strategy;
	unsigned timeout_s;
};

struct fake_call {
	/* script: results the bridges return in turn; past the end: NO_ANSWER */
	struct cf_result script[FAKE_MAX_OPS];
	size_t n_script, next;

	struct fake_bridge bridges[FAKE_MAX_OPS];
	size_t n_bridges;
	char played[FAKE_MAX_OPS][64];
	size_t n_played;
	int respond_code;
	char respond_message[64];
	struct cf_caller_id cid;
	unsigned cid_sets;
};

extern const struct cf_call_ops fake_call_ops;

void fake_call_script(struct fake_call *c, enum cf_cause cause, int sip_code);

#endif
