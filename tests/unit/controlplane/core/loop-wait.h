/* Waiting on a libuv loop in the core's tests: run it until a counter the callbacks move
 * reaches a value, or a deadline passes (the test then asserts on the counter). */
#ifndef CP_TEST_LOOP_WAIT_H
#define CP_TEST_LOOP_WAIT_H

#include <uv.h>

/* Runs loop without blocking, 1 ms apart, until *flag >= want or timeout_ms pass. */
void loop_wait(uv_loop_t *loop, const int *flag, int want, int timeout_ms);

#endif
