/* Concurrent-call limits per account, counted over this node's live calls (see call-limits.h).
 * Each call reads its account's `limits` document with the INVITE's own lookup, so a limit
 * changed through the API applies from the next call on. */
#include "call-int.h"
#include "call-limits.h"

#include "response.h"
#include "sip-stack.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/rand.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <string.h>

#define LIMIT_REASON "Q.850;cause=34;text=\"limit exceeded\""

static int limit_of(const json_t *doc, const char *key)
{
	const json_t *v = json_object_get(doc, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	return json_integer_value(v) > 1000000 ? 1000000 : (int)json_integer_value(v);
}

int call_limits_parse(const char *json_text, struct call_limits *out)
{
	*out = (struct call_limits){ -1, -1, -1, -1, -1, false, false };
	if (!json_text || !json_text[0])
		return 0;
	json_t *doc = json_loads(json_text, 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return -EINVAL;
	}
	out->inbound_trunks = limit_of(doc, "inbound_trunks");
	out->outbound_trunks = limit_of(doc, "outbound_trunks");
	out->twoway_trunks = limit_of(doc, "twoway_trunks");
	out->calls = limit_of(doc, "calls");
	out->resource_consuming_calls = limit_of(doc, "resource_consuming_calls");
	out->soft_inbound = json_is_true(json_object_get(doc, "soft_limit_inbound"));
	out->soft_outbound = json_is_true(json_object_get(doc, "soft_limit_outbound"));
	json_decref(doc);
	return 0;
}

static unsigned over(unsigned used, int own)
{
	return own >= 0 && used > (unsigned)own ? used - (unsigned)own : 0;
}

/* Trunks: own ones first, then the twoway ones the other direction does not already hold. */
static bool trunk_fits(int own, unsigned used, int other_own, unsigned other_used, int twoway)
{
	if (own < 0 && twoway < 0)
		return true;
	unsigned own_n = own > 0 ? (unsigned)own : 0;
	unsigned twoway_n = twoway > 0 ? (unsigned)twoway : 0;
	unsigned taken = over(other_used, other_own < 0 ? 0 : other_own);
	unsigned twoway_free = twoway_n > taken ? twoway_n - taken : 0;
	return used + 1 <= own_n + twoway_free;
}

enum call_limit_verdict call_limits_check(const struct call_limits *l, const struct call_usage *u,
					  enum call_trunk trunk)
{
	if (trunk == CALL_TRUNK_NONE)
		return l->calls >= 0 && u->calls + 1 > (unsigned)l->calls ? CALL_LIMIT_EXCEEDED
									    : CALL_LIMIT_OK;
	if (l->resource_consuming_calls >= 0 && u->resource + 1 > (unsigned)l->resource_consuming_calls)
		return CALL_LIMIT_EXCEEDED;
	bool in = trunk == CALL_TRUNK_INBOUND;
	bool fits = in ? trunk_fits(l->inbound_trunks, u->inbound, l->outbound_trunks, u->outbound,
				    l->twoway_trunks)
		       : trunk_fits(l->outbound_trunks, u->outbound, l->inbound_trunks, u->inbound,
				    l->twoway_trunks);
	if (fits)
		return CALL_LIMIT_OK;
	return (in ? l->soft_inbound : l->soft_outbound) ? CALL_LIMIT_SOFT : CALL_LIMIT_EXCEEDED;
}

static bool live(const struct call *c)
{
	return c->a_state == CALL_A_NEW || c->a_state == CALL_A_ROUTING ||
	       c->a_state == CALL_A_ANSWERED;
}

void call_limits_usage(const struct call_ctl *ctl, const char *account_id,
		       const struct call *except, struct call_usage *out)
{
	memset(out, 0, sizeof(*out));
	for (const struct call *c = ctl->calls; c; c = c->next) {
		if (c == except || !live(c) || strcmp(c->account_id, account_id) != 0)
			continue;
		out->calls++;
		out->inbound += c->trunk_inbound;
		out->outbound += c->trunk_outbound;
		out->resource += c->trunk_inbound || c->trunk_outbound;
	}
}

int call_limits_admit(struct call *call, enum call_trunk trunk)
{
	struct call_usage u;
	call_limits_usage(call->ctl, call->account_id, call, &u);
	enum call_limit_verdict v = call_limits_check(&call->limits, &u, trunk);
	if (v == CALL_LIMIT_EXCEEDED) {
		call->ctl->c.limited++;
		return -EBUSY;
	}
	if (v == CALL_LIMIT_SOFT)
		call->ctl->c.limited_soft++;
	if (trunk == CALL_TRUNK_INBOUND)
		call->trunk_inbound = true;
	else if (trunk == CALL_TRUNK_OUTBOUND)
		call->trunk_outbound = true;
	return 0;
}

int call_limits_refuse(struct call *call)
{
	if (!call->a_tx || call->a_final)
		return -EALREADY;
	if (!call->a_tag[0]) {
		unsigned char r[6];
		if (RAND_bytes(r, sizeof(r)) != 1)
			memset(r, 0x5a, sizeof(r));
		snprintf(call->a_tag, sizeof(call->a_tag), "%02x%02x%02x%02x%02x%02x", r[0], r[1],
			 r[2], r[3], r[4], r[5]);
	}
	osip_message_t *resp = csip_response_new(call->a_inv, 503, "Service Unavailable",
						 call->a_tag);
	if (!resp)
		return -ENOMEM;
	if (osip_message_set_header(resp, "Reason", LIMIT_REASON) != 0) {
		osip_message_free(resp);
		return -ENOMEM;
	}
	call->a_final = 503;
	call->a_state = CALL_A_ENDED;
	int rc = csip_tx_respond(call->a_tx, resp);
	csip_tx_unref(call->a_tx);
	call->a_tx = NULL;
	return rc;
}
