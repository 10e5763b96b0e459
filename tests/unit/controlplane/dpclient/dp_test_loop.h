/* The loop the client tests run on: a libuv loop with a 1 ms tick (which polls the test's
 * server, or whatever the test needs) and a unix socket address of this process's own under
 * $TMPDIR. Failures are cmocka assertions. */
#ifndef BUGLE_TEST_DP_TEST_LOOP_H
#define BUGLE_TEST_DP_TEST_LOOP_H

#include <stdint.h>
#include <uv.h>

#include "ctl_server.h"
#include "dpclient.h"

struct dp_test_loop {
	uv_loop_t loop;
	uv_timer_t tick;
	char path[108];		/* the socket file */
	char addr[128];		/* "unix:" and the path */
};

/* Runs the loop of l (a struct dp_test_loop *) until cond holds or ms pass, then asserts cond. */
#define DP_RUN_UNTIL(l, cond, ms)                                                              \
	do {                                                                                   \
		uint64_t until_ = uv_now(&(l)->loop) + (ms);                                   \
		while (!(cond) && uv_now(&(l)->loop) < until_)                                 \
			uv_run(&(l)->loop, UV_RUN_ONCE);                                       \
		assert_true(cond);                                                             \
	} while (0)

/* name tells the socket file apart from other tests'; on_tick gets the timer with data set. */
void dp_test_loop_init(struct dp_test_loop *l, const char *name, uv_timer_cb on_tick, void *data);
/* Frees the client and the server (either may be NULL), stops the tick, runs the loop out and
 * requires every handle released, then removes the socket file. */
void dp_test_loop_close(struct dp_test_loop *l, struct dpclient *c, struct dpctl_server *srv);

#endif
