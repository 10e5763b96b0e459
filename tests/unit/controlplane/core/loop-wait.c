/* Waiting on a test's loop (see loop-wait.h). */
#include "loop-wait.h"

#include <stdint.h>
#include <unistd.h>

void loop_wait(uv_loop_t *loop, const int *flag, int want, int timeout_ms)
{
	uint64_t end = uv_now(loop) + (uint64_t)timeout_ms;
	while (*flag < want && uv_now(loop) < end) {
		uv_run(loop, UV_RUN_NOWAIT);
		usleep(1000);
		uv_update_time(loop);
	}
}
