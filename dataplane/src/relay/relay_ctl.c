/* Requests and replies are decoded into static storage of the main lcore (the only caller):
 * a SessionReply with its legs is several KB and does not belong on the stack. */
#include "relay_ctl.h"

#include "ctl_body.h"
#include "dataplane.pb.h"
#include "relay.h"
#include "relay_session.h"

static bugle_dp_SessionReply reply;	/* main lcore only */

static int encode_reply(uint8_t *resp, size_t cap, size_t *len, char *err, size_t err_cap)
{
	return dpctl_encode_body(bugle_dp_SessionReply_fields, &reply, resp, cap, len, err,
				 err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_offer)
{
	static bugle_dp_SessionOfferRequest in;
	in = (bugle_dp_SessionOfferRequest)bugle_dp_SessionOfferRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_SessionOfferRequest_fields, &in, err,
				   err_cap);
	if (!st)
		st = relay_session_offer(r, &in, relay_clock_ns(r), &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_answer)
{
	static bugle_dp_SessionAnswerRequest in;
	in = (bugle_dp_SessionAnswerRequest)bugle_dp_SessionAnswerRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_SessionAnswerRequest_fields, &in, err,
				   err_cap);
	if (!st)
		st = relay_session_answer(r, &in, relay_clock_ns(r), &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_update)
{
	static bugle_dp_SessionUpdateRequest in;
	in = (bugle_dp_SessionUpdateRequest)bugle_dp_SessionUpdateRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_SessionUpdateRequest_fields, &in, err,
				   err_cap);
	if (!st)
		st = relay_session_update(r, &in, relay_clock_ns(r), &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_delete)
{
	bugle_dp_SessionDeleteRequest in = bugle_dp_SessionDeleteRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_SessionDeleteRequest_fields, &in, err,
				   err_cap);
	if (!st)
		st = relay_session_delete(r, &in, relay_clock_ns(r), &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_query)
{
	bugle_dp_SessionQueryRequest in = bugle_dp_SessionQueryRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_SessionQueryRequest_fields, &in, err,
				   err_cap);
	if (!st)
		st = relay_session_query(r, &in, &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}
