/* A signal handler can reach nothing but static storage, so the one flag lives here; it is
 * written only by the handler and read only by the main lcore's loop. */
#include "dp_signal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

int dp_signal_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		return -errno;
	/* A control-channel client that goes away mid-write must not kill the data plane. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) < 0)
		return -errno;
	return 0;
}

bool dp_signal_stop_requested(void)
{
	return stop_signal != 0;
}
