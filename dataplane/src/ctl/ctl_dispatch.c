/* Request envelopes in, response envelopes out: decode with nanopb, look the method up in the
 * caller's table, encode the reply onto the client's output queue. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "bugle/log.h"
#include "ctl_server-int.h"

static const struct dpctl_method *find_method(const struct dpctl_server *srv, bugle_dp_Method m)
{
	for (size_t i = 0; i < srv->n_methods; i++)
		if (srv->methods[i].method == m)
			return &srv->methods[i];
	return NULL;
}

int ctl_dispatch_queue(struct dpctl_server *srv, struct dpctl_conn *c, const bugle_dp_Envelope *env)
{
	size_t size;
	uint8_t *p;
	int rc;

	if (!pb_get_encoded_size(&size, bugle_dp_Envelope_fields, env) || size > srv->max_frame)
		return -EMSGSIZE;
	rc = ctl_conn_reserve(c, BGL_FRAME_HDR_LEN + size, &srv->counters[DPCTL_C_bytes_tx], &p);
	if (rc == -ENOBUFS) {
		ctl_server_close_conn(srv, c, DPCTL_C_closed_slow_reader,
				      "output queue full, peer is not reading");
		return rc;
	}
	if (rc < 0) {
		ctl_server_close_conn(srv, c, DPCTL_C_closed_io_error, strerror(-rc));
		return rc;
	}
	bgl_frame_header_encode(p, (uint32_t)size);
	pb_ostream_t os = pb_ostream_from_buffer(p + BGL_FRAME_HDR_LEN, size);
	if (!pb_encode(&os, bugle_dp_Envelope_fields, env) || os.bytes_written != size) {
		/* Sizing and encoding the same struct cannot disagree; if they do, the stream
		 * already holds a header we cannot honour. */
		ctl_server_close_conn(srv, c, DPCTL_C_closed_io_error, "encode mismatch");
		return -EPROTO;
	}
	DPCTL_COUNT(srv, frames_tx);
	return 0;
}

/* Runs the handler (or the built-in answer) into srv->resp. */
static void call_method(struct dpctl_server *srv, struct dpctl_conn *c, const bugle_dp_Envelope *req)
{
	bugle_dp_Envelope *resp = srv->resp;
	const struct dpctl_method *m = find_method(srv, req->method);
	size_t resp_len = 0;
	int st;

	if (req->method == bugle_dp_Method_METHOD_SUBSCRIBE && !c->subscribed) {
		c->subscribed = true;
		DPCTL_COUNT(srv, subscribes);
	}
	if (!m || !m->fn) {
		if (req->method == bugle_dp_Method_METHOD_SUBSCRIBE)
			return;	/* an empty OK acknowledges the subscription */
		DPCTL_COUNT(srv, unknown_method);
		resp->status = bugle_dp_Status_STATUS_UNIMPLEMENTED;
		snprintf(resp->error, sizeof(resp->error), "method %d is not implemented",
			 (int)req->method);
		return;
	}
	st = m->fn(srv->ctx, req->payload.bytes, req->payload.size, resp->payload.bytes,
		   srv->resp_cap, &resp_len, resp->error, sizeof(resp->error));
	resp->error[sizeof(resp->error) - 1] = '\0';
	if (st == 0 && resp_len > srv->resp_cap) {
		st = bugle_dp_Status_STATUS_INTERNAL;
		snprintf(resp->error, sizeof(resp->error), "reply of %zu bytes exceeds %zu",
			 resp_len, srv->resp_cap);
	}
	if (st != 0) {
		DPCTL_COUNT(srv, handler_errors);
		/* Anything outside the Status range is a handler bug; report it as INTERNAL. */
		resp->status = (st > 0 && st <= _bugle_dp_Status_MAX) ? (bugle_dp_Status)st :
									 bugle_dp_Status_STATUS_INTERNAL;
		if (resp->error[0] == '\0')
			snprintf(resp->error, sizeof(resp->error), "failed with status %d", st);
		return;
	}
	resp->error[0] = '\0';
	resp->payload.size = (pb_size_t)resp_len;
}

int ctl_dispatch_frame(struct dpctl_server *srv, struct dpctl_conn *c, const struct bgl_frame *f)
{
	bugle_dp_Envelope *req = srv->req;
	bugle_dp_Envelope *resp = srv->resp;
	pb_istream_t is = pb_istream_from_buffer(f->data, f->len);
	char why[96];
	int rc;

	DPCTL_COUNT(srv, frames_rx);
	if (!pb_decode(&is, bugle_dp_Envelope_fields, req)) {
		snprintf(why, sizeof(why), "undecodable envelope (%s)", PB_GET_ERROR(&is));
		ctl_server_close_conn(srv, c, DPCTL_C_closed_undecodable, why);
		return -EBADMSG;
	}
	if (req->kind != bugle_dp_Kind_KIND_REQUEST) {
		snprintf(why, sizeof(why), "envelope of kind %d where a request was expected",
			 (int)req->kind);
		ctl_server_close_conn(srv, c, DPCTL_C_closed_bad_kind, why);
		return -EPROTO;
	}
	memset(resp, 0, offsetof(bugle_dp_Envelope, payload.bytes));
	resp->request_id = req->request_id;
	resp->kind = bugle_dp_Kind_KIND_RESPONSE;
	resp->method = req->method;
	call_method(srv, c, req);
	rc = ctl_dispatch_queue(srv, c, resp);
	if (rc == -EMSGSIZE) {
		/* The reply (with its error text) cannot be framed: say so instead. */
		DPCTL_COUNT(srv, responses_too_large);
		resp->status = bugle_dp_Status_STATUS_INTERNAL;
		resp->payload.size = 0;
		snprintf(resp->error, sizeof(resp->error), "reply exceeds the frame limit");
		rc = ctl_dispatch_queue(srv, c, resp);
	}
	return rc;
}
