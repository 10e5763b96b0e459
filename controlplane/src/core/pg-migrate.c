/* Applying schemas/sql migrations once per database, in order, guarded by checksums. */
#include "cp/pg-migrate.h"

#include "bugle/log.h"
#include "cp/pg-message.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any constant works; every Bugle node must use the same one. ("bugle" in ASCII.) */
#define MIGRATION_LOCK_KEY "426575676c65"
#define MAX_MIGRATION_BYTES (8u << 20)
#define MAX_MIGRATIONS 4096

struct migration {
	int version;
	char name[128];		/* between the version and ".sql" */
	char file[160];
};

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	char raw[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	cp_pg_message_copy(err, errlen, raw);
	return rc;
}

/* "0001_documents.sql" -> 1, "documents". Returns false when the name is not a migration. */
static bool parse_name(const char *file, struct migration *m)
{
	size_t len = strlen(file);
	if (len < 6 || strcmp(file + len - 4, ".sql") != 0 || len >= sizeof(m->file))
		return false;
	size_t d = 0;
	while (isdigit((unsigned char)file[d]))
		d++;
	if (d == 0 || d > 9 || file[d] != '_')
		return false;
	size_t name_len = len - 4 - d - 1;
	if (name_len == 0 || name_len >= sizeof(m->name))
		return false;
	for (size_t i = d + 1; i < len - 4; i++)
		if (!isalnum((unsigned char)file[i]) && file[i] != '_' && file[i] != '-')
			return false;
	m->version = atoi(file);
	memcpy(m->name, file + d + 1, name_len);
	m->name[name_len] = '\0';
	snprintf(m->file, sizeof(m->file), "%s", file);
	return m->version > 0;
}

static int by_version(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

static int list_migrations(const char *dir, struct migration **out, unsigned *n, char *err,
			   size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d)
		return fail(err, errlen, -errno, "migrations directory %s: %s", dir,
			    strerror(errno));
	struct migration *v = NULL;
	unsigned count = 0, cap = 0;
	int rc = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		struct migration m;
		if (!parse_name(e->d_name, &m)) {
			rc = fail(err, errlen, -EINVAL,
				  "%s/%s: migration files are named NNNN_name.sql", dir, e->d_name);
			break;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			struct migration *nv = cap <= MAX_MIGRATIONS ? realloc(v, cap * sizeof(*v)) : NULL;
			if (!nv) {
				rc = fail(err, errlen, -ENOMEM, "%s: too many migrations", dir);
				break;
			}
			v = nv;
		}
		v[count++] = m;
	}
	closedir(d);
	if (rc == 0 && count > 1) {
		qsort(v, count, sizeof(*v), by_version);
		for (unsigned i = 1; i < count; i++)
			if (v[i].version == v[i - 1].version)
				rc = fail(err, errlen, -EINVAL, "%s: %s and %s have the same version",
					  dir, v[i - 1].file, v[i].file);
	}
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*n = count;
	return 0;
}

