/* A fake data plane for client tests: a unix listening socket that answers every connection
 * with fixed bytes (hostile ones, usually). Driven from the test's loop by a uv_poll.
 * Return convention: 0 or a negative errno. */
#ifndef BUGLE_TEST_FAKE_DATAPLANE_H
#define BUGLE_TEST_FAKE_DATAPLANE_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct fake_dp {
	int listen_fd;
	uv_poll_t poll;
	const uint8_t *reply;
	size_t reply_len;
	unsigned accepted;
	int conns[32];		/* kept open: the client has to act on the bytes alone */
	char path[108];
};

int fake_dp_start(struct fake_dp *f, uv_loop_t *loop, const char *path, const uint8_t *reply,
		  size_t reply_len);
/* Closes the listener; run the loop afterwards so the poll handle is released. */
void fake_dp_stop(struct fake_dp *f);

#endif
