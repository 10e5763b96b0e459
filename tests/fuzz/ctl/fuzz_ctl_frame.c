/* Fuzz target: bytes as a peer would send them on the control channel.
 *
 * The first input byte picks the chunk size the bytes arrive in (socket reads split frames
 * anywhere); the rest is the stream. Each complete frame is decoded as an Envelope by nanopb
 * (as the data plane does) and by protobuf-c (as the control plane does), and the payload as
 * the method's request and reply types. Nothing may crash, leak or overrun, and the reader must
 * never hand out a frame above its limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>

#include "bugle/frame.h"
#include "dataplane.pb.h"
#include "dpclient.h"

#define FUZZ_MAX_FRAME 4096u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode_nanopb(const struct bgl_frame *f)
{
	static bugle_dp_Envelope env;
	static bugle_dp_HeartbeatRequest hb;
	static bugle_dp_Event ev;
	pb_istream_t is = pb_istream_from_buffer(f->data, f->len);

	if (!pb_decode(&is, bugle_dp_Envelope_fields, &env))
		return;
	if (env.payload.size > sizeof(env.payload.bytes) || strnlen(env.error, sizeof(env.error)) ==
							       sizeof(env.error))
		abort();	/* nanopb must keep its static bounds */
	is = pb_istream_from_buffer(env.payload.bytes, env.payload.size);
	if (env.kind == bugle_dp_Kind_KIND_EVENT)
		(void)pb_decode(&is, bugle_dp_Event_fields, &ev);
	else
		(void)pb_decode(&is, bugle_dp_HeartbeatRequest_fields, &hb);
}

static void decode_protobuf_c(const struct bgl_frame *f)
{
	Bugle__Dp__Envelope *env = bugle__dp__envelope__unpack(NULL, f->len, f->data);
	const ProtobufCMethodDescriptor *m;

	if (!env)
		return;
	m = dpclient_method_descriptor(env->method);
	if (m) {
		ProtobufCMessage *in = protobuf_c_message_unpack(m->input, NULL, env->payload.len,
								 env->payload.data);
		ProtobufCMessage *out = protobuf_c_message_unpack(m->output, NULL,
								  env->payload.len,
								  env->payload.data);
		if (in)
			protobuf_c_message_free_unpacked(in, NULL);
		if (out)
			protobuf_c_message_free_unpacked(out, NULL);
	}
	bugle__dp__envelope__free_unpacked(env, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[BGL_FRAME_HDR_LEN + FUZZ_MAX_FRAME];
	struct bgl_frame_reader rd;
	struct bgl_frame f;
	size_t chunk, off = 1;
	int rc = 0;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] + 1;
	if (bgl_frame_reader_init(&rd, buf, sizeof(buf), FUZZ_MAX_FRAME) < 0)
		abort();
	while (off < size && rc >= 0) {
		size_t n = size - off < chunk ? size - off : chunk;
		size_t took = bgl_frame_reader_feed(&rd, data + off, n);

		if (took == 0)
			abort();	/* drained readers always have room */
		off += took;
		while ((rc = bgl_frame_reader_next(&rd, &f)) == 1) {
			if (f.len > FUZZ_MAX_FRAME)
				abort();
			decode_nanopb(&f);
			decode_protobuf_c(&f);
		}
	}
	return 0;
}
