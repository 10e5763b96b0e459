/* What the relay's media operations send and report (relay_media_io's send and emit), kept for
 * the tests that drive relay_media_tick. Include after cmocka.h: the callbacks assert that the
 * capture has room. */
#ifndef BUGLE_RELAY_TEST_CAPTURE_H
#define BUGLE_RELAY_TEST_CAPTURE_H

#include <stdint.h>
#include <string.h>

#include "dataplane.pb.h"
#include "relay-t.h"
#include "relay_mediaop.h"

#define T_CAPTURE_PKTS 1024
#define T_CAPTURE_EVENTS 16

struct t_sent {
	uint8_t b[256];
	uint16_t len;
	struct relay_fwd fwd;
};

struct t_capture {
	struct t_sent pkt[T_CAPTURE_PKTS];
	unsigned n_pkt;
	bugle_dp_Event ev[T_CAPTURE_EVENTS];
	unsigned n_ev;
};

static inline void t_capture_send(void *arg, const struct relay_fwd *fwd, const uint8_t *pkt,
				  uint16_t len)
{
	struct t_capture *c = arg;
	assert_true(len <= sizeof(c->pkt[0].b));
	assert_true(c->n_pkt < T_CAPTURE_PKTS);
	struct t_sent *s = &c->pkt[c->n_pkt++];
	memcpy(s->b, pkt, len);
	s->len = len;
	s->fwd = *fwd;
}

static inline int t_capture_emit(void *arg, const bugle_dp_Event *ev)
{
	struct t_capture *c = arg;
	assert_true(c->n_ev < T_CAPTURE_EVENTS);
	c->ev[c->n_ev++] = *ev;
	return 0;
}

/* Media I/O that records into c. */
static inline struct relay_media_io t_capture_io(struct t_capture *c)
{
	return (struct relay_media_io){ .send = t_capture_send, .send_arg = c,
					.emit = t_capture_emit, .emit_arg = c };
}

#endif
