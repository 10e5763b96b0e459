/* Types only: the state of each dependency of the control plane (PostgreSQL, RabbitMQ, each
 * data plane), read later by the API and `buglectl status`.
 * Return convention: none (types only).
 *
 * Owner: the loop thread writes and reads everything; no locking.
 */
#ifndef CP_HEALTH_T_H
#define CP_HEALTH_T_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define CP_HEALTH_MAX_DEPS 32

struct cp_health_dep {
	char name[64];			/* "postgres", "rabbitmq", "dataplane 127.0.0.1:7010" */
	bool up;
	bool reported;			/* false until the first state report */
	struct timespec since;		/* CLOCK_REALTIME of the last change */
	char last_error[256];		/* most recent error, kept after recovery */
	uint64_t transitions;
};

struct cp_health {
	char node[64];
	char status_file[256];		/* empty: none written */
	struct timespec started;
	struct cp_health_dep deps[CP_HEALTH_MAX_DEPS];
	unsigned n_deps;
	uint64_t write_errors;		/* status file writes that failed */
};

#endif
