/* The SIP node over a real loopback UDP socket without a store: stateless 400s, challenges
 * with both algorithms, retransmissions absorbed, RFC 4475 unksm2 refused by the registrar,
 * OPTIONS and unknown methods, a forged nonce counted as a failure, the transaction bound, and
 * requests toward phones sent through the outbound proxy with a Route. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <osipparser2/osip_parser.h>

#include "csip-config.h"
#include "csip.h"

struct fixture {
	uv_loop_t loop;
	uint64_t now;		/* the registrar's clock, in seconds */
	struct csip_node *node;
	int fd;			/* the test's client socket */
	int client_port;
	struct sockaddr_in server;
	char reply[65536];
};

static uint64_t fixture_clock(void *arg)
{
	return ((struct fixture *)arg)->now;
}

static int setup_with(void **state, bool register_sha256)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);

	/* The test's socket plays both the phones and the data plane's internal address (the
	 * outbound proxy). */
	f->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in me = { .sin_family = AF_INET };
	me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&me, sizeof(me)), 0);
	socklen_t len = sizeof(me);
	getsockname(f->fd, (struct sockaddr *)&me, &len);
	f->client_port = ntohs(me.sin_port);

	struct csip_config cfg;
	struct bgl_settings_error err;
	assert_int_equal(csip_config_defaults(&cfg, "127.0.0.1:0", &err), 0);
	assert_true(cfg.register_sha256); /* the default */
	cfg.register_sha256 = register_sha256;
	cfg.max_transactions = 16;
	cfg.auth_fail_max = 3;
	cfg.nonce_ttl_s = 300;
	f->now = 1800000000;
	snprintf(cfg.outbound_proxy, sizeof(cfg.outbound_proxy), "127.0.0.1:%d", f->client_port);
	/* Bans go to a control address nothing listens on: asked for, and failing. */
	struct csip_node_options o = { .cfg = &cfg, .node = "unit", .dp_control = "127.0.0.1:1",
				       .now_s = fixture_clock, .now_arg = f };
	f->node = csip_node_new(&f->loop, &o);
	assert_non_null(f->node);
	assert_int_equal(csip_node_start(f->node), 0);

	f->server.sin_family = AF_INET;
	f->server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->server.sin_port = htons((uint16_t)csip_stack_local_port(f->node->stack));
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, true);
}

/* sip.register_sha256 = false, for phones that refuse a 401 offering SHA-256 too. */
static int setup_md5_only(void **state)
{
	return setup_with(state, false);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	csip_node_close(f->node);
	/* Until every handle is closed and every ban call (worker pool) has returned. */
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	close(f->fd);
	free(f);
	return 0;
}

static void send_text(struct fixture *f, const char *text)
{
	ssize_t n = sendto(f->fd, text, strlen(text), 0, (struct sockaddr *)&f->server,
			   sizeof(f->server));
	assert_int_equal(n, (ssize_t)strlen(text));
}

/* Runs the loop until a datagram reaches the client (2 s at most); NULL when none came. */
static const char *wait_reply(struct fixture *f, int ms)
{
	for (int i = 0; i < ms; i++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		ssize_t n = recv(f->fd, f->reply, sizeof(f->reply) - 1, 0);
		if (n > 0) {
			f->reply[n] = '\0';
			return f->reply;
		}
		usleep(1000);
	}
	return NULL;
}

