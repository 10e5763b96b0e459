/* buglectl status's own look at the shared dependencies: a PostgreSQL connection that runs
 * SELECT 1 and an AMQP connection that logs in and closes, each bounded by the --timeout the
 * user gave. Independent of the control planes, so a dependency the control planes cannot see
 * (or one they see but buglectl cannot) shows as such. */
#include <amqp.h>
#include <errno.h>
#include <amqp_tcp_socket.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "status_probe.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until the connection's socket is ready for events, or the deadline; false on timeout. */
static bool wait_socket(PGconn *c, short events, long long deadline)
{
	long long left = deadline - now_ms();
	if (left <= 0 || PQsocket(c) < 0)
		return false;
	struct pollfd p = { .fd = PQsocket(c), .events = events };
	return poll(&p, 1, (int)left) > 0;
}

static void copy_error(struct ctl_probe *out, const char *msg)
{
	snprintf(out->error, sizeof(out->error), "%s", msg && *msg ? msg : "failed");
	/* One line for the table: libpq's messages end with a newline and may hold a hint on a
	 * second, tab-indented line. */
	size_t n = strlen(out->error);
	while (n && (out->error[n - 1] == '\n' || out->error[n - 1] == ' '))
		out->error[--n] = '\0';
	for (char *p = out->error; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
}

/* The non-blocking connection of libpq, driven until it is made or the deadline passes. */
static bool pg_connect(PGconn *c, long long deadline, struct ctl_probe *out)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED) {
			copy_error(out, PQerrorMessage(c));
			return false;
		}
		if (!wait_socket(c, st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline)) {
			copy_error(out, "no answer in time (connecting)");
			return false;
		}
		st = PQconnectPoll(c);
	}
	return true;
}

static bool pg_select_1(PGconn *c, long long deadline, struct ctl_probe *out)
{
	if (!PQsendQuery(c, "SELECT 1")) {
		copy_error(out, PQerrorMessage(c));
		return false;
	}
	bool ok = false;
	for (;;) {
		while (PQisBusy(c)) {
			if (!wait_socket(c, POLLIN, deadline)) {
				copy_error(out, "no answer in time (SELECT 1)");
				return false;
			}
			if (!PQconsumeInput(c)) {
				copy_error(out, PQerrorMessage(c));
				return false;
			}
		}
		PGresult *r = PQgetResult(c);
		if (!r)
			break;
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
		    strcmp(PQgetvalue(r, 0, 0), "1") == 0)
			ok = true;
		else
			copy_error(out, PQresultErrorMessage(r));
		PQclear(r);
	}
	if (!ok && !out->error[0])
		copy_error(out, "SELECT 1 gave no row");
	return ok;
}

void ctl_probe_postgres(const char *conninfo, int timeout_ms, struct ctl_probe *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->address, sizeof(out->address), "-");
	const char *keys[] = { "dbname", NULL }, *vals[] = { conninfo, NULL };
	PGconn *c = PQconnectStartParams(keys, vals, 1);	/* dbname expands a conninfo/URI */
	if (!c) {
		copy_error(out, "out of memory");
		return;
	}
	if (PQstatus(c) == CONNECTION_BAD) {
		copy_error(out, PQerrorMessage(c));	/* a malformed conninfo */
		PQfinish(c);
		return;
	}
	long long deadline = now_ms() + timeout_ms;
	bool ok = pg_connect(c, deadline, out);
	const char *host = PQhost(c), *port = PQport(c);
	if (host && *host)
		snprintf(out->address, sizeof(out->address), "%s:%s", host,
			 port && *port ? port : "5432");
	if (ok && pg_select_1(c, deadline, out)) {
		out->up = true;
		const char *v = PQparameterStatus(c, "server_version");
		snprintf(out->version, sizeof(out->version), "%s", v ? v : "");
	}
	PQfinish(c);
}

/* The server's "version" property (RabbitMQ sends one), or "". */
static void server_version_property(amqp_connection_state_t c, char *out, size_t len)
{
	const amqp_table_t *props = amqp_get_server_properties(c);
	out[0] = '\0';
	for (int i = 0; props && i < props->num_entries; i++) {
		const amqp_table_entry_t *e = &props->entries[i];
		if (e->key.len == 7 && memcmp(e->key.bytes, "version", 7) == 0 &&
		    e->value.kind == AMQP_FIELD_KIND_UTF8)
			snprintf(out, len, "%.*s", (int)e->value.value.bytes.len,
				 (const char *)e->value.value.bytes.bytes);
	}
}

static void amqp_reply_error(const amqp_rpc_reply_t *r, struct ctl_probe *out)
{
	if (r->reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) {
		copy_error(out, amqp_error_string2(r->library_error));
	} else if (r->reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
		   r->reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
		const amqp_connection_close_t *m = r->reply.decoded;
		snprintf(out->error, sizeof(out->error), "server closed: %.*s",
			 (int)m->reply_text.len, (const char *)m->reply_text.bytes);
	} else {
		copy_error(out, "login refused");
	}
}

void ctl_probe_amqp(const char *url, int timeout_ms, struct ctl_probe *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->address, sizeof(out->address), "-");
	char *text = strdup(url);	/* amqp_parse_url cuts the string it parses */
	struct amqp_connection_info info;
	if (!text) {
		copy_error(out, "out of memory");
		return;
	}
	amqp_default_connection_info(&info);
	if (amqp_parse_url(text, &info) != AMQP_STATUS_OK) {
		copy_error(out, "not an amqp:// URL");
		free(text);
		return;
	}
	/* "amqp://host/" strictly names the empty vhost, which RabbitMQ never has: "/", as the
	 * control plane reads it. */
	if (!info.vhost || !*info.vhost)
		info.vhost = "/";
	snprintf(out->address, sizeof(out->address), "%s:%d", info.host, info.port);
	amqp_connection_state_t c = amqp_new_connection();
	amqp_socket_t *sock = c ? amqp_tcp_socket_new(c) : NULL;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	int rc;
	errno = 0;
	if (!sock) {
		copy_error(out, "out of memory");
	} else if ((rc = amqp_socket_open_noblock(sock, info.host, info.port, &tv)) !=
		   AMQP_STATUS_OK) {
		int why = errno;
		snprintf(out->error, sizeof(out->error), "connect to %s: %s%s%s", out->address,
			 amqp_error_string2(rc), why ? ": " : "", why ? strerror(why) : "");
	} else {
		amqp_set_handshake_timeout(c, &tv);
		amqp_set_rpc_timeout(c, &tv);
		amqp_rpc_reply_t r = amqp_login(c, info.vhost, 0, 131072, 0,
						AMQP_SASL_METHOD_PLAIN, info.user, info.password);
		if (r.reply_type == AMQP_RESPONSE_NORMAL) {
			out->up = true;
			server_version_property(c, out->version, sizeof(out->version));
			amqp_connection_close(c, AMQP_REPLY_SUCCESS);
		} else {
			amqp_reply_error(&r, out);
		}
	}
	if (c)
		amqp_destroy_connection(c);
	free(text);
}
