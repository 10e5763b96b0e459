/* Requests and replies are decoded into static storage of the main lcore (the only caller):
 * a SessionReply with its legs is several KB and does not belong on the stack. */
#include "relay_ctl.h"

#include <stdio.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "dataplane.pb.h"
#include "relay.h"
#include "relay_session.h"

static bugle_dp_SessionReply reply;	/* main lcore only */

static int decode(const uint8_t *req, size_t len, const pb_msgdesc_t *desc, void *msg, char *err,
		  size_t err_cap)
{
	pb_istream_t in = pb_istream_from_buffer(req, len);
	if (!pb_decode(&in, desc, msg)) {
		snprintf(err, err_cap, "bad request: %s", PB_GET_ERROR(&in));
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	return bugle_dp_Status_STATUS_OK;
}

static int encode_reply(uint8_t *resp, size_t cap, size_t *len, char *err, size_t err_cap)
{
	pb_ostream_t out = pb_ostream_from_buffer(resp, cap);
	if (!pb_encode(&out, bugle_dp_SessionReply_fields, &reply)) {
		snprintf(err, err_cap, "reply does not fit: %s", PB_GET_ERROR(&out));
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	*len = out.bytes_written;
	return bugle_dp_Status_STATUS_OK;
}

RELAY_CTL_HANDLER(relay_ctl_offer)
{
	static bugle_dp_SessionOfferRequest in;
	in = (bugle_dp_SessionOfferRequest)bugle_dp_SessionOfferRequest_init_zero;
	int st = decode(req, req_len, bugle_dp_SessionOfferRequest_fields, &in, err, err_cap);
	if (!st)
		st = relay_session_offer(r, &in, relay_clock_ns(r), &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_answer)
{
	static bugle_dp_SessionAnswerRequest in;
	in = (bugle_dp_SessionAnswerRequest)bugle_dp_SessionAnswerRequest_init_zero;
	int st = decode(req, req_len, bugle_dp_SessionAnswerRequest_fields, &in, err, err_cap);
	if (!st)
		st = relay_session_answer(r, &in, relay_clock_ns(r), &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_update)
{
	static bugle_dp_SessionUpdateRequest in;
	in = (bugle_dp_SessionUpdateRequest)bugle_dp_SessionUpdateRequest_init_zero;
	int st = decode(req, req_len, bugle_dp_SessionUpdateRequest_fields, &in, err, err_cap);
	if (!st)
		st = relay_session_update(r, &in, relay_clock_ns(r), &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_delete)
{
	bugle_dp_SessionDeleteRequest in = bugle_dp_SessionDeleteRequest_init_zero;
	int st = decode(req, req_len, bugle_dp_SessionDeleteRequest_fields, &in, err, err_cap);
	if (!st)
		st = relay_session_delete(r, &in, relay_clock_ns(r), &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}

RELAY_CTL_HANDLER(relay_ctl_query)
{
	bugle_dp_SessionQueryRequest in = bugle_dp_SessionQueryRequest_init_zero;
	int st = decode(req, req_len, bugle_dp_SessionQueryRequest_fields, &in, err, err_cap);
	if (!st)
		st = relay_session_query(r, &in, &reply, err, err_cap);
	return st ? st : encode_reply(resp, resp_cap, resp_len, err, err_cap);
}
