/* buglectl status's direct probes of PostgreSQL and RabbitMQ (status_probe.c). */
#ifndef BUGLECTL_STATUS_PROBE_H
#define BUGLECTL_STATUS_PROBE_H

#include <stdbool.h>

struct ctl_probe {
	bool up;
	char address[128];	/* host:port probed, "-" when the address did not parse */
	char version[64];	/* the server's, "" when unknown */
	char error[256];	/* why not up */
};

/* Connects (conninfo or URI) and runs SELECT 1, all within timeout_ms. */
void ctl_probe_postgres(const char *conninfo, int timeout_ms, struct ctl_probe *out);
/* Opens an AMQP connection to url (amqp://user:pass@host:port/vhost), logs in and closes it,
 * all within timeout_ms. */
void ctl_probe_amqp(const char *url, int timeout_ms, struct ctl_probe *out);

#endif