static const char *exchange(struct fixture *f, const char *text)
{
	send_text(f, text);
	const char *r = wait_reply(f, 2000);
	assert_non_null(r);
	return r;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static char *request(struct fixture *f, const char *method, const char *branch,
		     const char *extra)
{
	static char buf[4096];
	snprintf(buf, sizeof(buf),
		 "%s sip:example.com SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s;rport\r\n"
		 "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=a1\r\n"
		 "To: <sip:alice@example.com>\r\nCall-ID: %s@unit\r\nCSeq: 1 %s\r\n"
		 "Contact: <sip:alice@127.0.0.1:%d>\r\n%sContent-Length: 0\r\n\r\n",
		 method, f->client_port, branch, branch, method, f->client_port, extra);
	return buf;
}

static void test_unparsable_gets_stateless_400(void **state)
{
	struct fixture *f = *state;
	char msg[512];
	snprintf(msg, sizeof(msg),
		 "INVITE sip:a@b SIP/2.0 extra\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKp1\r\n"
		 "CSeq: one INVITE\r\n\r\n",
		 f->client_port);
	const char *r = exchange(f, msg);
	assert_true(strncmp(r, "SIP/2.0 400 ", 12) == 0);
	assert_non_null(strstr(r, "branch=z9hG4bKp1"));
	struct csip_stack_counters c;
	csip_stack_counters(f->node->stack, &c);
	assert_int_equal(c.rx_unparsable + c.rx_missing_headers, 1);

	/* Garbage with nowhere to answer is dropped and counted. */
	send_text(f, "\x16\x03\x01 not sip at all");
	assert_null(wait_reply(f, 200));
	csip_stack_counters(f->node->stack, &c);
	assert_int_equal(c.rx_dropped, 1);
}

static void test_register_is_challenged_with_both_algorithms(void **state)
{
	struct fixture *f = *state;
	char *req = request(f, "REGISTER", "r1", "Expires: 300\r\n");
	char copy[4096];
	strcpy(copy, req);
	const char *r = exchange(f, copy);
	assert_true(strncmp(r, "SIP/2.0 401 Unauthorized", 24) == 0);
	assert_int_equal(count(r, "WWW-Authenticate: Digest"), 2);
	const char *md5 = strstr(r, "algorithm=MD5");
	const char *sha = strstr(r, "algorithm=SHA-256");
	assert_non_null(md5);
	assert_non_null(sha);
	assert_true(md5 < sha); /* MD5 first for phones that read only the first */
	assert_non_null(strstr(r, "realm=\"example.com\""));
	assert_non_null(strstr(r, "qop=\"auth\""));
	char first[4096];
	strcpy(first, r);

	/* The retransmission is absorbed by the transaction, which repeats its answer. */
	r = exchange(f, copy);
	assert_string_equal(r, first);
	struct csip_stack_counters c;
	csip_stack_counters(f->node->stack, &c);
	assert_int_equal(c.rx_retransmissions, 1);
	assert_int_equal(c.transactions_created, 1);
	struct csip_registrar_counters rc;
	csip_registrar_counters(f->node->registrar, &rc);
	assert_int_equal(rc.registers, 1);
	assert_int_equal(rc.challenges, 1);
}

static void test_register_challenge_without_sha256(void **state)
{
	struct fixture *f = *state;
	char *req = request(f, "REGISTER", "r1", "Expires: 300\r\n");
	const char *r = exchange(f, req);
	assert_true(strncmp(r, "SIP/2.0 401 Unauthorized", 24) == 0);
	assert_int_equal(count(r, "WWW-Authenticate: Digest"), 1);
	assert_non_null(strstr(r, "algorithm=MD5"));
	assert_null(strstr(r, "SHA-256"));
}

static void test_rfc4475_unksm2_gets_400(void **state)
{
	struct fixture *f = *state;
	const char *dir = getenv("BUGLE_TESTDATA");
	assert_non_null(dir);
	char path[512], text[4096], msg[4096];
	snprintf(path, sizeof(path), "%s/rfc4475/unksm2.dat", dir);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	size_t n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	/* Answers follow the Via: point it at this test's socket. */
	char *via = strstr(text, "Via: ");
	assert_non_null(via);
	char *eol = strchr(via, '\n');
	snprintf(msg, sizeof(msg), "%.*sVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKunksm2%s",
		 (int)(via - text), text, f->client_port, eol);
	const char *r = exchange(f, msg);
	assert_true(strncmp(r, "SIP/2.0 400 ", 12) == 0);
	struct csip_registrar_counters rc;
	csip_registrar_counters(f->node->registrar, &rc);
	assert_int_equal(rc.bad_requests, 1);
}

static void test_options_and_unknown_methods(void **state)
{
	struct fixture *f = *state;
	const char *r = exchange(f, request(f, "OPTIONS", "o1", ""));
	assert_true(strncmp(r, "SIP/2.0 200 OK", 14) == 0);
	r = exchange(f, request(f, "SUBSCRIBE", "s1", "Event: presence\r\n"));
	assert_true(strncmp(r, "SIP/2.0 501 ", 12) == 0);
	r = exchange(f, request(f, "INVITE", "i1", ""));
	assert_true(strncmp(r, "SIP/2.0 501 ", 12) == 0);
}

static void test_forged_nonce_counts_a_failure(void **state)
{
	struct fixture *f = *state;
	char extra[1024];
	snprintf(extra, sizeof(extra),
		 "Authorization: Digest username=\"alice\", realm=\"example.com\","
		 " nonce=\"%064d\", uri=\"sip:example.com\","
		 " response=\"8ca523f5e9506fed4657c9700eebdbec\", algorithm=MD5,"
		 " cnonce=\"c\", qop=auth, nc=00000001\r\n",
		 0);
	const char *r = exchange(f, request(f, "REGISTER", "f1", extra));
	assert_true(strncmp(r, "SIP/2.0 401 ", 12) == 0);
	struct csip_registrar_counters rc;
	csip_registrar_counters(f->node->registrar, &rc);
	assert_int_equal(rc.auth_failures, 1);

	/* Malformed credentials (no qop) are a 400, not a challenge. */
	r = exchange(f, request(f, "REGISTER", "f2",
				"Authorization: Digest username=\"alice\", realm=\"example.com\","
				" nonce=\"x\", uri=\"sip:example.com\","
				" response=\"8ca523f5e9506fed4657c9700eebdbec\"\r\n"));
	assert_true(strncmp(r, "SIP/2.0 400 ", 12) == 0);
}

static void test_genuine_nonce_without_store_is_503(void **state)
{
	struct fixture *f = *state;
	const char *r = exchange(f, request(f, "REGISTER", "g1", ""));
	const char *p = strstr(r, "nonce=\"");
	assert_non_null(p);
	char nonce[80];
	snprintf(nonce, sizeof(nonce), "%.64s", p + 7);
	char extra[1024];
	snprintf(extra, sizeof(extra),
		 "Authorization: Digest username=\"alice\", realm=\"example.com\","
		 " nonce=\"%s\", uri=\"sip:example.com\","
		 " response=\"8ca523f5e9506fed4657c9700eebdbec\", algorithm=MD5,"
		 " cnonce=\"c\", qop=auth, nc=00000001\r\n",
		 nonce);
	r = exchange(f, request(f, "REGISTER", "g2", extra));
	assert_true(strncmp(r, "SIP/2.0 503 ", 12) == 0);
	struct csip_registrar_counters rc;
	csip_registrar_counters(f->node->registrar, &rc);
	assert_int_equal(rc.auth_failures, 0);
	assert_int_equal(rc.store_errors, 1);
}

static void test_transaction_table_is_bounded(void **state)
{
	struct fixture *f = *state;
	int ok = 0, overload = 0;
	for (int i = 0; i < 20; i++) {
		char branch[16];
		snprintf(branch, sizeof(branch), "b%d", i);
		const char *r = exchange(f, request(f, "OPTIONS", branch, ""));
		if (strncmp(r, "SIP/2.0 200 ", 12) == 0)
			ok++;
		else if (strncmp(r, "SIP/2.0 503 ", 12) == 0)
			overload++;
	}
	/* Answered transactions linger (timer J) and hold their slots. */
	assert_int_equal(ok, 16);
	assert_int_equal(overload, 4);
	struct csip_stack_counters c;
	csip_stack_counters(f->node->stack, &c);
	assert_int_equal(c.tx_overload, 4);
	assert_int_equal(c.transactions_live, 16);
}

/* Among many live transactions, a retransmission reaches its own (the one of its branch, in the
 * server list of its method), which repeats its answer; a new branch still gets a new one. */
static void test_retransmission_finds_its_transaction_among_many(void **state)
{
	struct fixture *f = *state;
	char answers[10][512];
	for (int i = 0; i < 10; i++) {
		char branch[16];
		snprintf(branch, sizeof(branch), "m%d", i);
		const char *r = exchange(f, request(f, "OPTIONS", branch, ""));
		assert_true(strncmp(r, "SIP/2.0 200 ", 12) == 0);
		snprintf(answers[i], sizeof(answers[i]), "%s", r);
	}
	const char *again = exchange(f, request(f, "OPTIONS", "m6", ""));
	assert_string_equal(again, answers[6]);
	assert_non_null(strstr(again, "branch=z9hG4bKm6"));
	const char *fresh = exchange(f, request(f, "OPTIONS", "m10", ""));
	assert_non_null(strstr(fresh, "branch=z9hG4bKm10"));
	struct csip_stack_counters c;
	csip_stack_counters(f->node->stack, &c);
	assert_int_equal(c.rx_retransmissions, 1);
	assert_int_equal(c.transactions_created, 11);
	assert_int_equal(c.transactions_live, 11);
}

/* A challenge's nonce, then an Authorization header using it. */
static void nonce_of(const char *challenge, char out[80])
{
	const char *p = strstr(challenge, "nonce=\"");
	assert_non_null(p);
	snprintf(out, 80, "%.64s", p + 7);
}

static void auth_with(const char *nonce, char *out, size_t len)
{
	snprintf(out, len,
		 "Authorization: Digest username=\"alice\", realm=\"example.com\","
		 " nonce=\"%s\", uri=\"sip:example.com\","
		 " response=\"8ca523f5e9506fed4657c9700eebdbec\", algorithm=MD5,"
		 " cnonce=\"c\", qop=auth, nc=00000001\r\n",
		 nonce);
}

static void test_expired_nonce_is_stale_not_a_failure(void **state)
{
	struct fixture *f = *state;
	char nonce[80], extra[1024];
	nonce_of(exchange(f, request(f, "REGISTER", "e1", "")), nonce);
	f->now += 301;
	auth_with(nonce, extra, sizeof(extra));
	const char *r = exchange(f, request(f, "REGISTER", "e2", extra));
	assert_true(strncmp(r, "SIP/2.0 401 ", 12) == 0);
	assert_int_equal(count(r, "stale=TRUE"), 2);
	char fresh[80];
	nonce_of(r, fresh);
	assert_string_not_equal(fresh, nonce);
	struct csip_registrar_counters rc;
	csip_registrar_counters(f->node->registrar, &rc);
	assert_int_equal(rc.stale_nonces, 1);
	assert_int_equal(rc.auth_failures, 0);
}

static void test_repeated_failures_ask_for_a_ban(void **state)
{
	struct fixture *f = *state;
	char extra[1024];
	auth_with("0000000000000000000000000000000000000000000000000000000000000000", extra,
		  sizeof(extra));
	for (int i = 0; i < 3; i++) {
		char branch[16];
		snprintf(branch, sizeof(branch), "x%d", i);
		const char *r = exchange(f, request(f, "REGISTER", branch, extra));
		assert_true(strncmp(r, "SIP/2.0 401 ", 12) == 0);
	}
	struct csip_registrar_counters rc;
	csip_registrar_counters(f->node->registrar, &rc);
	assert_int_equal(rc.auth_failures, 3);
	assert_int_equal(rc.bans, 1);
	/* The count starts again after a ban. */
	exchange(f, request(f, "REGISTER", "x3", extra));
	csip_registrar_counters(f->node->registrar, &rc);
	assert_int_equal(rc.auth_failures, 4);
	assert_int_equal(rc.bans, 1);
	/* Failures outside the window do not add up. */
	f->now += 61;
	exchange(f, request(f, "REGISTER", "x4", extra));
	f->now += 61;
	exchange(f, request(f, "REGISTER", "x5", extra));
	f->now += 61;
	exchange(f, request(f, "REGISTER", "x6", extra));
	csip_registrar_counters(f->node->registrar, &rc);
	assert_int_equal(rc.bans, 1);
}

struct outcome {
	int calls;
	int status;
};

static void on_final(void *arg, int status, const osip_message_t *resp)
{
	struct outcome *o = arg;
	o->calls++;
	o->status = status;
	assert_true(resp == NULL || resp->status_code == status);
}

static osip_message_t *notify_to_phone(const char *call_id)
{
	const char *text = "NOTIFY sip:alice@192.0.2.7:5062 SIP/2.0\r\n"
			   "Max-Forwards: 70\r\nFrom: <sip:example.com>;tag=cp1\r\n"
			   "To: <sip:alice@example.com>;tag=ph1\r\nCall-ID: %s\r\n"
			   "CSeq: 7 NOTIFY\r\nEvent: message-summary\r\n"
			   "Subscription-State: active\r\nContent-Length: 0\r\n\r\n";
	char buf[512];
	snprintf(buf, sizeof(buf), text, call_id);
	osip_message_t *m = NULL;
	assert_int_equal(osip_message_init(&m), 0);
	assert_int_equal(osip_message_parse(m, buf, strlen(buf)), 0);
	return m;
}

/* Answers the request in f->reply (received as the outbound proxy) with code. */
static void answer(struct fixture *f, int code, const char *reason)
{
	char resp[2048];
	int n = snprintf(resp, sizeof(resp), "SIP/2.0 %d %s\r\n", code, reason);
	for (const char *line = f->reply; *line;) {
		const char *eol = strstr(line, "\r\n");
		if (!eol || eol == line)
			break;
		size_t len = (size_t)(eol - line);
		if (!strncmp(line, "Via:", 4) || !strncmp(line, "From:", 5) ||
		    !strncmp(line, "To:", 3) || !strncmp(line, "Call-ID:", 8) ||
		    !strncmp(line, "CSeq:", 5))
			n += snprintf(resp + n, sizeof(resp) - (size_t)n, "%.*s\r\n", (int)len, line);
		line = eol + 2;
	}
	snprintf(resp + n, sizeof(resp) - (size_t)n, "Content-Length: 0\r\n\r\n");
	send_text(f, resp);
}

static void test_requests_go_to_the_outbound_proxy_with_a_route(void **state)
{
	struct fixture *f = *state;
	struct outcome o = { 0 };
	assert_int_equal(csip_stack_send_request(f->node->stack, notify_to_phone("n1@cp"),
						 "<sip:198.51.100.1;lr>", on_final, &o),
			 0);
	const char *r = wait_reply(f, 2000);
	assert_non_null(r);
	assert_true(strncmp(r, "NOTIFY sip:alice@192.0.2.7:5062 SIP/2.0\r\n", 41) == 0);
	assert_non_null(strstr(r, "Route: <sip:198.51.100.1;lr>"));
	char via[64];
	snprintf(via, sizeof(via), "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK",
		 csip_stack_local_port(f->node->stack));
	assert_non_null(strstr(r, via));
	answer(f, 200, "OK");
	for (int i = 0; i < 2000 && o.calls == 0; i++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(1000);
	}
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.status, 200);
	/* A retransmitted 200 is absorbed: no second outcome. */
	answer(f, 200, "OK");
	for (int i = 0; i < 100; i++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(1000);
	}
	assert_int_equal(o.calls, 1);
	struct csip_stack_counters c;
	csip_stack_counters(f->node->stack, &c);
	assert_int_equal(c.requests_sent, 1);
}

