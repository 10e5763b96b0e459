/* Migrations and the asynchronous pool against a real throwaway PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bugle/log.h"
#include "cp/pg-migrate.h"
#include "cp/pg-pool.h"
#include "loop-wait.h"
#include "throwaway.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static PGconn *connect_db(const char *dbname)
{
	char ci[600];
	snprintf(ci, sizeof(ci), "%s dbname=%s", throwaway_group()->pg_conninfo, dbname);
	PGconn *c = PQconnectdb(ci);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

/* A fresh database per test, so tests do not see each other's migrations. */
static void fresh_db(const char *name)
{
	PGconn *c = connect_db("postgres");
	char sql[200];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	PQclear(PQexec(c, sql));
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	PGresult *r = PQexec(c, sql);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	PQfinish(c);
}

static char *conninfo_for(const char *db)
{
	static char ci[600];
	snprintf(ci, sizeof(ci), "%s dbname=%s", throwaway_group()->pg_conninfo, db);
	return ci;
}

static int count(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	int n = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return n;
}

static const char *schemas_dir(void)
{
	static char d[512];
	snprintf(d, sizeof(d), "%s/schemas/sql", getenv("BUGLE_SOURCE_DIR"));
	return d;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_real_migrations(void **state)
{
	(void)state;
	fresh_db("m_real");
	struct cp_migrate_report rep;
	char err[512] = "";
	int rc = cp_pg_migrate_conninfo(conninfo_for("m_real"), schemas_dir(), &rep, err,
					sizeof(err));
	if (rc < 0)
		fail_msg("migrate: %s", err);
	assert_true(rep.found >= 4);
	assert_int_equal(rep.applied, rep.found);
	assert_int_equal(rep.already, 0);

	PGconn *c = connect_db("m_real");
	assert_int_equal(count(c, "SELECT count(*) FROM schema_migrations"), (int)rep.found);
	assert_int_equal(count(c, "SELECT max(version) FROM schema_migrations"), rep.last_version);
	assert_int_equal(count(c, "SELECT count(*) FROM schema_migrations WHERE version = 1 AND "
				  "name = 'documents' AND length(checksum) = 64"), 1);
	/* The document store, the account tree and the CDR partitions exist. */
	assert_int_equal(count(c, "SELECT count(*) FROM pg_indexes WHERE tablename = 'documents' "
				  "AND indexdef LIKE '%USING gin%'"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM pg_extension WHERE extname = 'ltree'"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM pg_inherits "
				  "WHERE inhparent = 'cdrs'::regclass"), 3);
	assert_int_equal(count(c, "SELECT bugle_cdr_partitions_ahead(2)"), 0);
	assert_int_equal(count(c, "SELECT bugle_cdr_partitions_ahead(3)"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM information_schema.tables "
				  "WHERE table_name = 'registrations'"), 1);
	PQfinish(c);

	/* Second run: nothing to do. */
	rc = cp_pg_migrate_conninfo(conninfo_for("m_real"), schemas_dir(), &rep, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_int_equal(rep.applied, 0);
	assert_int_equal(rep.already, rep.found);
}

static void test_checksum_and_failures(void **state)
{
	(void)state;
	fresh_db("m_sum");
	char dir[] = "/tmp/cp-mig-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "0001_one.sql", "CREATE TABLE one (x int);");
	write_file(dir, "0002_two.sql", "CREATE TABLE two (x int); INSERT INTO two VALUES (1);");
	write_file(dir, "README.txt", "not a migration");
	struct cp_migrate_report rep;
	char err[512] = "";
	assert_int_equal(cp_pg_migrate_conninfo(conninfo_for("m_sum"), dir, &rep, err, sizeof(err)),
			 0);
	assert_int_equal(rep.applied, 2);

	/* An applied migration edited afterwards is refused, naming the file. */
	write_file(dir, "0002_two.sql", "CREATE TABLE two (x bigint);");
	assert_int_equal(cp_pg_migrate_conninfo(conninfo_for("m_sum"), dir, &rep, err,
						sizeof(err)),
			 -EILSEQ);
	assert_non_null(strstr(err, "0002_two.sql"));
	assert_non_null(strstr(err, "changed"));
	write_file(dir, "0002_two.sql", "CREATE TABLE two (x int); INSERT INTO two VALUES (1);");

	/* A failing migration is rolled back entirely and not recorded. */
	write_file(dir, "0003_bad.sql", "CREATE TABLE three (x int); SELECT no_such_function();");
	assert_int_equal(cp_pg_migrate_conninfo(conninfo_for("m_sum"), dir, &rep, err,
						sizeof(err)),
			 -EIO);
	assert_non_null(strstr(err, "0003_bad.sql"));
	PGconn *c = connect_db("m_sum");
	assert_int_equal(count(c, "SELECT count(*) FROM schema_migrations"), 2);
	assert_int_equal(count(c, "SELECT count(*) FROM information_schema.tables "
				  "WHERE table_name = 'three'"), 0);
	PQfinish(c);
	char p[512];
	snprintf(p, sizeof(p), "%s/0003_bad.sql", dir);
	unlink(p);

	/* Misnamed and duplicate-version files are refused before anything runs. */
	write_file(dir, "3_x y.sql", "SELECT 1;");
	assert_int_equal(cp_pg_migrate_conninfo(conninfo_for("m_sum"), dir, &rep, err,
						sizeof(err)),
			 -EINVAL);
	snprintf(p, sizeof(p), "%s/3_x y.sql", dir);
	unlink(p);
	write_file(dir, "02_again.sql", "SELECT 1;");
	assert_int_equal(cp_pg_migrate_conninfo(conninfo_for("m_sum"), dir, &rep, err,
						sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "same version"));

	assert_int_equal(cp_pg_migrate_conninfo(conninfo_for("m_sum"), "/nonexistent", &rep, err,
						sizeof(err)),
			 -ENOENT);
	assert_int_equal(cp_pg_migrate_conninfo("host=/nonexistent dbname=x", dir, &rep, err,
						sizeof(err)),
			 -ENOTCONN);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && echo ok", dir);
	throwaway_run(cmd, NULL, 0);
}

struct runner {
	const char *dir;
	const char *conninfo;
	int rc;
	struct cp_migrate_report rep;
	char err[512];
};

static void *run_migrations(void *arg)
{
	struct runner *r = arg;
	r->rc = cp_pg_migrate_conninfo(r->conninfo, r->dir, &r->rep, r->err,
				       sizeof(r->err));
	return NULL;
}

/* Two nodes starting at once: every migration is applied exactly once. The migrations are
 * slow and not idempotent, so without the lock the second runner would fail or re-apply. */
static void test_concurrent_runners(void **state)
{
	(void)state;
	fresh_db("m_race");
	char dir[] = "/tmp/cp-mig-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "0001_a.sql", "CREATE TABLE a (x int); SELECT pg_sleep(0.3);");
	write_file(dir, "0002_b.sql", "CREATE TABLE b (x int); INSERT INTO b VALUES (1);");
	write_file(dir, "0003_c.sql", "INSERT INTO b VALUES (2); SELECT pg_sleep(0.2);");
	char ci[600];
	snprintf(ci, sizeof(ci), "%s", conninfo_for("m_race"));
	struct runner r[2] = { { .dir = dir, .conninfo = ci }, { .dir = dir, .conninfo = ci } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, run_migrations, &r[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++)
		if (r[i].rc < 0)
			fail_msg("runner %d: %s", i, r[i].err);
	assert_int_equal(r[0].rep.applied + r[1].rep.applied, 3);
	assert_int_equal(r[0].rep.already + r[1].rep.already, 3);
	PGconn *c = connect_db("m_race");
	assert_int_equal(count(c, "SELECT count(*) FROM schema_migrations"), 3);
	assert_int_equal(count(c, "SELECT count(*) FROM b"), 2);
	PQfinish(c);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && echo ok", dir);
	throwaway_run(cmd, NULL, 0);
}

/* ---- the asynchronous pool ---- */

struct probe {
	int done;
	int up_events, down_events;
	bool up;
	char value[256];
	char error[512];
	bool had_result;
};

static void on_result(void *arg, const PGresult *res, const char *error)
{
	struct probe *p = arg;
	p->done++;
	p->had_result = res != NULL;
	snprintf(p->error, sizeof(p->error), "%s", error ? error : "");
	p->value[0] = '\0';
	if (!error && PQntuples(res) > 0)
		snprintf(p->value, sizeof(p->value), "%s", PQgetvalue(res, 0, 0));
}

static void on_state(void *arg, bool up, const char *error)
{
	(void)error;
	struct probe *p = arg;
	p->up = up;
	if (up)
		p->up_events++;
	else
		p->down_events++;
}

static void test_pool(void **state)
{
	(void)state;
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct probe st = { 0 };
	struct cp_pg_pool_options opt = {
		.conninfo = conninfo_for("bugle"),
		.size = 2,
		.queue_max = 16,
		.reconnect_max_ms = 400,
		.on_state = on_state,
		.state_arg = &st,
	};
	struct cp_pg_pool *pool = cp_pg_pool_new(&loop, &opt);
	assert_non_null(pool);
	assert_int_equal(cp_pg_pool_start(pool), 0);
	loop_wait(&loop, &st.up_events, 1, 10000);
	assert_true(cp_pg_pool_up(pool));

	/* Parameters are bound, never spliced: metacharacters come back verbatim. */
	struct probe q = { 0 };
	const char *evil[] = { "x'; DROP TABLE schema_migrations; --" };
	assert_int_equal(cp_pg_query(pool, "SELECT $1::text", 1, evil, on_result, &q), 0);
	loop_wait(&loop, &q.done, 1, 5000);
	assert_int_equal(q.done, 1);
	assert_string_equal(q.error, "");
	assert_string_equal(q.value, evil[0]);

	/* Several queries queue up and all complete, in a pool of two. */
	struct probe many[8] = { 0 };
	int total = 0;
	for (int i = 0; i < 8; i++) {
		char n[8];
		snprintf(n, sizeof(n), "%d", i);
		const char *p[] = { n };
		assert_int_equal(cp_pg_query(pool, "SELECT $1::int * 2", 1, p, on_result, &many[i]),
				 0);
	}
	for (int spins = 0; spins < 5000 && total < 8; spins++) {
		uv_run(&loop, UV_RUN_NOWAIT);
		usleep(1000);
		total = 0;
		for (int i = 0; i < 8; i++)
			total += many[i].done;
	}
	for (int i = 0; i < 8; i++) {
		char want[8];
		snprintf(want, sizeof(want), "%d", i * 2);
		assert_string_equal(many[i].value, want);
	}

	/* An SQL error is reported with the server's message; the pool stays up. */
	struct probe bad = { 0 };
	assert_int_equal(cp_pg_query(pool, "SELECT no_such_column FROM pg_class", 0, NULL,
				     on_result, &bad), 0);
	loop_wait(&loop, &bad.done, 1, 5000);
	assert_non_null(strstr(bad.error, "no_such_column"));
	assert_true(bad.had_result);
	assert_true(cp_pg_pool_up(pool));

	/* The server goes away: an in-flight query fails clearly, the pool reports down and
	 * refuses new work instead of queueing it forever. */
	struct probe slow = { 0 };
	assert_int_equal(cp_pg_query(pool, "SELECT pg_sleep(30)", 0, NULL, on_result, &slow), 0);
	loop_wait(&loop, &slow.done, 1, 200); /* let it be sent */
	assert_int_equal(throwaway_pg_stop(throwaway_group()), 0);
	loop_wait(&loop, &st.down_events, 1, 10000);
	loop_wait(&loop, &slow.done, 1, 5000);
	assert_int_equal(slow.done, 1);
	assert_true(slow.error[0] != '\0');
	assert_false(cp_pg_pool_up(pool));
	struct probe refused = { 0 };
	int rc = -EAGAIN;
	for (int i = 0; i < 50 && rc != -ENOTCONN; i++) {
		rc = cp_pg_query(pool, "SELECT 1", 0, NULL, on_result, &refused);
		if (rc == 0) /* a reconnect attempt was under way: it fails too */
			loop_wait(&loop, &refused.done, refused.done + 1, 5000);
		else
			loop_wait(&loop, &refused.done, 1, 50);
	}
	assert_int_equal(rc, -ENOTCONN);
	if (refused.done)
		assert_non_null(strstr(refused.error, "postgres"));

	/* It comes back: the pool reconnects by itself and queries work again. */
	assert_int_equal(throwaway_pg_start(throwaway_group()), 0);
	loop_wait(&loop, &st.up_events, 2, 15000);
	assert_true(cp_pg_pool_up(pool));
	struct probe again = { 0 };
	assert_int_equal(cp_pg_query(pool, "SELECT 40 + 2", 0, NULL, on_result, &again), 0);
	loop_wait(&loop, &again.done, 1, 5000);
	assert_string_equal(again.value, "42");
	struct cp_pg_stats stats;
	cp_pg_pool_stats(pool, &stats);
	assert_true(stats.reconnects > 0);
	assert_true(stats.failed >= 2);

	/* Closing fails what is queued and releases every handle. */
	struct probe pending = { 0 };
	assert_int_equal(cp_pg_query(pool, "SELECT pg_sleep(10)", 0, NULL, on_result, &pending), 0);
	cp_pg_pool_close(pool);
	assert_int_equal(pending.done, 1);
	assert_non_null(strstr(pending.error, "shutting down"));
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* A server that accepts TCP but never answers: the pool gives up on each attempt after its
 * connect timeout instead of hanging, and queued queries fail with that reason. */
static void test_pool_connect_timeout(void **state)
{
	(void)state;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 8), 0);
	socklen_t sl = sizeof(sa);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	char ci[128];
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=x user=x", ntohs(sa.sin_port));

	uv_loop_t loop;
	uv_loop_init(&loop);
	struct probe st = { 0 };
	struct cp_pg_pool_options opt = {
		.conninfo = ci,
		.size = 1,
		.reconnect_max_ms = 100,
		.connect_timeout_ms = 300,
		.on_state = on_state,
		.state_arg = &st,
	};
	struct cp_pg_pool *pool = cp_pg_pool_new(&loop, &opt);
	assert_non_null(pool);
	cp_pg_pool_start(pool);
	struct probe q = { 0 };
	assert_int_equal(cp_pg_query(pool, "SELECT 1", 0, NULL, on_result, &q), 0);
	loop_wait(&loop, &q.done, 1, 5000);
	assert_int_equal(q.done, 1);
	assert_non_null(strstr(q.error, "timed out connecting"));
	assert_int_equal(st.up_events, 0);
	cp_pg_pool_close(pool);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	close(fd);
}

int main(void)
{
	bgl_log_setup("test", BGL_LOG_TEXT, BGL_LOG_ERR, false);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_migrations),
		cmocka_unit_test(test_checksum_and_failures),
		cmocka_unit_test(test_concurrent_runners),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_pool_connect_timeout),
	};
	return cmocka_run_group_tests(tests, throwaway_group_pg, throwaway_group_teardown);
}
