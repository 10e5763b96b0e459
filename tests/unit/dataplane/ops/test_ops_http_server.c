/* The metrics server on a real loopback socket, polled in-process: a scrape, the error answers,
 * client limits, slow clients and a render that does not fit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ops_http.h"
#include "ops_http_server.h"

#define WAIT_MS 3000

struct fixture {
	struct ops_http_server *srv;
	uint64_t now;		/* the clock handed to poll: tests move it to expire clients */
	int renders;
	bool overflow;		/* render more than fits */
};

static int render(void *arg, struct ops_expo *w)
{
	struct fixture *f = arg;
	f->renders++;
	int rc = ops_expo_family(w, "t_scrapes_total", OPS_COUNTER, "scrapes");
	if (!rc)
		rc = ops_expo_sample(w, "t_scrapes_total", NULL, 0, (uint64_t)f->renders);
	for (int i = 0; f->overflow && !rc; i++)
		rc = ops_expo_sample(w, "t_filler", NULL, 0, (uint64_t)i);
	return rc;
}

static int setup(void **state)
{
	static struct fixture f;
	char err[256];
	memset(&f, 0, sizeof(f));
	f.now = 1000;
	f.srv = ops_http_server_new("127.0.0.1:0", render, &f, err, sizeof(err));
	if (!f.srv)
		fail_msg("%s", err);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	ops_http_server_free(f->srv);
	return 0;
}

static int connect_client(struct fixture *f)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(ops_http_server_port(f->srv)) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Poll the server (advancing its clock by 1 ms a step) until the client sees EOF; returns the
 * bytes read into out. */
static size_t exchange(struct fixture *f, int fd, const char *req, char *out, size_t cap)
{
	if (req)
		assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	size_t len = 0;
	for (int i = 0; i < WAIT_MS; i++) {
		ops_http_server_poll(f->srv, ++f->now);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 1) <= 0)
			continue;
		ssize_t n = read(fd, out + len, cap - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	close(fd);
	return len;
}

static void test_scrape(void **state)
{
	struct fixture *f = *state;
	char out[4096];
	exchange(f, connect_client(f), "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n", out,
		 sizeof(out));
	const char *body = "# HELP t_scrapes_total scrapes\n# TYPE t_scrapes_total counter\n"
			   "t_scrapes_total 1\n";
	char head[256];
	snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; "
		 "charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", strlen(body));
	assert_memory_equal(out, head, strlen(head));
	assert_string_equal(out + strlen(head), body);
	/* A second scrape renders again (nothing cached). */
	exchange(f, connect_client(f), "GET /metrics HTTP/1.1\r\n\r\n", out, sizeof(out));
	assert_non_null(strstr(out, "t_scrapes_total 2\n"));
	uint64_t c[OPS_HTTP_COUNTER_COUNT];
	ops_http_server_counters(f->srv, c, OPS_HTTP_COUNTER_COUNT);
	assert_int_equal(c[OPS_HTTP_C_scrapes], 2);
	assert_int_equal(c[OPS_HTTP_C_accepted], 2);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	char out[4096];
	const struct {
		const char *req;
		const char *status;
	} cases[] = {
		{ "GET /nope HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n" },
		{ "POST /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 405 Method Not Allowed\r\n" },
		{ "garbage\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
		{ "GET /metrics HTTP/3.0\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exchange(f, connect_client(f), cases[i].req, out, sizeof(out));
		if (strncmp(out, cases[i].status, strlen(cases[i].status)) != 0)
			fail_msg("case %zu: got '%.60s'", i, out);
		assert_non_null(strstr(out, "Connection: close\r\n"));
	}
	assert_int_equal(f->renders, 0);	/* no error path renders the metrics */
	uint64_t c[OPS_HTTP_COUNTER_COUNT];
	ops_http_server_counters(f->srv, c, OPS_HTTP_COUNTER_COUNT);
	assert_int_equal(c[OPS_HTTP_C_bad_requests], 4);
}

static void test_oversized_request(void **state)
{
	struct fixture *f = *state;
	static char req[OPS_HTTP_MAX_REQUEST + 100];
	char out[4096];
	memset(req, 'a', sizeof(req) - 1);
	memcpy(req, "GET /metrics HTTP/1.1\r\nX: ", 26);
	exchange(f, connect_client(f), req, out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 431 "));
}

static void test_slow_client_times_out(void **state)
{
	struct fixture *f = *state;
	int fd = connect_client(f);
	assert_int_equal(write(fd, "GET /met", 8), 8);
	for (int i = 0; i < 50; i++)
		ops_http_server_poll(f->srv, ++f->now);
	f->now += OPS_HTTP_CLIENT_MS;
	ops_http_server_poll(f->srv, ++f->now);
	char c;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, WAIT_MS), 1);
	assert_int_equal(read(fd, &c, 1), 0);	/* closed, no answer */
	close(fd);
	uint64_t v[OPS_HTTP_COUNTER_COUNT];
	ops_http_server_counters(f->srv, v, OPS_HTTP_COUNTER_COUNT);
	assert_int_equal(v[OPS_HTTP_C_timeouts], 1);
}

