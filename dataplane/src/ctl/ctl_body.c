/* Request and reply bodies (see ctl_body.h). */
#include "ctl_body.h"

#include <stdio.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "dataplane.pb.h"

int dpctl_decode_body(const uint8_t *req, size_t len, const pb_msgdesc_t *desc, void *msg,
		      char *err, size_t err_cap)
{
	pb_istream_t in = pb_istream_from_buffer(req, len);
	if (!pb_decode(&in, desc, msg)) {
		snprintf(err, err_cap, "bad request: %s", PB_GET_ERROR(&in));
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	return bugle_dp_Status_STATUS_OK;
}

int dpctl_encode_body(const pb_msgdesc_t *desc, const void *msg, uint8_t *resp, size_t cap,
		      size_t *len, char *err, size_t err_cap)
{
	pb_ostream_t out = pb_ostream_from_buffer(resp, cap);
	if (!pb_encode(&out, desc, msg)) {
		snprintf(err, err_cap, "reply does not fit: %s", PB_GET_ERROR(&out));
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	*len = out.bytes_written;
	return bugle_dp_Status_STATUS_OK;
}
