/* Schema migrations: every NNNN_name.sql file of a directory, applied in version order, each in
 * its own transaction, recorded in schema_migrations(version, name, applied_at, checksum).
 * A recorded migration whose file changed since is an error. Runners on several nodes
 * serialise on a PostgreSQL advisory lock, so each migration is applied once.
 * Files must not contain their own BEGIN/COMMIT (nor CREATE INDEX CONCURRENTLY).
 * Return convention: 0 or a negative errno, with a message in err.
 *
 * Synchronous (blocking libpq): used at start-up before the daemon serves anything.
 */
#ifndef CP_PG_MIGRATE_H
#define CP_PG_MIGRATE_H

#include <libpq-fe.h>
#include <stddef.h>

struct cp_migrate_report {
	unsigned found;		/* files in the directory */
	unsigned applied;	/* applied by this run */
	unsigned already;	/* found already recorded, checksum matching */
	int last_version;	/* highest version now recorded */
};

int cp_pg_migrate(PGconn *conn, const char *dir, struct cp_migrate_report *rep, char *err,
		  size_t errlen);

/* Same on a connection of its own, opened from conninfo and closed before returning. */
int cp_pg_migrate_conninfo(const char *conninfo, const char *dir, struct cp_migrate_report *rep,
			   char *err, size_t errlen);

#endif