static int read_file(const char *dir, const char *file, char **text, size_t *len, char *err,
		     size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
	char *buf = malloc(MAX_MIGRATION_BYTES + 1);
	size_t n = buf ? fread(buf, 1, MAX_MIGRATION_BYTES + 1, f) : 0;
	bool bad = !buf || ferror(f);
	fclose(f);
	if (bad || n > MAX_MIGRATION_BYTES) {
		free(buf);
		return fail(err, errlen, bad ? -EIO : -EFBIG, "%s: %s", path,
			    bad ? "cannot read" : "too large");
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

/* Run a statement without parameters (fixed SQL only); 0 or -EIO with the server's message. */
static int exec_fixed(PGconn *conn, const char *sql, char *err, size_t errlen, const char *what)
{
	PGresult *r = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = fail(err, errlen, -EIO, "%s: %s", what,
			  r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
	PQclear(r);
	return rc;
}

/* The checksum is computed by the server (sha256 over the exact bytes), so no crypto library is
 * needed here and every node computes it the same way. */
static int checksum(PGconn *conn, const char *text, size_t len, char out[65], char *err,
		    size_t errlen)
{
	const char *values[1] = { text };
	int lengths[1] = { (int)len };
	int formats[1] = { 1 };
	PGresult *r = PQexecParams(conn, "SELECT encode(sha256($1::bytea), 'hex')", 1, NULL, values,
				   lengths, formats, 0);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		rc = fail(err, errlen, -EIO, "checksum: %s", PQresultErrorMessage(r));
	else
		snprintf(out, 65, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return rc;
}

static int apply_one(PGconn *conn, const char *dir, const struct migration *m, const char *text,
		     const char *sum, char *err, size_t errlen)
{
	int rc = exec_fixed(conn, "BEGIN", err, errlen, "begin");
	if (rc < 0)
		return rc;
	char what[256];
	snprintf(what, sizeof(what), "%s/%s", dir, m->file);
	rc = exec_fixed(conn, text, err, errlen, what);
	if (rc == 0) {
		char version[16];
		snprintf(version, sizeof(version), "%d", m->version);
		const char *values[3] = { version, m->name, sum };
		PGresult *r = PQexecParams(conn,
					   "INSERT INTO schema_migrations (version, name, checksum) "
					   "VALUES ($1, $2, $3)",
					   3, NULL, values, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = fail(err, errlen, -EIO, "recording %s: %s", m->file,
				  PQresultErrorMessage(r));
		PQclear(r);
	}
	if (rc == 0)
		return exec_fixed(conn, "COMMIT", err, errlen, what);
	char ignored[8];
	exec_fixed(conn, "ROLLBACK", ignored, sizeof(ignored), "rollback");
	return rc;
}

/* Recorded checksum of a version, or NULL when not applied. */
static const char *recorded(PGresult *applied, int version)
{
	for (int i = 0; i < PQntuples(applied); i++)
		if (atoi(PQgetvalue(applied, i, 0)) == version)
			return PQgetvalue(applied, i, 2);
	return NULL;
}

static int run_locked(PGconn *conn, const char *dir, const struct migration *v, unsigned n,
		      struct cp_migrate_report *rep, char *err, size_t errlen)
{
	int rc = exec_fixed(conn,
			    "CREATE TABLE IF NOT EXISTS schema_migrations ("
			    " version integer PRIMARY KEY,"
			    " name text NOT NULL,"
			    " applied_at timestamptz NOT NULL DEFAULT now(),"
			    " checksum text NOT NULL)",
			    err, errlen, "schema_migrations");
	if (rc < 0)
		return rc;
	PGresult *applied = PQexec(conn, "SELECT version, name, checksum FROM schema_migrations "
					 "ORDER BY version");
	if (PQresultStatus(applied) != PGRES_TUPLES_OK) {
		rc = fail(err, errlen, -EIO, "schema_migrations: %s", PQresultErrorMessage(applied));
		PQclear(applied);
		return rc;
	}
	for (unsigned i = 0; i < n && rc == 0; i++) {
		char *text = NULL;
		size_t len = 0;
		char sum[65];
		rc = read_file(dir, v[i].file, &text, &len, err, errlen);
		if (rc == 0)
			rc = checksum(conn, text, len, sum, err, errlen);
		const char *was = rc == 0 ? recorded(applied, v[i].version) : NULL;
		if (rc == 0 && was && strcmp(was, sum) != 0) {
			rc = fail(err, errlen, -EILSEQ,
				  "%s/%s changed after it was applied (checksum %.12s..., recorded "
				  "%.12s...); add a new migration instead",
				  dir, v[i].file, sum, was);
		} else if (rc == 0 && was) {
			rep->already++;
		} else if (rc == 0) {
			rc = apply_one(conn, dir, &v[i], text, sum, err, errlen);
			if (rc == 0) {
				rep->applied++;
				BGL_INFO("migration %s applied", v[i].file);
			}
		}
		free(text);
	}
	for (int i = 0; rc == 0 && i < PQntuples(applied); i++) {
		int ver = atoi(PQgetvalue(applied, i, 0));
		bool on_disk = false;
		for (unsigned j = 0; j < n && !on_disk; j++)
			on_disk = v[j].version == ver;
		if (!on_disk)
			BGL_WARN("migration %d (%s) is recorded but has no file in %s", ver,
				 PQgetvalue(applied, i, 1), dir);
	}
	PQclear(applied);
	if (rc == 0) {
		PGresult *r = PQexec(conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
			rep->last_version = atoi(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	return rc;
}

/* Server NOTICEs ("relation already exists, skipping") belong in the debug log, not stderr. */
static void notice_to_log(void *arg, const char *message)
{
	(void)arg;
	char line[512];
	cp_pg_message_copy(line, sizeof(line), message);
	BGL_DEBUG("postgres: %s", line);
}

int cp_pg_migrate(PGconn *conn, const char *dir, struct cp_migrate_report *rep, char *err,
		  size_t errlen)
{
	memset(rep, 0, sizeof(*rep));
	PQsetNoticeProcessor(conn, notice_to_log, NULL);
	struct migration *v = NULL;
	unsigned n = 0;
	int rc = list_migrations(dir, &v, &n, err, errlen);
	if (rc < 0)
		return rc;
	rep->found = n;
	/* Session-level lock: released by the unlock below or when the connection ends. */
	rc = exec_fixed(conn, "SELECT pg_advisory_lock(x'" MIGRATION_LOCK_KEY "'::bigint)", err,
			errlen, "migration lock");
	if (rc == 0) {
		rc = run_locked(conn, dir, v, n, rep, err, errlen);
		char ignored[8];
		exec_fixed(conn, "SELECT pg_advisory_unlock(x'" MIGRATION_LOCK_KEY "'::bigint)",
			   ignored, sizeof(ignored), "migration unlock");
	}
	free(v);
	return rc;
}

int cp_pg_migrate_conninfo(const char *conninfo, const char *dir, struct cp_migrate_report *rep,
			   char *err, size_t errlen)
{
	memset(rep, 0, sizeof(*rep));
	PGconn *conn = PQconnectdb(conninfo);
	int rc;
	if (!conn || PQstatus(conn) != CONNECTION_OK)
		rc = fail(err, errlen, -ENOTCONN, "postgres: %s",
			  conn ? PQerrorMessage(conn) : "out of memory");
	else
		rc = cp_pg_migrate(conn, dir, rep, err, errlen);
	PQfinish(conn);
	return rc;
}
