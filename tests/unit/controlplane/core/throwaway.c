/* Starting and stopping the throwaway servers from tests. */
#include "throwaway.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int throwaway_run(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return -errno;
	char line[1024] = "";
	char *got = fgets(line, sizeof(line), p);
	/* Read to the end so the script never blocks on a full pipe. */
	char sink[256];
	while (fgets(sink, sizeof(sink), p))
		;
	int st = pclose(p);
	if (st != 0 || !got)
		return -EIO;
	line[strcspn(line, "\n")] = '\0';
	if (out)
		snprintf(out, len, "%s", line);
	return 0;
}

static const char *script_dir(void)
{
	static char dir[512];
	const char *src = getenv("BUGLE_SOURCE_DIR");
	snprintf(dir, sizeof(dir), "%s/deploy/lib", src ? src : ".");
	return dir;
}

int throwaway_init(struct throwaway *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/bugle-cptest-XXXXXX");
	if (!mkdtemp(t->dir))
		return -errno;
	/* The postgres account (used when tests run as root) must reach the cluster below. */
	return chmod(t->dir, 0755) < 0 ? -errno : 0;
}

static int script(struct throwaway *t, const char *name, const char *verb, const char *sub,
		  char *out, size_t len)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "'%s/%s' %s '%s/%s'", script_dir(), name, verb, t->dir, sub);
	return throwaway_run(cmd, out, len);
}

int throwaway_pg_start(struct throwaway *t)
{
	return script(t, "postgres.sh", "start", "pg", t->pg_conninfo, sizeof(t->pg_conninfo));
}

int throwaway_pg_stop(struct throwaway *t)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "'%s/postgres.sh' stop '%s/pg' && echo stopped", script_dir(),
		 t->dir);
	return throwaway_run(cmd, NULL, 0);
}

int throwaway_rabbit_start(struct throwaway *t)
{
	return script(t, "rabbitmq.sh", "start", "rabbit", t->rabbit_url,
		      sizeof(t->rabbit_url));
}

int throwaway_rabbit_stop(struct throwaway *t)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "'%s/rabbitmq.sh' stop '%s/rabbit' && echo stopped",
		 script_dir(), t->dir);
	return throwaway_run(cmd, NULL, 0);
}

/* throwaway_init and the servers asked for, saying on stderr which did not start. */
#define THROWAWAY_PG 1u
#define THROWAWAY_RABBIT 2u

static int throwaway_start(struct throwaway *t, unsigned servers)
{
	int rc = throwaway_init(t);
	if (rc < 0)
		fprintf(stderr, "cannot make a temporary directory: %s\n", strerror(-rc));
	if (rc == 0 && (servers & THROWAWAY_PG) && (rc = throwaway_pg_start(t)) < 0)
		fprintf(stderr, "cannot start a throwaway PostgreSQL in %s\n", t->dir);
	if (rc == 0 && (servers & THROWAWAY_RABBIT) && (rc = throwaway_rabbit_start(t)) < 0)
		fprintf(stderr, "cannot start a throwaway RabbitMQ in %s\n", t->dir);
	return rc < 0 ? rc : 0;
}

void throwaway_cleanup(struct throwaway *t)
{
	if (!t->dir[0])
		return;
	if (t->pg_conninfo[0])
		throwaway_pg_stop(t);
	if (t->rabbit_url[0])
		throwaway_rabbit_stop(t);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && echo removed", t->dir);
	throwaway_run(cmd, NULL, 0);
	t->dir[0] = '\0';
}

static struct throwaway group;

struct throwaway *throwaway_group(void)
{
	return &group;
}

int throwaway_group_pg(void **state)
{
	(void)state;
	return throwaway_start(&group, THROWAWAY_PG) < 0 ? -1 : 0;
}

int throwaway_group_rabbit(void **state)
{
	(void)state;
	return throwaway_start(&group, THROWAWAY_RABBIT) < 0 ? -1 : 0;
}

int throwaway_group_pg_rabbit(void **state)
{
	(void)state;
	return throwaway_start(&group, THROWAWAY_PG | THROWAWAY_RABBIT) < 0 ? -1 : 0;
}

int throwaway_group_teardown(void **state)
{
	(void)state;
	throwaway_cleanup(&group);
	return 0;
}