static void test_request_retransmitted_then_failed(void **state)
{
	struct fixture *f = *state;
	struct outcome o = { 0 };
	assert_int_equal(csip_stack_send_request(f->node->stack, notify_to_phone("n2@cp"), NULL,
						 on_final, &o),
			 0);
	char first[4096];
	const char *r = wait_reply(f, 2000);
	assert_non_null(r);
	assert_null(strstr(r, "Route:"));
	strcpy(first, r);
	/* Timer E: the same request again after T1 while unanswered. */
	r = wait_reply(f, 2000);
	assert_non_null(r);
	assert_string_equal(r, first);
	answer(f, 486, "Busy Here");
	for (int i = 0; i < 2000 && o.calls == 0; i++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(1000);
	}
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.status, 486);
}

static void test_request_refused_when_malformed_or_closing(void **state)
{
	struct fixture *f = *state;
	struct outcome o = { 0 };
	osip_message_t *m = notify_to_phone("n3@cp");
	osip_call_id_free(m->call_id);
	m->call_id = NULL;
	assert_int_equal(csip_stack_send_request(f->node->stack, m, NULL, on_final, &o), -EINVAL);
	assert_int_equal(csip_stack_send_request(f->node->stack, notify_to_phone("n4@cp"),
						 "not a uri <", on_final, &o),
			 -EINVAL);
	assert_int_equal(o.calls, 0);
	/* Closing with a request in flight still reports its outcome, once. */
	assert_int_equal(csip_stack_send_request(f->node->stack, notify_to_phone("n5@cp"), NULL,
						 on_final, &o),
			 0);
	csip_node_close(f->node);
	f->node = NULL;
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.status, 503);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unparsable_gets_stateless_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_is_challenged_with_both_algorithms,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_challenge_without_sha256,
						setup_md5_only, teardown),
		cmocka_unit_test_setup_teardown(test_rfc4475_unksm2_gets_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_options_and_unknown_methods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_nonce_counts_a_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_genuine_nonce_without_store_is_503, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transaction_table_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retransmission_finds_its_transaction_among_many,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_expired_nonce_is_stale_not_a_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_repeated_failures_ask_for_a_ban, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_requests_go_to_the_outbound_proxy_with_a_route,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_retransmitted_then_failed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_request_refused_when_malformed_or_closing, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
