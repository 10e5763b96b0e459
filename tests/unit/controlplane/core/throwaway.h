/* Throwaway PostgreSQL and RabbitMQ for tests, through pg-throwaway.sh and rabbit-throwaway.sh
 * (found via BUGLE_SOURCE_DIR). Return convention: 0 or a negative errno.
 */
#ifndef CP_TEST_THROWAWAY_H
#define CP_TEST_THROWAWAY_H

#include <stddef.h>

struct throwaway {
	char dir[256];		/* a fresh temporary directory, removed by throwaway_cleanup */
	char pg_conninfo[512];
	char rabbit_url[256];
};

int throwaway_init(struct throwaway *t);
int throwaway_pg_start(struct throwaway *t);
int throwaway_pg_stop(struct throwaway *t);
int throwaway_rabbit_start(struct throwaway *t);
int throwaway_rabbit_stop(struct throwaway *t);
/* The servers a test program's group shares: cmocka group set-ups that start them and the
 * tear-down that stops them and removes the directory (-1 from a set-up fails the group). The
 * tests reach them through throwaway_group(). */
int throwaway_group_pg(void **state);
int throwaway_group_rabbit(void **state);
int throwaway_group_pg_rabbit(void **state);
int throwaway_group_teardown(void **state);
struct throwaway *throwaway_group(void);
/* Stops whatever runs and removes the directory. */
void throwaway_cleanup(struct throwaway *t);

/* Run a shell command and keep the first line of its output in out. */
int throwaway_run(const char *cmd, char *out, size_t len);

#endif
