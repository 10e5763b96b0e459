/* The client tests' loop (see dp_test_loop.h). */
#include "dp_test_loop.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void dp_test_loop_init(struct dp_test_loop *l, const char *name, uv_timer_cb on_tick, void *data)
{
	const char *tmp = getenv("TMPDIR");

	assert_int_equal(uv_loop_init(&l->loop), 0);
	uv_timer_init(&l->loop, &l->tick);
	l->tick.data = data;
	uv_timer_start(&l->tick, on_tick, 1, 1);
	snprintf(l->path, sizeof(l->path), "%s/bugle-%s-%d.sock", tmp && *tmp ? tmp : "/tmp", name,
		 (int)getpid());
	snprintf(l->addr, sizeof(l->addr), "unix:%s", l->path);
}

void dp_test_loop_close(struct dp_test_loop *l, struct dpclient *c, struct dpctl_server *srv)
{
	dpclient_free(c);
	dpctl_server_free(srv);
	uv_close((uv_handle_t *)&l->tick, NULL);
	uv_run(&l->loop, UV_RUN_DEFAULT);
	/* Every handle the client opened has been closed and released. */
	assert_int_equal(uv_loop_close(&l->loop), 0);
	unlink(l->path);
}