static void test_client_limit(void **state)
{
	struct fixture *f = *state;
	int idle[OPS_HTTP_MAX_CLIENTS];
	for (int i = 0; i < OPS_HTTP_MAX_CLIENTS; i++)
		idle[i] = connect_client(f);
	for (int i = 0; i < 50; i++)
		ops_http_server_poll(f->srv, ++f->now);
	/* Every slot is taken by a client that sends nothing: the next one is closed at once. */
	int extra = connect_client(f);
	char out[256];
	assert_int_equal(exchange(f, extra, NULL, out, sizeof(out)), 0);
	uint64_t v[OPS_HTTP_COUNTER_COUNT];
	ops_http_server_counters(f->srv, v, OPS_HTTP_COUNTER_COUNT);
	assert_true(v[OPS_HTTP_C_refused_busy] >= 1);
	for (int i = 0; i < OPS_HTTP_MAX_CLIENTS; i++)
		close(idle[i]);
	for (int i = 0; i < 50; i++)
		ops_http_server_poll(f->srv, ++f->now);
	/* The slots are free again. */
	char buf[4096];
	exchange(f, connect_client(f), "GET /metrics HTTP/1.1\r\n\r\n", buf, sizeof(buf));
	assert_non_null(strstr(buf, "HTTP/1.1 200 OK\r\n"));
}

static void test_render_overflow(void **state)
{
	struct fixture *f = *state;
	f->overflow = true;
	char out[4096];
	exchange(f, connect_client(f), "GET /metrics HTTP/1.1\r\n\r\n", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 500 "));
	uint64_t v[OPS_HTTP_COUNTER_COUNT];
	ops_http_server_counters(f->srv, v, OPS_HTTP_COUNTER_COUNT);
	assert_int_equal(v[OPS_HTTP_C_truncated], 1);
}

static void test_bad_listen(void **state)
{
	(void)state;
	char err[256];
	errno = 0;
	assert_null(ops_http_server_new("localhost:80", render, NULL, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "localhost:80"));
	assert_null(ops_http_server_new("127.0.0.1:99999", render, NULL, err, sizeof(err)));
	assert_null(ops_http_server_new("127.0.0.1", render, NULL, err, sizeof(err)));
	assert_null(ops_http_server_new("127.0.0.1:", render, NULL, err, sizeof(err)));
}

static void test_port_in_use(void **state)
{
	struct fixture *f = *state;
	char addr[32], err[256];
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", ops_http_server_port(f->srv));
	errno = 0;
	assert_null(ops_http_server_new(addr, render, NULL, err, sizeof(err)));
	assert_int_equal(errno, EADDRINUSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scrape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_client_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_overflow, setup, teardown),
		cmocka_unit_test(test_bad_listen),
		cmocka_unit_test_setup_teardown(test_port_in_use, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
